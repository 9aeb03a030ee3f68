import type { FastifyInstance } from 'fastify';

/** One POST /api/v1/public/reports as the server received it. */
export interface SeenReportRequest {
  idempotencyKey: string;
  receiptSecret: unknown;
  hadCookie: boolean;
}

/**
 * Watches the real public reporting API from inside the test server: records each report request (its
 * Idempotency-Key, receipt secret and whether a cookie came along) and, when asked, lets the next report be
 * filed but answers it 503 — an answer lost on the way back, which the browser must retry without filing
 * twice.
 */
export class PublicReportSpy {
  readonly requests: SeenReportRequest[] = [];
  /** When set, the next report is filed and then answered 503. */
  failAfterFiling = false;

  requestsFor(key: string): SeenReportRequest[] {
    return this.requests.filter((request) => request.idempotencyKey === key);
  }

  register = (app: FastifyInstance): void => {
    const isReport = (method: string, url: string) => method === 'POST' && url.split('?')[0] === '/api/v1/public/reports';
    app.addHook('preHandler', async (request) => {
      if (!isReport(request.method, request.url)) return;
      const body = (request.body ?? {}) as { receiptSecret?: unknown };
      this.requests.push({
        idempotencyKey: String(request.headers['idempotency-key'] ?? ''),
        receiptSecret: body.receiptSecret,
        hadCookie: request.headers.cookie !== undefined,
      });
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (!isReport(request.method, request.url) || !this.failAfterFiling || reply.statusCode !== 201) return payload;
      this.failAfterFiling = false;
      reply.code(503);
      return JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Lost on the way back (test).', requestId: String(request.id) } });
    });
  };
}
