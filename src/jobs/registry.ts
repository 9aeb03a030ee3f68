import type { z } from 'zod';
import type { Config } from '../server/config.js';
import type { Database } from '../db/client.js';
import type { JobLogger } from './worker.js';
import type { ResolveHost } from './webhook/webhook-target.js';

/**
 * What a handler is given for one attempt at one job.
 *
 * Handlers must be idempotent, keyed on `job.id`: a job can run more than once (a worker that dies
 * after the side effect but before recording it, a lease that lapses on a stalled process), so a
 * handler that sends or writes something must first check whether it already did so for this job id
 * (or pass the id on as the idempotency key of the service it calls).
 */
export interface JobContext<Payload> {
  readonly job: {
    readonly id: number;
    readonly kind: string;
    /** Parsed by the definition's payload schema, so it has the schema's output type. */
    readonly payload: Payload;
    /** 1 on the first attempt. */
    readonly attempt: number;
  };
  /**
   * Aborted when the job times out, when the worker stops, or when another worker took the job over;
   * pass it to every call that accepts one and stop soon after it fires.
   */
  readonly signal: AbortSignal;
  /**
   * The worker's logger. Like the worker, a handler logs ids, kinds and outcomes, never payload
   * values: they may hold names, addresses or message bodies.
   */
  readonly logger: JobLogger;
}

/**
 * What handler factories are given when a kind's handler is first loaded: the settings that decide
 * how side effects leave the system (an SMTP server, or files under the data directory). Widen the
 * `Pick` when a new kind needs more.
 */
export interface JobDependencies {
  readonly config: Pick<Config, 'dataDir' | 'mail' | 'masterKey' | 'alerts'>;
  /** The database, for kinds whose work is in it (webhook delivery log, early-warning evaluation); the worker passes it. */
  readonly database?: Database;
  /** How webhook hosts are resolved before each delivery: the system resolver unless given (tests pass their own). */
  readonly resolveHost?: ResolveHost;
}

/**
 * Does the work of one job; a rejection counts as a failed attempt (retried with backoff). Error
 * messages are stored and logged, so they should not quote personal data.
 */
export type JobHandler<Payload> = (context: JobContext<Payload>) => Promise<void>;

/**
 * One kind of job, in the manner of Documenso's job definitions: the handler is imported only when a
 * job of this kind first runs, so the web server does not load every mailer and HTTP client at start.
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  /** Stored in `outbox_jobs.kind`: lower case, e.g. `email.alert` (the table checks the pattern). */
  readonly kind: string;
  /**
   * Bump when the payload's shape changes incompatibly; jobs enqueued under another version are
   * failed with a clear error rather than handed to a handler that would misread them.
   */
  readonly version: number;
  /** Must describe plain JSON: the payload is stored as jsonb and parsed again before it runs. */
  readonly payloadSchema: Schema;
  readonly handler: (dependencies: JobDependencies) => Promise<JobHandler<z.output<Schema>>>;
}

/**
 * A definition of any kind, as the registry holds them. The `any` is deliberate: handler parameters
 * are contravariant, so a list of definitions with different payload types only fits a type that
 * accepts every payload.
 */
export type AnyJobDefinition = JobDefinition<z.ZodType<any, any>>;

/** Lets TypeScript infer a handler's payload type from the schema beside it. */
export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> {
  return definition;
}

const KIND_PATTERN = /^[a-z][a-z0-9_.-]*$/;

/**
 * The job kinds one build of Vigía knows, and how many attempts a job gets unless its enqueuer says
 * otherwise. The app builds one from `defaultJobDefinitions` and the configuration; tests build their
 * own with test handlers.
 */
export class JobRegistry {
  readonly defaultMaxAttempts: number;
  readonly #definitions = new Map<string, AnyJobDefinition>();
  readonly #handlers = new Map<string, Promise<JobHandler<unknown>>>();
  readonly #dependencies: JobDependencies | undefined;

  constructor(
    definitions: readonly AnyJobDefinition[],
    /** Without `dependencies` the registry can only enqueue (commands that write a job and run none). */
    options: { defaultMaxAttempts: number; dependencies?: JobDependencies },
  ) {
    this.#dependencies = options.dependencies;
    if (!Number.isInteger(options.defaultMaxAttempts) || options.defaultMaxAttempts < 1) {
      throw new Error(`defaultMaxAttempts must be a positive integer, not ${options.defaultMaxAttempts}`);
    }
    this.defaultMaxAttempts = options.defaultMaxAttempts;
    for (const definition of definitions) {
      if (!KIND_PATTERN.test(definition.kind)) {
        throw new Error(`Job kind '${definition.kind}' must match ${KIND_PATTERN} (lower case, digits, . _ -)`);
      }
      if (!Number.isInteger(definition.version) || definition.version < 1) {
        throw new Error(`Job kind '${definition.kind}' needs a positive integer version, not ${definition.version}`);
      }
      if (this.#definitions.has(definition.kind)) {
        throw new Error(`Job kind '${definition.kind}' is defined twice`);
      }
      this.#definitions.set(definition.kind, definition);
    }
  }

  /** The definition of `kind`, or undefined when this build does not know it. */
  get(kind: string): AnyJobDefinition | undefined {
    return this.#definitions.get(kind);
  }

  /** The definition of `kind`; an unknown kind is a programming error with a message that names it. */
  require(kind: string): AnyJobDefinition {
    const definition = this.#definitions.get(kind);
    if (!definition) throw new UnknownJobKindError(kind, this.kinds());
    return definition;
  }

  /** Every kind this build knows, sorted, for messages and tools. */
  kinds(): string[] {
    return [...this.#definitions.keys()].sort();
  }

  /** Imports a kind's handler on first use and keeps it; a failed import is tried again next time. */
  async loadHandler(kind: string): Promise<JobHandler<unknown>> {
    let loading = this.#handlers.get(kind);
    if (!loading) {
      const definition = this.require(kind);
      if (!this.#dependencies) throw new Error(`This job registry only enqueues; it cannot run '${kind}' jobs`);
      loading = definition.handler(this.#dependencies);
      this.#handlers.set(kind, loading);
    }
    try {
      return await loading;
    } catch (error) {
      if (this.#handlers.get(kind) === loading) this.#handlers.delete(kind);
      throw error;
    }
  }
}

/** Thrown for a job kind the registry does not know, at enqueue time or when a worker claims one. */
export class UnknownJobKindError extends Error {
  override name = 'UnknownJobKindError';
  constructor(
    readonly kind: string,
    known: readonly string[],
  ) {
    super(
      `No job definition for kind '${kind}' in this build of Vigía ` +
        `(known kinds: ${known.length > 0 ? known.join(', ') : 'none'}).`,
    );
  }
}
