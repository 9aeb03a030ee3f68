import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { receiveEvidenceChunk } from '../commands/receive-evidence-chunk.js';
import { startEvidenceUpload } from '../commands/start-evidence-upload.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { changeIncidentStatus } from '../commands/change-incident-status.js';
import { createIncident } from '../commands/create-incident.js';
import { insertReport } from '../commands/report-intake.js';
import { resolveReport } from '../commands/triage-report.js';
import { incidentDocumentSchema, type IncidentDocumentInput } from '../domain/incident.js';
import type { WorkflowStep } from '../domain/incident-workflow.js';
import { hashReceiptSecret, newReceiptSecret } from '../domain/receipts.js';
import { reportBaseSchema } from '../domain/report.js';
import type { Role } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';

/**
 * The demo's record: the 2019 pattern (DOMAIN.md §1) as incidents documented by the council, in every
 * state of the review workflow, plus reports waiting in its triage inbox. Places and forces follow the
 * public accounts of that summer; every name of a person is invented.
 */
interface DemoIncident {
  document: IncidentDocumentInput;
  /** Steps taken after creation, each by the documenter (submit) or the reviewer (the rest). */
  steps: { step: WorkflowStep; note?: string }[];
}

const shelterVictim = (name: string) => ({ id: 'v1', kind: 'organization' as const, name, characteristics: ['HUMAN_RIGHTS_ORGANIZATION'] });
const staffVictim = { id: 'v2', kind: 'group' as const, characteristics: ['SHELTER_STAFF', 'HUMAN_RIGHTS_DEFENDER'], count: 4, description: 'Personal y voluntariado del albergue' };
const verified = [{ step: 'submit' as const }, { step: 'verify' as const }];

