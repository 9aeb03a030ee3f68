import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Vigía reads from its environment, parsed once at start and frozen.
 * Nothing else in the code base reads `process.env`: pass the `Config` along instead,
 * so that a test can build any configuration without touching the process.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const databaseUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), {
    message: 'must be a postgres:// or postgresql:// URL',
  });

export const configSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  VIGIA_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: databaseUrl.optional(),
  VIGIA_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  VIGIA_PUBLIC_URL: z.url({ error: 'must be an absolute URL such as https://vigia.example.org' }).optional(),
  VIGIA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VIGIA_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  VIGIA_TRUST_PROXY: booleanFromEnv.default(false),
  VIGIA_WORKER: z
    .enum(['inline', 'off'], { error: 'must be "inline" (run jobs inside the server) or "off"' })
    .default('inline'),
  VIGIA_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  VIGIA_OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  VIGIA_OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  VIGIA_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  VIGIA_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  VIGIA_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  VIGIA_SIGNIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(50),
  VIGIA_SIGNIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  VIGIA_SMTP_URL: z
    .string()
    .refine((value) => /^smtps?:\/\//.test(value), { message: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  VIGIA_MAIL_FROM: z.string().min(3).default('Vigía <no-reply@localhost>'),
  VIGIA_MASTER_KEY: z.string().min(1).optional(),
  VIGIA_MASTER_KEY_FILE: z.string().min(1).optional(),
  VIGIA_PREVIOUS_MASTER_KEYS: z.string().min(1).optional(),
  VIGIA_EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(20 * 1024 * 1024 * 1024).default(500 * 1024 * 1024),
  VIGIA_REPORTS_PER_HOUR_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  VIGIA_REPORT_POW_BITS: z.coerce.number().int().min(0).max(28).default(18),
  VIGIA_SMALL_NUMBER_THRESHOLD: z.coerce.number().int().min(1).max(100).default(3),
  VIGIA_ALERT_APPROVALS: z.coerce.number().int().min(1).max(10).default(2),
  VIGIA_RESPONSE_DUE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  VIGIA_SUBSCRIPTIONS_PER_HOUR_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
  VIGIA_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  VIGIA_WEBHOOK_ALLOW_HTTP: booleanFromEnv.default(false),
  VIGIA_WEBHOOK_ALLOW_PRIVATE: booleanFromEnv.default(false),
});

type ParsedEnv = z.infer<typeof configSchema>;

export interface Config {
  readonly env: ParsedEnv['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  /** Absolute path of the directory that holds the embedded database and stored files. */
  readonly dataDir: string;
  /** PostgreSQL server URL; absent means the embedded PGlite database under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dbPoolSize: number;
  readonly publicUrl: string | undefined;
  readonly logLevel: ParsedEnv['VIGIA_LOG_LEVEL'];
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
  readonly worker: ParsedEnv['VIGIA_WORKER'];
  readonly outbox: {
    readonly maxAttempts: number;
    readonly leaseSeconds: number;
    readonly pollMs: number;
  };
  readonly sessions: {
    /** A session unused for this long ends. */
    readonly idleMinutes: number;
    /** A session ends this long after sign-in, however active. */
    readonly absoluteHours: number;
  };
  readonly signIn: {
    /** Failed attempts on one account before it is locked for `lockMinutes`. */
    readonly maxFailures: number;
    /** Failed attempts from one address before it is locked for `lockMinutes`. */
    readonly maxFailuresPerAddress: number;
    readonly lockMinutes: number;
  };
  readonly mail: {
    /** SMTP server; without one, messages are written as .eml files under `<dataDir>/mail`. */
    readonly smtpUrl: string | undefined;
    readonly from: string;
  };
  readonly masterKey: {
    /** The master key itself (base64), when given in the environment. */
    readonly value: string | undefined;
    /** Where the master key is read from otherwise (`<dataDir>/keys/master.key` by default). */
    readonly file: string;
    /** Earlier master keys, still accepted to unwrap data keys until `vigia keys rotate` re-wraps them. */
    readonly previous: readonly string[];
  };
  readonly evidence: {
    /** The largest evidence file accepted. */
    readonly maxBytes: number;
  };
  readonly intake: {
    /** Anonymous reports accepted from one address per hour. */
    readonly reportsPerHourPerAddress: number;
    /** Proof-of-work difficulty for an anonymous report, in leading zero bits (0 turns it off). */
    readonly powBits: number;
  };
  /** Any public figure (statistics, alert text) for a place and period under this shows as "<N". */
  readonly smallNumberThreshold: number;
  readonly alerts: {
    /** Approvals by reviewers other than the author before an alert may be published. */
    readonly approvalsRequired: number;
    /** Days an addressed authority has to answer before its request is flagged overdue. */
    readonly responseDueDays: number;
    /** Subscription requests accepted from one address per hour. */
    readonly subscriptionsPerHourPerAddress: number;
    /** How long one webhook delivery may take before it counts as failed and is retried. */
    readonly webhookTimeoutMs: number;
    /**
     * Which webhook URLs may be registered and delivered to: https to public addresses only, unless
     * `allowHttp` (plain http too) or `allowPrivate` (loopback, private, link-local and CGNAT
     * addresses too: tests and local setups, never an instance on the internet).
     */
    readonly webhookTargets: { readonly allowHttp: boolean; readonly allowPrivate: boolean };
  };
}

