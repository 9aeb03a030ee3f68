import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../test/db.js';
import { insertOrganization } from '../../test/organizations.js';
import { verifyAuditChain } from '../audit/audit-log.js';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import { ItemRefused } from '../db/group-commit.js';
import { issueChallenge, solveChallenge } from '../domain/proof-of-work.js';
import type { ReportBase } from '../domain/report.js';
import { AppError } from '../server/errors.js';
import { filePublicReportsTogether, POW_KEY_PURPOSE, type PublicReportIntakeDeps, type PublicReportRequest } from './file-public-report.js';

describeEachEngine('public reports filed together (group commit)', (getDatabase) => {
  let database: TestDatabase;
  let deps: PublicReportIntakeDeps;
  const config = testConfig({ VIGIA_REPORTS_PER_HOUR_PER_ADDRESS: '3', VIGIA_REPORT_POW_BITS: '4' });

  beforeAll(async () => {
    database = getDatabase();
    deps = { database, keyring: new Keyring(loadMasterKeys(config)), config };
    const network = await insertOrganization(database, { kind: 'network', name: 'Red de prueba' });
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', network.id).execute();
  });

  const report = (): ReportBase => ({
    whatHappened: 'Elementos de la Guardia Nacional pidieron la lista de personas albergadas.',
    when: { date: '2019-06-28', precision: 'day' },
    where: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', shelterName: '' },
    who: { perpetratorType: 'GN', description: '' },
    contact: '',
    consent: { mayContact: false, mayPublish: false },
  });
  const pow = () => {
    const { token } = issueChallenge(deps.keyring.derivedKey(POW_KEY_PURPOSE), 4, new Date());
    return { challenge: token, nonce: solveChallenge(token, 4) };
  };
  const request = (overrides: Partial<PublicReportRequest> = {}): PublicReportRequest => ({
    report: report(),
    organizationId: undefined,
    pow: pow(),
    receiptSecret: randomBytes(32).toString('base64url'),
    idempotencyKey: randomUUID(),
    ip: '10.0.0.1',
    ...overrides,
  });
  const codeOf = (outcome: unknown) => (outcome instanceof ItemRefused ? (outcome.error as AppError).code : 'FILED');
  const countReports = async () => Number((await database.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('checks each report of a group on its own: limits, replays, proofs of work and networks', async () => {
    const sharedKey = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const sharedPow = pow();
    const group = [
      ...[1, 2, 3, 4, 5].map(() => request({ ip: '10.0.9.1' })),
      request({ idempotencyKey: sharedKey, receiptSecret: secret, ip: '10.0.9.2' }),
      request({ idempotencyKey: sharedKey, receiptSecret: secret, ip: '10.0.9.2' }),
      request({ idempotencyKey: sharedKey, ip: '10.0.9.2' }),
      request({ pow: sharedPow, ip: '10.0.9.3' }),
      request({ pow: sharedPow, ip: '10.0.9.3' }),
      request({ organizationId: randomUUID(), ip: '10.0.9.4' }),
      request({ report: { ...report(), where: { ...report().where, municipalityCode: '26999' } }, ip: '10.0.9.4' }),
    ];
    const before = await countReports();
    const outcomes = await filePublicReportsTogether(deps, group);

    // Three of five within the address's hourly limit, in the order they came.
    expect(outcomes.slice(0, 5).map(codeOf)).toEqual(['FILED', 'FILED', 'FILED', 'RATE_LIMITED', 'RATE_LIMITED']);
    // One key and secret twice: filed once, the second answers its receipt; another secret is refused.
    const [first, second] = outcomes.slice(5, 7) as Array<{ receiptCode: string; replayed: boolean }>;
    expect(first).toMatchObject({ replayed: false });
    expect(second).toMatchObject({ replayed: true, receiptCode: first!.receiptCode });
    expect(codeOf(outcomes[7])).toBe('CONFLICT');
    // One proof of work, one report.
    expect(outcomes.slice(8, 10).map(codeOf)).toEqual(['FILED', 'POW_INVALID']);
    expect(codeOf(outcomes[10])).toBe('VALIDATION_FAILED');
    expect(codeOf(outcomes[11])).toBe('VALIDATION_FAILED');

    expect((await countReports()) - before).toBe(5);
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true });
    const audited = await database.db.selectFrom('audit_log').select('subject_id').where('action', '=', 'report.filed').execute();
    const filedIds = outcomes.flatMap((o) => (o instanceof ItemRefused || (o as { replayed: boolean }).replayed ? [] : [(o as { id: string }).id]));
    expect(audited.map((a) => a.subject_id)).toEqual(expect.arrayContaining(filedIds));

    // A proof of work spent by a report the limit then refused is given back, as a rollback would have.
    const refused = group[3]!;
    const [again] = await filePublicReportsTogether(deps, [{ ...refused, ip: '10.0.9.5' }]);
    expect(codeOf(again)).toBe('FILED');
    // And the address's count is the three filed: one more is still refused.
    const [fourth] = await filePublicReportsTogether(deps, [request({ ip: '10.0.9.1' })]);
    expect(codeOf(fourth)).toBe('RATE_LIMITED');
  });

  it('answers a retry whose challenge has expired with its receipt, and refuses an unsolved proof for a new report', async () => {
    const filed = request({ ip: '10.0.9.6' });
    const [original] = await filePublicReportsTogether(deps, [filed]);
    const unsolved = { challenge: filed.pow.challenge, nonce: 'x' };
    const [retry, fresh] = await filePublicReportsTogether(deps, [
      { ...filed, pow: unsolved },
      request({ pow: unsolved, ip: '10.0.9.6' }),
    ]);
    expect(retry).toMatchObject({ replayed: true, receiptCode: (original as { receiptCode: string }).receiptCode });
    expect(codeOf(fresh)).toBe('POW_INVALID');
  });
});