export const DEMO_INCIDENTS: DemoIncident[] = [
  {
    document: {
      title: 'Guardia Nacional intenta ingresar al albergue y filma al personal en Agua Prieta',
      narrative: 'Elementos de la Guardia Nacional llegaron en dos patrullas, intentaron ingresar al albergue, preguntaron por las personas albergadas y por quienes donan, y filmaron al personal desde la entrada.',
      startDate: { date: '2019-06-27', precision: 'approximate' },
      place: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', coordinates: { lat: 31.3272, lon: -109.5484 } },
      circumstances: { writtenOrderShown: 'no', agentsIdentified: 'no', inmRequested: 'unknown', judicialOrderShown: 'no' },
      victims: [shelterVictim('Casa del Migrante de Agua Prieta (demo)'), staffVictim],
      acts: [
        { id: 'a1', actType: 'ATTEMPTED_ENTRY', victimId: 'v1' },
        { id: 'a2', actType: 'INFO_DEMAND', victimId: 'v1' },
        { id: 'a3', actType: 'SURVEILLANCE', victimId: 'v2' },
      ],
      involvements: [
        { id: 'i1', actId: 'a1', perpetratorType: 'GN', unit: 'dos patrullas, unos ocho elementos' },
        { id: 'i2', actId: 'a2', perpetratorType: 'GN' },
        { id: 'i3', actId: 'a3', perpetratorType: 'GN' },
      ],
      sources: [{ id: 's1', sourceType: 'VICTIM_TESTIMONY', connection: 'VICTIM', reliability: 'HIGH', name: 'Coordinación del albergue (demo)', contact: '+52 633 000 0000' }],
    },
    steps: verified,
  },
  {
    document: {
      title: 'Policía Federal intenta una revisión migratoria en la Casa del Migrante de Saltillo',
      narrative: 'Agentes de la Policía Federal se presentaron en la Casa del Migrante para revisar la situación migratoria de las personas albergadas, sin orden escrita del INM. La CNDH emitió medidas cautelares el 25 de julio.',
      startDate: { date: '2019-07-20', precision: 'day' },
      place: { stateCode: '05', municipalityCode: '05030', placeType: 'MIGRANT_SHELTER' },
      circumstances: { writtenOrderShown: 'no', agentsIdentified: 'yes', inmRequested: 'no', judicialOrderShown: 'no' },
      victims: [shelterVictim('Casa del Migrante de Saltillo (demo)'), { id: 'v3', kind: 'group', characteristics: ['MIGRANT'], count: 60, description: 'Personas albergadas' }],
      acts: [
        { id: 'a1', actType: 'MIGRATION_CHECK', victimId: 'v3' },
        { id: 'a2', actType: 'ATTEMPTED_ENTRY', victimId: 'v1' },
      ],
      involvements: [
        { id: 'i1', actId: 'a1', perpetratorType: 'PF' },
        { id: 'i2', actId: 'a2', perpetratorType: 'PF' },
      ],
      sources: [{ id: 's1', sourceType: 'GOVERNMENT_STATEMENT', connection: 'OFFICIAL', reliability: 'HIGH', description: 'Medidas cautelares de la CNDH, 25 de julio de 2019' }],
      interventions: [{ id: 'n1', interventionType: 'PRECAUTIONARY_MEASURES_REQUEST', status: 'RESOLVED', addressedTo: 'CNDH', description: 'Medidas cautelares otorgadas' }],
    },
    steps: verified,
  },
  {
    document: {
      title: 'Guardia Nacional e INM patrullan frente a albergues de Tijuana',
      narrative: 'Durante varios días de julio, patrullas de la Guardia Nacional y vehículos del INM permanecieron frente a los albergues, intimidando a las personas que entraban y salían.',
      startDate: { date: '2019-07-01', precision: 'month' },
      place: { stateCode: '02', municipalityCode: '02004', placeType: 'SHELTER_SURROUNDINGS' },
      victims: [shelterVictim('Albergue Frontera Norte, Tijuana (demo)'), staffVictim],
      acts: [{ id: 'a1', actType: 'INTIMIDATION', victimId: 'v2' }],
      involvements: [
        { id: 'i1', actId: 'a1', perpetratorType: 'GN' },
        { id: 'i2', actId: 'a1', perpetratorType: 'INM' },
      ],
    },
    steps: verified,
  },
  {
    document: {
      title: 'Redada en las inmediaciones del albergue de Tapachula',
      narrative: 'Agentes del INM acompañados por la Guardia Nacional detuvieron a personas migrantes a pocas cuadras del albergue.',
      startDate: { date: '2019-07-12', precision: 'day' },
      place: { stateCode: '07', municipalityCode: '07089', placeType: 'SHELTER_SURROUNDINGS' },
      victims: [{ id: 'v1', kind: 'group', characteristics: ['MIGRANT'], count: 12, description: 'Personas migrantes' }],
      acts: [{ id: 'a1', actType: 'ROUNDUP_NEARBY', victimId: 'v1' }],
      involvements: [
        { id: 'i1', actId: 'a1', perpetratorType: 'INM' },
        { id: 'i2', actId: 'a1', perpetratorType: 'GN' },
      ],
    },
    steps: [{ step: 'submit' }],
  },
  {
    document: {
      title: 'Militares fotografían a voluntarios en Tenosique',
      narrative: 'Soldados fotografiaron desde un vehículo a voluntarias y voluntarios que salían de la casa de acogida.',
      startDate: { date: '2019-08-03', precision: 'day' },
      place: { stateCode: '27', municipalityCode: '27017', placeType: 'SHELTER_SURROUNDINGS' },
      victims: [staffVictim],
      acts: [{ id: 'a1', actType: 'SURVEILLANCE', victimId: 'v2' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'SEDENA' }],
    },
    steps: [{ step: 'submit' }, { step: 'request_information', note: '¿Hay fotografías del vehículo o de las placas?' }],
  },
  {
    document: {
      title: 'Amenazas de policías municipales a la coordinación del albergue de Ixtepec',
      narrative: 'Policías municipales advirtieron al coordinador que "cerrarían" el albergue si seguía recibiendo personas.',
      startDate: { date: '2019-08-10', precision: 'approximate' },
      place: { stateCode: '20', municipalityCode: '20014', placeType: 'MIGRANT_SHELTER' },
      victims: [{ id: 'v1', kind: 'person', name: 'Coordinador del albergue (nombre de demo)', characteristics: ['HUMAN_RIGHTS_DEFENDER', 'SHELTER_STAFF'] }],
      acts: [{ id: 'a1', actType: 'THREAT', victimId: 'v1' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'POL_MUN' }],
    },
    steps: [],
  },
  {
    document: {
      title: 'Declaraciones que señalan a un albergue de la Ciudad de México',
      narrative: 'Un funcionario local afirmó en una rueda de prensa que el albergue "protege a delincuentes".',
      startDate: { date: '2019-07-25', precision: 'day' },
      place: { stateCode: '09', municipalityCode: '09015', placeType: 'ORGANIZATION_OFFICE' },
      victims: [shelterVictim('Casa de Acogida Ciudad de México (demo)')],
      acts: [{ id: 'a1', actType: 'STIGMATIZATION', victimId: 'v1' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'OFFICIAL' }],
    },
    steps: [{ step: 'submit' }, { step: 'reject', note: 'No se pudo confirmar la declaración con ninguna fuente.' }],
  },
];

const DEMO_REPORTS = [
  {
    whatHappened: 'Hoy en la mañana llegaron elementos de la Guardia Nacional al albergue en Tapachula, Chiapas. Querían entrar a revisar papeles y pidieron la lista de personas albergadas.',
    when: { date: '2019-07-30', precision: 'day' as const },
    where: { stateCode: '07', municipalityCode: '07089', placeType: 'MIGRANT_SHELTER', shelterName: '' },
    who: { perpetratorType: 'GN', description: 'tres camionetas' },
  },
  {
    whatHappened: 'Unos soldados estuvieron grabando con el celular a la gente que entraba a la casa del migrante en Tenosique, Tabasco.',
    when: { date: '2019-08-02', precision: 'approximate' as const },
    where: { stateCode: '27', municipalityCode: null, placeType: null, shelterName: '' },
    who: { perpetratorType: null, description: '' },
  },
];

