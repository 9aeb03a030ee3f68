import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { insertOrganization } from '../../../test/organizations.js';
import { incidentDocumentSchema } from '../../domain/incident.js';
import type { Database } from '../client.js';
import type { IncidentStatus } from '../schema.js';
import {
  IncidentSearchInputError,
  searchIncidents,
  searchVectorSql,
  type IncidentSearchQuery,
  type IncidentSearchScope,
  type IncidentSearchSort,
} from './incident-search.js';

interface IncidentValues {
  organizationId: string;
  title: string;
  narrative?: string;
  stateCode?: string;
  municipalityCode?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  actTypes?: string[];
  perpetratorTypes?: string[];
  victimTypes?: string[];
  status?: IncidentStatus;
  hasEvidence?: boolean;
  shared?: boolean;
  archived?: boolean;
  updatedAt?: string;
}

let counter = 0;

/** Inserts an incident as the incident commands will store it: plain columns, document, search vector. */
async function insertIncident(database: Database, values: IncidentValues): Promise<string> {
  counter += 1;
  const id = randomUUID();
  const stateCode = values.stateCode ?? '27';
  const startDate = values.startDate === undefined ? '2020-01-01' : values.startDate;
  const document = incidentDocumentSchema.parse({
    title: values.title,
    narrative: values.narrative ?? '',
    startDate: { date: startDate ?? '2020-01-01', precision: 'day' },
    place: { stateCode },
  });
  await database.db
    .insertInto('incidents')
    .values({
      id,
      organization_id: values.organizationId,
      reference: `INC-T${counter}-${id.slice(0, 8)}`,
      status: values.status ?? 'reported',
      document: JSON.stringify(document),
      title: values.title,
      state_code: stateCode,
      municipality_code: values.municipalityCode ?? null,
      start_date: startDate,
      date_precision: startDate === null ? null : 'day',
      end_date: values.endDate ?? null,
      act_types: values.actTypes ?? [],
      perpetrator_types: values.perpetratorTypes ?? [],
      victim_types: values.victimTypes ?? [],
      has_evidence: values.hasEvidence ?? false,
      shared_with_networks: values.shared ?? false,
      archived_at: values.archived ? new Date() : null,
      search_vector: searchVectorSql(values.title, values.narrative ?? ''),
      // Microseconds matter to the cursor, and a JavaScript Date would drop them.
      ...(values.updatedAt ? { updated_at: sql<Date>`${values.updatedAt}::timestamptz` } : {}),
    })
    .execute();
  return id;
}

const HOSTILE_TEXTS = [
  "'); drop table incidents; --",
  '&|!:*()',
  '"guardia nacional',
  'albergue:* & !(',
  '\u0301\u0301',
  '   ',
  '🔥🚨',
  'migración 🔥',
  'a\u0000b',
  '\uD800 huérfano',
  '\\x00 \\\\ %_ $1 ?',
  'palabra '.repeat(500),
];

