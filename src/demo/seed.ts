import { hashPassword } from '../auth/passwords.js';
import { generateTotpSecret, openTotpSecret, sealTotpSecret } from '../auth/totp.js';
import type { Keyring } from '../crypto/keyring.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { Database } from '../db/client.js';
import { evaluateAll } from '../alerts/evaluate.js';
import { actorFor, seedDemoRecord } from './incidents.js';
import { PATTERN_2019, seedPattern2019 } from './pattern-2019.js';
import { seedPublishedAlert } from './published-alert.js';
import type { Config } from '../server/config.js';
import type { Role } from '../db/schema.js';

/** What the demo seeding did, in lines a newcomer can read in the terminal. */
export interface DemoSummary {
  lines: string[];
}

/** The one password of every demo account: demo data is public by design, never real people's. */
export const DEMO_PASSWORD = 'demo-vigia-2019-albergues';

const COUNCIL = { slug: 'consejo-ciudadano-demo', name: 'Consejo Ciudadano (demo)', stateCode: '09', municipality: '09015' };

// Places from the 2019 alert and the southern border route; names are invented and marked "(demo)".
const SHELTERS = [
  { slug: 'casa-agua-prieta-demo', name: 'Casa del Migrante de Agua Prieta (demo)', stateCode: '26', municipality: '26002' },
  { slug: 'casa-saltillo-demo', name: 'Casa del Migrante de Saltillo (demo)', stateCode: '05', municipality: '05030' },
  { slug: 'albergue-tijuana-demo', name: 'Albergue Frontera Norte, Tijuana (demo)', stateCode: '02', municipality: '02004' },
  { slug: 'albergue-tapachula-demo', name: 'Albergue Frontera Sur, Tapachula (demo)', stateCode: '07', municipality: '07089' },
  { slug: 'casa-tenosique-demo', name: 'Casa de Acogida de Tenosique (demo)', stateCode: '27', municipality: '27017' },
  { slug: 'albergue-ixtepec-demo', name: 'Albergue del Istmo, Ixtepec (demo)', stateCode: '20', municipality: '20014' },
  { slug: 'casa-cdmx-demo', name: 'Casa de Acogida Ciudad de México (demo)', stateCode: '09', municipality: '09015' },
] as const;

interface DemoPerson {
  email: string;
  displayName: string;
  isInstanceAdmin?: boolean;
  /** Organization slug → roles there. */
  roles: Record<string, Role[]>;
}

const PEOPLE: DemoPerson[] = [
  { email: 'admin@demo.vigia.local', displayName: 'Administración de la instancia (demo)', isInstanceAdmin: true, roles: {} },
  { email: 'administradora@demo.vigia.local', displayName: 'Administradora del Consejo (demo)', roles: { [COUNCIL.slug]: ['administrator'] } },
  { email: 'revisora@demo.vigia.local', displayName: 'Revisora del Consejo (demo)', roles: { [COUNCIL.slug]: ['reviewer'] } },
  { email: 'revisor@demo.vigia.local', displayName: 'Revisor del Consejo (demo)', roles: { [COUNCIL.slug]: ['reviewer'] } },
  { email: 'documentadora@demo.vigia.local', displayName: 'Documentadora del Consejo (demo)', roles: { [COUNCIL.slug]: ['documenter'] } },
  { email: 'reportera.tapachula@demo.vigia.local', displayName: 'Reportera de Tapachula (demo)', roles: { 'albergue-tapachula-demo': ['reporter'] } },
  { email: 'reportero.saltillo@demo.vigia.local', displayName: 'Reportero de Saltillo (demo)', roles: { 'casa-saltillo-demo': ['reporter'] } },
];

function needsSecondFactor(person: DemoPerson): boolean {
  return Boolean(person.isInstanceAdmin) || Object.values(person.roles).some((roles) => roles.some((r) => r === 'reviewer' || r === 'administrator'));
}

/**
 * Seeds the demo network into a prepared database, once: the council (a network), shelters in seven
 * states as its members, and one account per role, all sharing DEMO_PASSWORD. Accounts whose role
 * requires two-factor sign-in get a known TOTP secret, printed so a newcomer can add it to an
 * authenticator app. Running it again changes nothing and prints the same sign-ins.
 */
