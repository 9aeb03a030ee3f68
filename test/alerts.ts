import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../src/db/client.js';
import { alertContentSchema, type AlertContent, type AlertContentInput } from '../src/domain/alert.js';

/**
 * A complete alert content about the 2019 pattern (DOMAIN.md §1), in both languages, with no sealed
 * value in it: for tests of what is built around an alert (public pages, feeds, subscribers, requests)
 * rather than of drafting itself, which goes through the alert commands.
 */
export function sampleAlertContent(overrides: Partial<AlertContentInput> = {}): AlertContent {
  return alertContentSchema.parse({
    es: {
      title: 'Hostigamiento a albergues para personas migrantes en cinco estados',
      summary: 'Entre junio y julio de 2019 se documentaron 7 incidentes en 5 estados en los que la Guardia Nacional realizó revisiones migratorias sin facultades legales.',
      facts: 'Se documentaron 7 incidentes verificados.\n\n- Sonora: 2\n- Chiapas: 2\n- Tabasco: 1\n- Veracruz: 1\n- Coahuila: 1',
      cases: 'En Agua Prieta, Sonora, elementos de la Guardia Nacional intentaron ingresar a un albergue y filmaron al personal.',
      legalFramework: 'La Guardia Nacional no tiene facultades de verificación migratoria (Ley de Migración, art. 81).',
      recommendations: '- Que la Guardia Nacional se abstenga de realizar revisiones migratorias.',
    },
    en: {
      title: 'Harassment of migrant shelters in five states',
      summary: 'Between June and July 2019, 7 incidents were documented in 5 states in which the National Guard carried out migration checks without legal authority.',
      facts: '7 verified incidents were documented.\n\n- Sonora: 2\n- Chiapas: 2\n- Tabasco: 1\n- Veracruz: 1\n- Coahuila: 1',
      cases: 'In Agua Prieta, Sonora, National Guard members tried to enter a shelter and filmed its staff.',
      legalFramework: 'The National Guard has no authority to carry out migration verification (Migration Act, art. 81).',
      recommendations: '- The National Guard should refrain from carrying out migration checks.',
    },
    addressees: [
      { code: 'PRESIDENCIA', name: { es: 'Presidencia de la República', en: 'Office of the President' }, stateCode: null },
      { code: 'INM', name: { es: 'Instituto Nacional de Migración', en: 'National Migration Institute' }, stateCode: null },
    ],
    period: { from: '2019-06-01', to: '2019-07-31' },
    stateCodes: ['26', '07', '27', '30', '05'],
    actTypes: ['MIGRATION_CHECK', 'ATTEMPTED_ENTRY'],
    perpetratorTypes: ['GN'],
    legalRuleIds: ['R1'],
    urgent: false,
    ...overrides,
  });
}

/**
 * Inserts an alert straight into the tables with its first version (and, when published, its slug and
 * published version), for tests of what hangs off an alert. Tests of the workflow go through the commands.
 */
export async function insertAlert(
  database: Database,
  values: {
    networkId: string;
    status?: 'draft' | 'in_review' | 'approved' | 'published' | 'withdrawn';
    content?: AlertContent;
    slug?: string;
    incidentIds?: string[];
    createdBy?: string;
    publishedAt?: Date;
  },
): Promise<{ id: string; reference: string; slug: string | null }> {
  const status = values.status ?? 'published';
  const content = values.content ?? sampleAlertContent();
  const published = status === 'published' || status === 'withdrawn';
  const id = randomUUID();
  const { n } = await sql<{ n: string }>`select nextval('alert_numbers')::text as n`.execute(database.db).then((r) => r.rows[0]!);
  const reference = `ALR-${n.padStart(6, '0')}`;
  const slug = published ? (values.slug ?? `alerta-${id.slice(0, 8)}`) : null;
  const publishedAt = values.publishedAt ?? new Date();
  await database.db
    .insertInto('alerts')
    .values({
      id,
      network_id: values.networkId,
      reference,
      slug,
      status,
      version: 1,
      content: JSON.stringify(content),
      incident_ids: values.incidentIds ?? [],
      published_version: published ? 1 : null,
      published_at: published ? publishedAt : null,
      withdrawn_at: status === 'withdrawn' ? new Date() : null,
      withdrawal_reason: status === 'withdrawn' ? 'Retirada en una prueba' : null,
      created_by: values.createdBy ?? null,
      last_changed_by: values.createdBy ?? null,
    })
    .execute();
  await database.db
    .insertInto('alert_versions')
    .values({ alert_id: id, version: 1, status, content: JSON.stringify(content), change_kind: published ? 'published' : 'created', changed_by: values.createdBy ?? null })
    .execute();
  return { id, reference, slug };
}