describeEachEngine('incident search', (getDatabase) => {
  const names = new Map<string, string>();
  let orgA = '';
  let orgB = '';
  let orgC = '';
  let orgD = '';
  let scope: IncidentSearchScope;

  async function search(query: Partial<IncidentSearchQuery>, within: IncidentSearchScope = scope) {
    return searchIncidents(getDatabase().db, within, { sort: 'date_asc', limit: 100, ...query });
  }
  async function found(query: Partial<IncidentSearchQuery>, within: IncidentSearchScope = scope): Promise<string[]> {
    const page = await search(query, within);
    return page.items.map((row) => names.get(row.id) ?? row.id).sort();
  }

  beforeAll(async () => {
    const database = getDatabase();
    [orgA, orgB, orgC, orgD] = await Promise.all([1, 2, 3, 4].map(async () => (await insertOrganization(database)).id)) as [string, string, string, string];
    scope = { organizationIds: [orgA], sharedFromOrganizationIds: [orgB] };
    const add = async (name: string, values: IncidentValues) => names.set(await insertIncident(database, values), name);
    await add('A1', {
      organizationId: orgA,
      title: 'Agentes de Migración en el albergue',
      narrative: 'La Guardia Nacional intentó ingresar al albergue sin mostrar una orden escrita.',
      stateCode: '27',
      municipalityCode: '27017',
      startDate: '2019-06-20',
      actTypes: ['ATTEMPTED_ENTRY'],
      perpetratorTypes: ['GN', 'INM'],
      victimTypes: ['ORGANIZATION'],
      status: 'verified',
      hasEvidence: true,
    });
    await add('A2', {
      organizationId: orgA,
      title: 'Patrols outside the shelter',
      narrative: 'Municipal police patrols circled the shelter for hours.',
      stateCode: '07',
      municipalityCode: '07089',
      startDate: '2021-03-01',
      endDate: '2021-03-31',
      actTypes: ['SURVEILLANCE'],
      perpetratorTypes: ['POL_MUN'],
      victimTypes: ['MIGRANT'],
      status: 'in_review',
    });
    await add('A3', {
      organizationId: orgA,
      title: 'Revisión migratoria archivada',
      narrative: 'Revisión migratoria frente al albergue.',
      stateCode: '05',
      startDate: '2020-01-10',
      actTypes: ['MIGRATION_CHECK'],
      perpetratorTypes: ['INM'],
      archived: true,
    });
    await add('A4', {
      organizationId: orgA,
      title: 'Amenazas por teléfono',
      narrative: 'Llamadas con amenazas de muerte al coordinador.',
      stateCode: '02',
      startDate: '2024-08-15',
      actTypes: ['DEATH_THREAT'],
      perpetratorTypes: ['ORG_CRIME'],
      victimTypes: ['HUMAN_RIGHTS_DEFENDER'],
    });
    await add('B1', {
      organizationId: orgB,
      title: 'Operativo de la Guardia Nacional cerca del albergue',
      narrative: 'Personal de migración acompañaba el operativo.',
      stateCode: '27',
      startDate: '2019-07-01',
      perpetratorTypes: ['GN'],
      shared: true,
    });
    await add('B2', { organizationId: orgB, title: 'Migración: asunto que la organización no compartió', stateCode: '27' });
    await add('C1', { organizationId: orgC, title: 'Migración en otra red', stateCode: '27', shared: true });
  });

  it('finds words whatever their accents and case', async () => {
    expect(await found({ text: 'migracion' })).toEqual(['A1', 'B1']);
    expect(await found({ text: 'MIGRACIÓN' })).toEqual(['A1', 'B1']);
    expect(await found({ text: 'telefono' })).toEqual(['A4']);
  });

  it('finds other forms of a word in Spanish and in English', async () => {
    expect(await found({ text: 'ingresaron' })).toEqual(['A1']);
    expect(await found({ text: 'amenazó' })).toEqual(['A4']);
    expect(await found({ text: 'patrolling' })).toEqual(['A2']);
    expect(await found({ text: 'shelters' })).toEqual(['A2']);
  });

  it('reads the web-search syntax: phrases, "or" and exclusions', async () => {
    expect(await found({ text: '"guardia nacional"' })).toEqual(['A1', 'B1']);
    expect(await found({ text: 'guardia -operativo' })).toEqual(['A1']);
    expect(await found({ text: 'telefono or patrols' })).toEqual(['A2', 'A4']);
  });

  it('ranks a match in the title above one in the narrative', async () => {
    const page = await search({ text: 'migracion', sort: 'relevance' });
    expect(page.items.map((row) => names.get(row.id))).toEqual(['A1', 'B1']);
    expect(page.items[0]!.rank).toBeGreaterThan(page.items[1]!.rank!);
    expect((await search({})).items.every((row) => row.rank === null)).toBe(true);
  });

  it('shows other organizations’ incidents only when they shared them and the caller may see them', async () => {
    expect(await found({})).toEqual(['A1', 'A2', 'A4', 'B1']);
    expect(await found({}, { organizationIds: [orgA], sharedFromOrganizationIds: [orgB, orgC] })).toEqual(['A1', 'A2', 'A4', 'B1', 'C1']);
    expect(await found({}, { organizationIds: [], sharedFromOrganizationIds: [orgB] })).toEqual(['B1']);
    expect(await found({}, { organizationIds: [orgB], sharedFromOrganizationIds: [] })).toEqual(['B1', 'B2']);
    expect(await found({ text: 'migracion', organizationId: orgB })).toEqual(['B1']);
    expect(await found({ organizationId: orgC })).toEqual([]);
  });

  it('sees nothing with an empty scope', async () => {
    expect(await search({}, { organizationIds: [], sharedFromOrganizationIds: [] })).toEqual({ items: [], nextCursor: null });
  });

  it('leaves archived incidents out unless asked', async () => {
    expect(await found({ text: 'revision migratoria' })).toEqual([]);
    expect(await found({ text: 'revision migratoria', includeArchived: true })).toEqual(['A3']);
  });

  it('filters by place', async () => {
    expect(await found({ stateCode: '27' })).toEqual(['A1', 'B1']);
    expect(await found({ municipalityCode: '07089' })).toEqual(['A2']);
    expect(await found({ text: 'albergue', stateCode: '27', perpetratorTypes: ['GN'] })).toEqual(['A1', 'B1']);
  });

  it('filters by a period that overlaps the incident’s dates', async () => {
    expect(await found({ from: '2021-03-15', to: '2021-03-20' })).toEqual(['A2']);
    expect(await found({ from: '2019-06-01', to: '2019-06-30' })).toEqual(['A1']);
    expect(await found({ from: '2021-03-31' })).toEqual(['A2', 'A4']);
    expect(await found({ to: '2019-06-20' })).toEqual(['A1']);
  });

  it('filters by any of the act, perpetrator and victim types', async () => {
    expect(await found({ actTypes: ['ATTEMPTED_ENTRY', 'DEATH_THREAT'] })).toEqual(['A1', 'A4']);
    expect(await found({ perpetratorTypes: ['INM'] })).toEqual(['A1']);
    expect(await found({ perpetratorTypes: ['GN'] })).toEqual(['A1', 'B1']);
    expect(await found({ victimTypes: ['MIGRANT'] })).toEqual(['A2']);
    expect(await found({ actTypes: [] })).toEqual(['A1', 'A2', 'A4', 'B1']);
  });

  it('filters by status, organization and evidence', async () => {
    expect(await found({ statuses: ['verified', 'in_review'] })).toEqual(['A1', 'A2']);
    expect(await found({ organizationId: orgA })).toEqual(['A1', 'A2', 'A4']);
    expect(await found({ hasEvidence: true })).toEqual(['A1']);
    expect(await found({ hasEvidence: false })).toEqual(['A2', 'A4', 'B1']);
  });

  it('returns what a list shows', async () => {
    const [row] = (await search({ text: 'ingresar' })).items;
    expect(row).toEqual({
      id: expect.any(String),
      reference: expect.stringMatching(/^INC-T/),
      title: 'Agentes de Migración en el albergue',
      status: 'verified',
      organization_id: orgA,
      state_code: '27',
      municipality_code: '27017',
      start_date: '2019-06-20',
      date_precision: 'day',
      act_types: ['ATTEMPTED_ENTRY'],
      perpetrator_types: ['GN', 'INM'],
      has_evidence: true,
      shared_with_networks: false,
      updated_at: expect.any(Date),
      rank: expect.any(Number),
    });
  });

  it('never fails on what a person types, and treats a query without words as no query', async () => {
    for (const text of HOSTILE_TEXTS) {
      for (const sort of ['relevance', 'date_desc'] as const) {
        const page = await search({ text, sort, limit: 3 });
        expect(page.items.length).toBeLessThanOrEqual(3);
      }
    }
    expect(await found({ text: '&|!:*()' })).toEqual(['A1', 'A2', 'A4', 'B1']);
    expect(await found({ text: '🔥🚨' })).toEqual(['A1', 'A2', 'A4', 'B1']);
    expect(await found({ text: 'migración 🔥' })).toEqual(['A1', 'B1']);
    expect(await found({ text: "'); drop table incidents; --" })).toEqual([]);
    const { count } = await getDatabase().db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(count).toBeGreaterThanOrEqual(7);
  });

  it('stores a vector for any title and narrative', async () => {
    const database = getDatabase();
    const id = await insertIncident(database, { organizationId: orgC, title: 'Título provisional' });
    await database.db
      .updateTable('incidents')
      .set({ search_vector: searchVectorSql("O'Brien \u0000 dijo: '); drop table incidents; --", '&|!:*() 🔥 \uD800 Niñez') })
      .where('id', '=', id)
      .execute();
    const row = await database.db.selectFrom('incidents').select('search_vector').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.search_vector).toContain("'ninez'");
    expect(await found({ text: 'niñez' }, { organizationIds: [orgC], sharedFromOrganizationIds: [] })).toEqual([id]);
  });

  it('refuses a cursor it did not make, or one from another order, as a caller’s mistake', async () => {
    const { nextCursor } = await search({ limit: 1, sort: 'date_desc' });
    expect(nextCursor).toEqual(expect.any(String));
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      'not a cursor',
      '',
      forged({ sort: 'date_desc', date: '2020-13-45', id: randomUUID() }),
      forged({ sort: 'date_desc', date: "2020-01-01'; --", id: randomUUID() }),
      forged({ sort: 'relevance', rank: 1e300, id: randomUUID() }),
      forged({ sort: 'updated_desc', updated: '2020-01-01T25:00:00.000000Z', id: randomUUID() }),
      forged({ sort: 'date_desc', date: '2020-01-01', id: 'x' }),
    ];
    for (const cursor of bad) {
      await expect(search({ sort: 'date_desc', cursor })).rejects.toBeInstanceOf(IncidentSearchInputError);
    }
    await expect(search({ sort: 'date_asc', cursor: nextCursor! })).rejects.toThrow(/another order/);
    await expect(search({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    await expect(search({ limit: 101 })).rejects.toMatchObject({ field: 'limit' });
    await expect(search({ from: '2021-02-30' })).rejects.toMatchObject({ field: 'from' });
    await expect(search({ to: 'yesterday' })).rejects.toMatchObject({ field: 'to' });
    await expect(search({ organizationId: "x' or 1=1" })).rejects.toMatchObject({ field: 'organizationId' });
  });

  it('walks every result exactly once, in order, in each sort', async () => {
    const database = getDatabase();
    const paged = { organizationIds: [orgD], sharedFromOrganizationIds: [] };
    // Ties everywhere: shared dates, identical texts (equal ranks), an undated incident, and update
    // times that differ only in microseconds.
    for (let i = 0; i < 23; i += 1) {
      await insertIncident(database, {
        organizationId: orgD,
        title: i % 3 === 0 ? 'Paginación del albergue' : `Caso ${i}`,
        narrative: i % 2 === 0 ? 'Paginación, paginación y más paginación.' : 'Paginación.',
        startDate: i === 7 ? null : `2022-0${1 + (i % 4)}-1${i % 2}`,
        updatedAt: `2025-05-05T10:00:00.12345${i % 5}Z`,
      });
    }
    const cases: Array<{ sort: IncidentSearchSort; text?: string }> = [
      { sort: 'relevance', text: 'paginacion' },
      { sort: 'date_desc' },
      { sort: 'date_asc' },
      { sort: 'updated_desc' },
      { sort: 'date_desc', text: 'paginacion' },
      { sort: 'relevance' },
    ];
    for (const { sort, text } of cases) {
      const whole = await search({ sort, text, limit: 100 }, paged);
      expect(whole.items).toHaveLength(23);
      expect(whole.nextCursor).toBeNull();
      const walked: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await search({ sort, text, limit: 4, cursor }, paged);
        walked.push(...page.items.map((row) => row.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 20);
      expect(pages).toBe(6);
      expect(walked).toEqual(whole.items.map((row) => row.id));
    }
    const byDate = (await search({ sort: 'date_desc' }, paged)).items;
    expect(byDate.at(-1)!.start_date).toBeNull();
    const dates = byDate.slice(0, -1).map((row) => row.start_date!);
    expect(dates).toEqual([...dates].sort().reverse());
    const byRank = (await search({ sort: 'relevance', text: 'paginacion' }, paged)).items.map((row) => row.rank!);
    expect(byRank).toEqual([...byRank].sort((a, b) => b - a));
  });
});