/** The actor a demo person is when the seed acts through the commands (second factor passed). */
export function actorFor(userId: string, organizationId: string, role: Role): Actor {
  const mfa = role === 'reviewer' || role === 'administrator';
  return {
    kind: 'user',
    userId,
    sessionId: randomUUID(),
    isInstanceAdmin: false,
    memberships: [{ organizationId, roles: [role] }],
    mfaRequired: mfa,
    mfaEnrolled: mfa,
    mfaVerified: true,
  };
}

/** What the newcomer is told about the demo record: where to look, and a receipt to try. */
export interface DemoRecordSummary {
  incidents: number;
  reports: number;
  receipt: { code: string; secret: string } | null;
}

/**
 * Documents the demo incidents through the same commands a person would use (so each has its versions,
 * legal qualification and audit trail) and leaves reports in the inbox. Runs once: a council that already
 * has incidents is left as it is.
 */
export async function seedDemoRecord(
  database: Database,
  keyring: Keyring,
  store: EvidenceStore,
  people: { councilId: string; documenterId: string; reviewerId: string },
): Promise<DemoRecordSummary> {
  const { councilId } = people;
  const existing = await database.db.selectFrom('incidents').select('id').where('organization_id', '=', councilId).limit(1).execute();
  if (existing.length > 0) {
    const reports = await database.db.selectFrom('reports').select('id').where('organization_id', '=', councilId).execute();
    // Only this record's incidents: the public-statistics pattern (pattern-2019.ts) is counted apart.
    const incidents = await database.db
      .selectFrom('incidents')
      .select('id')
      .where('organization_id', '=', councilId)
      .where('title', 'in', DEMO_INCIDENTS.map((d) => d.document.title))
      .execute();
    return { incidents: incidents.length, reports: reports.length, receipt: null };
  }
  const documenter = actorFor(people.documenterId, councilId, 'documenter');
  const reviewer = actorFor(people.reviewerId, councilId, 'reviewer');
  for (const [index, demo] of DEMO_INCIDENTS.entries()) {
    const incident = await createIncident({
      database,
      keyring,
      actor: documenter,
      organizationId: councilId,
      document: incidentDocumentSchema.parse(demo.document),
      shareWithNetworks: true,
      mayPublish: true,
    });
    // A photo for the first incidents, before review: what a documenter attaches as they document.
    if (index < 2) await attachDemoPhoto(database, keyring, store, documenter, incident.id, index);
    for (const { step, note } of demo.steps) {
      await changeIncidentStatus({ database, actor: step === 'submit' ? documenter : reviewer, incidentId: incident.id, step, note });
    }
  }
  let receipt: DemoRecordSummary['receipt'] = null;
  for (const [i, report] of DEMO_REPORTS.entries()) {
    const secret = newReceiptSecret();
    const filed = await database.transaction((trx) =>
      insertReport(trx, keyring, {
        organizationId: councilId,
        channel: 'public',
        base: reportBaseSchema.parse({ ...report, consent: { mayContact: false, mayPublish: true } }),
        idempotencyKey: null,
        secretHash: hashReceiptSecret(secret),
        submittedBy: null,
      }),
    );
    if (i === 1) {
      await resolveReport({ database, keyring, actor: documenter, reportId: filed.id, outcome: 'needs_information', message: '¿Recuerda la hora y cuántos soldados eran?' });
      receipt = { code: filed.receiptCode, secret };
    }
  }
  return { incidents: DEMO_INCIDENTS.length, reports: DEMO_REPORTS.length, receipt };
}

/**
 * A generated photo carrying GPS and camera tags, as a phone would leave them, uploaded like any evidence:
 * the demo then shows the metadata-free copy, the hash in the audit chain and the chain of custody.
 */
async function attachDemoPhoto(database: Database, keyring: Keyring, store: EvidenceStore, actor: Actor, incidentId: string, index: number): Promise<void> {
  const colours = [{ r: 70, g: 110, b: 60 }, { r: 120, g: 90, b: 70 }];
  const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: colours[index % colours.length]! } })
    .withExif({
      IFD0: { Make: 'DemoPhone', Model: 'Demo 1', ImageDescription: 'Foto de demostración' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 19/1 3840/100', GPSLongitudeRef: 'W', GPSLongitude: '109/1 32/1 5520/100' },
    })
    .jpeg({ quality: 80 })
    .toBuffer();
  const started = await startEvidenceUpload({
    database,
    keyring,
    store,
    maxBytes: photo.length,
    actor,
    incidentId,
    length: photo.length,
    fileName: `IMG_2019070${index + 1}.jpg`,
    description: 'Fotografía tomada desde la entrada del albergue (demo)',
  });
  await receiveEvidenceChunk({ database, keyring, store, actor, evidenceId: started.id, offset: 0, chunk: Readable.from(photo), chunkLength: photo.length });
}