/** A start-up error that names every variable that was wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment into a frozen `Config`, or throws a `ConfigError` naming each bad variable.
 * Empty strings count as unset, so `PORT=` in a .env file falls back to the default.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  return deepFreeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.VIGIA_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.VIGIA_DB_POOL_SIZE,
    publicUrl: e.VIGIA_PUBLIC_URL,
    logLevel: e.VIGIA_LOG_LEVEL,
    bodyLimitBytes: e.VIGIA_BODY_LIMIT_BYTES,
    trustProxy: e.VIGIA_TRUST_PROXY,
    worker: e.VIGIA_WORKER,
    outbox: {
      maxAttempts: e.VIGIA_OUTBOX_MAX_ATTEMPTS,
      leaseSeconds: e.VIGIA_OUTBOX_LEASE_SECONDS,
      pollMs: e.VIGIA_OUTBOX_POLL_MS,
    },
    sessions: { idleMinutes: e.VIGIA_SESSION_IDLE_MINUTES, absoluteHours: e.VIGIA_SESSION_ABSOLUTE_HOURS },
    signIn: {
      maxFailures: e.VIGIA_SIGNIN_MAX_FAILURES,
      maxFailuresPerAddress: e.VIGIA_SIGNIN_MAX_FAILURES_PER_ADDRESS,
      lockMinutes: e.VIGIA_SIGNIN_LOCK_MINUTES,
    },
    mail: { smtpUrl: e.VIGIA_SMTP_URL, from: e.VIGIA_MAIL_FROM },
    masterKey: {
      value: e.VIGIA_MASTER_KEY,
      file: path.resolve(e.VIGIA_MASTER_KEY_FILE ?? path.join(e.VIGIA_DATA_DIR, 'keys', 'master.key')),
      previous: (e.VIGIA_PREVIOUS_MASTER_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    },
    evidence: { maxBytes: e.VIGIA_EVIDENCE_MAX_BYTES },
    intake: { reportsPerHourPerAddress: e.VIGIA_REPORTS_PER_HOUR_PER_ADDRESS, powBits: e.VIGIA_REPORT_POW_BITS },
    smallNumberThreshold: e.VIGIA_SMALL_NUMBER_THRESHOLD,
    alerts: {
      approvalsRequired: e.VIGIA_ALERT_APPROVALS,
      responseDueDays: e.VIGIA_RESPONSE_DUE_DAYS,
      subscriptionsPerHourPerAddress: e.VIGIA_SUBSCRIPTIONS_PER_HOUR_PER_ADDRESS,
      webhookTimeoutMs: e.VIGIA_WEBHOOK_TIMEOUT_MS,
      webhookTargets: { allowHttp: e.VIGIA_WEBHOOK_ALLOW_HTTP, allowPrivate: e.VIGIA_WEBHOOK_ALLOW_PRIVATE },
    },
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * The process environment with some variables replaced (`undefined` removes one): for commands such as
 * `vigia demo` that run Vigía with settings of their own while honouring the rest of the environment.
 */
export function loadConfigWith(overrides: Record<string, string | undefined>): Config {
  return loadConfig({ ...process.env, ...overrides });
}
