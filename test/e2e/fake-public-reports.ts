import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { access } from '../../src/policies/access.js';

/*
 * A stand-in for the public reporting API while the server side is built on another branch: the
 * four endpoints of the agreed contract (and the intake list), kept in memory, strict about what
 * they accept, and counting what they receive so a test can say "sent once". When the real routes
 * land, the browser test drops this file and reads the database instead.
 */

export interface FakeReport {
  receiptCode: string;
  secret: string;
  body: Record<string, unknown>;
  submittedAt: string;
  updatedAt: string;
  status: 'received' | 'in_review' | 'documented' | 'needs_information' | 'closed';
  question: string | null;
  additions: Array<{ at: string; text: string }>;
}

export interface FakeRequest {
  idempotencyKey: string;
  receiptSecret: unknown;
  hadCookie: boolean;
}

const CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

export class FakePublicReports {
  readonly organizations = [{ id: randomUUID(), name: 'Red de Albergues de Prueba' }];
  readonly bits = 16;
  /** Reports filed, by Idempotency-Key. */
  readonly reports = new Map<string, FakeReport>();
  /** Every POST /public/reports, in order. */
  readonly requests: FakeRequest[] = [];
  /** When set, the next new report is filed and then answered 503, as when an answer is lost. */
  failAfterFiling = false;
  private readonly challenges = new Map<string, { expiresAt: number; spent: boolean }>();

  requestsFor(key: string): FakeRequest[] {
    return this.requests.filter((request) => request.idempotencyKey === key);
  }

  register = (app: FastifyInstance): void => {
    const config = { access: access.public };

    app.get('/api/v1/public/intake', { config }, async () => ({ organizations: this.organizations }));

    app.post('/api/v1/public/reports/challenges', { config }, async (_request, reply) => {
      const challenge = randomBytes(24).toString('base64url');
      const expiresAt = Date.now() + 5 * 60_000;
      this.challenges.set(challenge, { expiresAt, spent: false });
      return reply.code(201).send({ challenge, bits: this.bits, expiresAt: new Date(expiresAt).toISOString() });
    });

    app.post('/api/v1/public/reports', { config }, async (request, reply) => {
      const key = String(request.headers['idempotency-key'] ?? '');
      const body = (request.body ?? {}) as Record<string, unknown>;
      this.requests.push({ idempotencyKey: key, receiptSecret: body.receiptSecret, hadCookie: request.headers.cookie !== undefined });
      if (key.length < 8 || key.length > 100) return fail(reply, 400, 'VALIDATION_FAILED', [{ field: 'Idempotency-Key', message: 'must be 8 to 100 characters' }]);
      const problems = validate(body);
      if (problems.length > 0) return fail(reply, 400, 'VALIDATION_FAILED', problems);

      const existing = this.reports.get(key);
      if (existing) {
        if (existing.secret !== body.receiptSecret) return fail(reply, 409, 'CONFLICT', undefined);
        return reply.code(200).send(present(existing));
      }
      const pow = body.pow as { challenge: string; nonce: string };
      const issued = this.challenges.get(pow.challenge);
      if (!issued || issued.spent || issued.expiresAt < Date.now() || !solves(pow.challenge, pow.nonce, this.bits)) {
        return fail(reply, 400, 'POW_INVALID', undefined);
      }
      issued.spent = true;
      const now = new Date().toISOString();
      const report: FakeReport = {
        receiptCode: receiptCode(),
        secret: String(body.receiptSecret),
        body,
        submittedAt: now,
        updatedAt: now,
        status: 'received',
        question: null,
        additions: [],
      };
      this.reports.set(key, report);
      if (this.failAfterFiling) {
        this.failAfterFiling = false;
        return fail(reply, 503, 'SERVICE_UNAVAILABLE', undefined);
      }
      return reply.code(201).send(present(report));
    });

    app.post('/api/v1/public/reports/status', { config }, async (request, reply) => {
      const report = this.find(request.body);
      if (!report) return fail(reply, 404, 'NOT_FOUND', undefined);
      return {
        receiptCode: report.receiptCode,
        status: report.status,
        submittedAt: report.submittedAt,
        updatedAt: report.updatedAt,
        question: report.question,
        additions: report.additions.map(({ at }) => ({ at })),
      };
    });

    app.post('/api/v1/public/reports/additions', { config }, async (request, reply) => {
      const report = this.find(request.body);
      if (!report) return fail(reply, 404, 'NOT_FOUND', undefined);
      const text = (request.body as { text?: unknown }).text;
      if (typeof text !== 'string' || text.length < 1 || text.length > 10_000) {
        return fail(reply, 400, 'VALIDATION_FAILED', [{ field: 'text', message: 'must be 1 to 10000 characters' }]);
      }
      const at = new Date().toISOString();
      report.additions.push({ at, text });
      report.updatedAt = at;
      return reply.code(201).send({ at });
    });
  };

