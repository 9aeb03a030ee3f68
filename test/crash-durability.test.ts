import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { Keyring } from '../src/crypto/keyring.js';
import { loadMasterKeys } from '../src/crypto/master-keys.js';
import type { ReportSealed } from '../src/domain/report.js';
import { testConfig } from './config.js';
import { TEST_ENGINES } from './db.js';
import { FLOOD_ENV, floodReport, runVigia, serverDatabase, startServerProcess } from './server-process.js';

interface Acknowledged {
  report: ReturnType<typeof floodReport>;
  receiptCode: string;
  submittedAt: string;
}

for (const engine of TEST_ENGINES) {
  // Two server starts, a flood and an audit check as separate processes: seconds each on a busy machine.
  describe(`crash durability (${engine})`, { timeout: 180_000 }, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it('keeps every acknowledged report intact through a SIGKILL mid-flood, and the audit chain verifies', async () => {
      const target = await serverDatabase(engine);
      cleanups.push(target.dispose);
      const env = { ...target.env, ...FLOOD_ENV };
      const server = await startServerProcess(env);
      cleanups.push(() => server.kill('SIGKILL'));

      const acknowledged: Acknowledged[] = [];
      let sent = 0;
      let killed = false;
      const flood = async (lane: number) => {
        for (let i = 0; ; i++) {
          const report = floodReport(`${lane}-${i}-${randomUUID()}`);
          sent += 1;
          try {
            const response = await fetch(`${server.url}/api/v1/public/reports`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
              body: JSON.stringify(report),
            });
            const body = (await response.json()) as { receiptCode?: string; submittedAt?: string };
            if (response.status === 201 && body.receiptCode && body.submittedAt) {
              acknowledged.push({ report, receiptCode: body.receiptCode, submittedAt: body.submittedAt });
            } else if (!killed) {
              throw new Error(`intake answered ${response.status}: ${JSON.stringify(body)}`);
            }
          } catch (error) {
            // After the kill, a refused or cut connection is the expected end of the lane.
            if (killed) return;
            throw error;
          }
        }
      };
      const lanes = Array.from({ length: 8 }, (_, lane) => flood(lane));
      while (acknowledged.length < 60) await new Promise((resolve) => setTimeout(resolve, 5));
      killed = true;
      await server.kill('SIGKILL');
      await Promise.all(lanes);
      expect(acknowledged.length).toBeGreaterThanOrEqual(60);

      // Restarted on the same data: every receipt answers, with the time it was given.
      const restarted = await startServerProcess(env);
      cleanups.push(() => restarted.kill('SIGKILL'));
      for (const { report, receiptCode, submittedAt } of acknowledged) {
        const response = await fetch(`${restarted.url}/api/v1/public/reports/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ receiptCode, secret: report.receiptSecret }),
        });
        expect(response.status, receiptCode).toBe(200);
        const status = (await response.json()) as { receiptCode: string; submittedAt: string };
        expect(status.receiptCode).toBe(receiptCode);
        expect(new Date(status.submittedAt).getTime()).toBe(new Date(submittedAt).getTime());
      }
      await restarted.kill('SIGTERM');

      // The content of each is what was sent, byte for byte once unsealed.
      const keyring = new Keyring(loadMasterKeys(testConfig()));
      const database = await target.open();
      try {
        const rows = await database.db
          .selectFrom('reports')
          .select(['id', 'organization_id', 'receipt_code', 'sealed', 'state_code', 'municipality_code', 'perpetrator_type', 'occurred_on'])
          .where('receipt_code', 'in', acknowledged.map((a) => a.receiptCode))
          .execute();
        expect(rows).toHaveLength(acknowledged.length);
        const byCode = new Map(rows.map((r) => [r.receipt_code, r]));
        for (const { report, receiptCode } of acknowledged) {
          const row = byCode.get(receiptCode)!;
          const content = await keyring.openJson<ReportSealed>(database.db, row.organization_id, `report:${row.id}`, row.sealed);
          expect(content).toMatchObject({
            whatHappened: report.whatHappened,
            shelterName: report.where.shelterName,
            whoDescription: report.who.description,
            contact: report.contact,
          });
          expect(row).toMatchObject({ state_code: '26', municipality_code: '26002', perpetrator_type: 'GN', occurred_on: '2024-06-28' });
        }
        // Every stored report, acknowledged or cut off before its answer, has its audit entry.
        const counts = await sql<{ reports: number; audited: number }>`
          select (select count(*) from reports)::int as reports,
                 (select count(*) from audit_log where action = 'report.filed')::int as audited`.execute(database.db);
        expect(counts.rows[0]!.audited).toBe(counts.rows[0]!.reports);
      } finally {
        await database.close();
      }

      const verified = runVigia(['audit', 'verify'], target.env);
      expect(verified.status, verified.stderr).toBe(0);
      console.log(`crash durability (${engine}): ${sent} sent, ${acknowledged.length} acknowledged before SIGKILL, all intact`);
    });
  });
}