export async function seedDemo(database: Database, keyring: Keyring, store: EvidenceStore, config: Config): Promise<DemoSummary> {
  const existing = await database.db.selectFrom('organizations').select('id').where('slug', '=', COUNCIL.slug).executeTakeFirst();
  if (!existing) await seedNetwork(database, keyring);
  const people = await database.db
    .selectFrom('users')
    .select(['id', 'email', 'totp_secret'])
    .where('email', 'in', PEOPLE.map((p) => p.email))
    .execute();
  const secrets = new Map(people.map((p) => [p.email, p.totp_secret ? openTotpSecret(keyring, p.id, p.totp_secret) : null]));
  const recordPeople = await demoRecordPeople(database);
  const record = await seedDemoRecord(database, keyring, store, recordPeople);
  await seedPattern2019(database, keyring, {
    councilId: recordPeople.councilId,
    documenter: actorFor(recordPeople.documenterId, recordPeople.councilId, 'documenter'),
    reviewer: actorFor(recordPeople.reviewerId, recordPeople.councilId, 'reviewer'),
  });
  // The early-warning rules over whatever the record holds, so the council's inbox has its signals now
  // rather than when a worker first runs; evaluating again changes nothing.
  await evaluateAll(database);
  const signals = await database.db
    .selectFrom('signals')
    .innerJoin('organizations', 'organizations.id', 'signals.network_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organizations.slug', '=', COUNCIL.slug)
    .where('signals.status', '=', 'open')
    .executeTakeFirstOrThrow();
  // The council's alert about that summer, published through the commands, with two authorities' answers.
  const reviewerIds = await database.db
    .selectFrom('users')
    .select('id')
    .where('email', 'in', ['revisora@demo.vigia.local', 'revisor@demo.vigia.local'])
    .orderBy('email', 'desc')
    .execute();
  const reviewers = reviewerIds.map((r) => actorFor(r.id, recordPeople.councilId, 'reviewer'));
  const alert =
    reviewers.length >= config.alerts.approvalsRequired
      ? await seedPublishedAlert(database, keyring, config, {
          councilId: recordPeople.councilId,
          author: actorFor(recordPeople.documenterId, recordPeople.councilId, 'documenter'),
          reviewers,
        })
      : null;
  const lines = [
    `Demo network: ${COUNCIL.name} with ${SHELTERS.length} member shelters.`,
    `Demo sign-ins (password for all: ${DEMO_PASSWORD}):`,
    ...PEOPLE.map((person) => {
      const roles = person.isInstanceAdmin ? 'instance administrator' : Object.values(person.roles).flat().join(', ');
      const secret = secrets.get(person.email);
      return `  ${person.email} — ${roles}${secret ? ` — TOTP secret ${secret}` : ''}`;
    }),
    `Demo record: ${record.incidents} incidents of the 2019 pattern in every review state (two with a photo), ${record.reports} reports in the council's triage inbox.`,
    `Public statistics: ${PATTERN_2019.length} more verified incidents of June–August 2019 in ${new Set(PATTERN_2019.map((p) => p.state)).size} states, (GET /api/v1/statistics/summary; open data at /api/v1/open-data/dictionary).`,
    `Early warning: ${Number(signals.count)} open signals in the council's inbox at /senales (sign in as the council's documenter or reviewer); the rules at /reglas.`,
    alert
      ? `Published alert with its follow-up: /alertas/${alert.slug} (English: /en/alerts/${alert.slug}); drafts and reviews at /redaccion.`
      : `No alert was published: it needs ${config.alerts.approvalsRequired} reviewers other than its author (VIGIA_ALERT_APPROVALS).`,
    ...(record.receipt
      ? [`A report waiting for its reporter's answer: receipt ${record.receipt.code}, secret ${record.receipt.secret} (try it at /recibo).`]
      : []),
  ];
  return { lines };
}

async function seedNetwork(database: Database, keyring: Keyring): Promise<void> {
  // Hashing is slow on purpose; done before the transaction so it holds no lock meanwhile.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await database.transaction(async (trx) => {
    const organizations = await trx
      .insertInto('organizations')
      .values([
        { slug: COUNCIL.slug, name: COUNCIL.name, kind: 'network', state_code: COUNCIL.stateCode, municipality: COUNCIL.municipality, accepts_public_reports: true },
        ...SHELTERS.map((s) => ({
          slug: s.slug,
          name: s.name,
          kind: 'shelter' as const,
          state_code: s.stateCode,
          municipality: s.municipality,
          share_with_networks_by_default: true,
        })),
      ])
      .returning(['id', 'slug'])
      .execute();
    const idOf = new Map(organizations.map((o) => [o.slug, o.id]));
    const councilId = idOf.get(COUNCIL.slug)!;
    await trx
      .insertInto('network_members')
      .values(SHELTERS.map((s) => ({ network_id: councilId, organization_id: idOf.get(s.slug)! })))
      .execute();
    for (const person of PEOPLE) {
      const totpSecret = needsSecondFactor(person) ? generateTotpSecret() : null;
      const user = await trx
        .insertInto('users')
        .values({
          email: person.email,
          display_name: person.displayName,
          password_hash: passwordHash,
          is_instance_admin: person.isInstanceAdmin ?? false,
          totp_enabled_at: totpSecret ? new Date() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (totpSecret) await trx.updateTable('users').set({ totp_secret: sealTotpSecret(keyring, user.id, totpSecret) }).where('id', '=', user.id).execute();
      const memberships = Object.entries(person.roles).flatMap(([slug, roles]) =>
        roles.map((role) => ({ user_id: user.id, organization_id: idOf.get(slug)!, role })),
      );
      if (memberships.length > 0) await trx.insertInto('memberships').values(memberships).execute();
    }
  });
}

async function demoRecordPeople(database: Database): Promise<{ councilId: string; documenterId: string; reviewerId: string }> {
  const council = await database.db.selectFrom('organizations').select('id').where('slug', '=', COUNCIL.slug).executeTakeFirstOrThrow();
  const idOf = async (email: string) => (await database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  return { councilId: council.id, documenterId: await idOf('documentadora@demo.vigia.local'), reviewerId: await idOf('revisora@demo.vigia.local') };
}