  private find(body: unknown): FakeReport | undefined {
    const { receiptCode, secret } = (body ?? {}) as { receiptCode?: unknown; secret?: unknown };
    return [...this.reports.values()].find((r) => r.receiptCode === receiptCode && r.secret === secret);
  }
}

function present(report: FakeReport) {
  return { receiptCode: report.receiptCode, status: 'received', submittedAt: report.submittedAt };
}

function fail(reply: FastifyReply, status: number, code: string, details: unknown) {
  return reply.code(status).send({ error: { code, message: code, details, requestId: String(reply.request.id) } });
}

function receiptCode(): string {
  const bytes = randomBytes(12);
  const letters = Array.from(bytes, (byte) => CODE_LETTERS[byte % CODE_LETTERS.length]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8)}`;
}

function solves(challenge: string, nonce: unknown, bits: number): boolean {
  if (typeof nonce !== 'string' || !/^\d{1,20}$/.test(nonce)) return false;
  const digest = createHash('sha256').update(`${challenge}:${nonce}`, 'utf8').digest();
  let zeros = 0;
  for (const byte of digest) {
    if (byte === 0) {
      zeros += 8;
      continue;
    }
    zeros += Math.clz32(byte) - 24;
    break;
  }
  return zeros >= bits;
}

/** The contract's body, checked field by field as the real route's schema will. */
function validate(body: Record<string, unknown>): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const check = (field: string, ok: boolean, message: string) => {
    if (!ok) problems.push({ field, message });
  };
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  const nullableString = (value: unknown, pattern?: RegExp) =>
    value === null || (typeof value === 'string' && (!pattern || pattern.test(value)));
  const known = ['organizationId', 'pow', 'receiptSecret', 'whatHappened', 'when', 'where', 'who', 'contact', 'consent'];
  for (const key of Object.keys(body)) check(key, known.includes(key), 'is not a known field');
  check('organizationId', body.organizationId === undefined || (typeof body.organizationId === 'string' && /^[0-9a-f-]{36}$/.test(body.organizationId)), 'must be a UUID');
  check('pow', isObject(body.pow) && typeof body.pow.challenge === 'string' && typeof body.pow.nonce === 'string', 'must hold challenge and nonce');
  check('receiptSecret', typeof body.receiptSecret === 'string' && /^[A-Za-z0-9_-]{43}$/.test(body.receiptSecret), 'must be 43 base64url characters');
  check('whatHappened', typeof body.whatHappened === 'string' && body.whatHappened.length >= 10 && body.whatHappened.length <= 20_000, 'must be 10 to 20000 characters');
  const when = body.when;
  check('when', when === null || (isObject(when) && typeof when.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(when.date) && ['day', 'month', 'approximate'].includes(String(when.precision)) && (when.precision !== 'month' || when.date.endsWith('-01'))), 'must be null or a date with its precision');
  const where = body.where;
  check('where', isObject(where) && nullableString(where.stateCode, /^\d{2}$/) && nullableString(where.municipalityCode, /^\d{5}$/) && nullableString(where.placeType) && typeof where.shelterName === 'string', 'must hold stateCode, municipalityCode, placeType and shelterName');
  const who = body.who;
  check('who', isObject(who) && nullableString(who.perpetratorType) && typeof who.description === 'string', 'must hold perpetratorType and description');
  check('contact', typeof body.contact === 'string', 'must be a string');
  const consent = body.consent;
  check('consent', isObject(consent) && typeof consent.mayContact === 'boolean' && typeof consent.mayPublish === 'boolean', 'must hold mayContact and mayPublish');
  return problems;
}
