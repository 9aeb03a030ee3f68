import type { ColumnType, Generated, Insertable, RawBuilder, Selectable } from 'kysely';

/**
 * The database's tables as Kysely sees them. Kept by hand beside the SQL migrations: when a
 * migration changes a table, change its interface here in the same commit.
 */
export interface DB {
  organizations: OrganizationsTable;
  network_members: NetworkMembersTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  sign_in_throttle: SignInThrottleTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  api_tokens: ApiTokensTable;
  ref_datasets: RefDatasetsTable;
  ref_states: RefStatesTable;
  ref_municipalities: RefMunicipalitiesTable;
  vocabularies: VocabulariesTable;
  vocabulary_terms: VocabularyTermsTable;
  outbox_jobs: OutboxJobsTable;
  schema_migrations: SchemaMigrationsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  organization_keys: OrganizationKeysTable;
  reports: ReportsTable;
  report_additions: ReportAdditionsTable;
  incidents: IncidentsTable;
  incident_versions: IncidentVersionsTable;
  incident_notes: IncidentNotesTable;
  evidence: EvidenceTable;
  intake_throttle: IntakeThrottleTable;
  spent_challenges: SpentChallengesTable;
  alerts: AlertsTable;
  alert_versions: AlertVersionsTable;
  alert_approvals: AlertApprovalsTable;
  alert_subscriptions: AlertSubscriptionsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  alert_requests: AlertRequestsTable;
  alert_responses: AlertResponsesTable;
  alert_response_documents: AlertResponseDocumentsTable;
  public_rollup: PublicRollupTable;
  public_rollup_municipality: PublicRollupMunicipalityTable;
  alert_rules: AlertRulesTable;
  alert_rule_versions: AlertRuleVersionsTable;
  alert_incident_facts: AlertIncidentFactsTable;
  alert_daily_counts: AlertDailyCountsTable;
  signals: SignalsTable;
  signal_events: SignalEventsTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface SchemaMigrationsTable {
  id: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface RefDatasetsTable {
  name: string;
  version: string;
  checksum: string;
  source: string;
  licence: string;
  loaded_at: Timestamp;
}

export interface RefStatesTable {
  code: string;
  name: string;
  official_name: string;
  abbreviation: string;
  iso_3166_2: string;
  geometry: Json | null;
}

export interface RefMunicipalitiesTable {
  cvegeo: string;
  state_code: string;
  code: string;
  name: string;
  seat_name: string | null;
  lat: number | null;
  lon: number | null;
  population_2020: number | null;
  catalogue_version: string;
  retired_in: string | null;
}

export interface VocabulariesTable {
  name: string;
  label_es: string;
  label_en: string;
  description_es: Generated<string>;
  description_en: Generated<string>;
}

export interface VocabularyTermsTable {
  vocabulary: string;
  code: string;
  label_es: string;
  label_en: string;
  description_es: Generated<string>;
  description_en: Generated<string>;
  huridocs_code: string | null;
  parent_code: string | null;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  origin: Generated<'builtin' | 'local'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type OutboxStatus = 'pending' | 'running' | 'done' | 'dead';

export interface OutboxJobsTable {
  id: Generated<number>;
  kind: string;
  /** The job definition's version the payload follows (see src/jobs/registry.ts). */
  version: Generated<number>;
  payload: Json;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: Timestamp;
  claim_token: string | null;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: Date | null;
}

export type OutboxJobRow = Selectable<OutboxJobsTable>;
export type NewOutboxJob = Insertable<OutboxJobsTable>;

export type AuditActorType = 'user' | 'api_token' | 'anonymous' | 'system';

/** Append-only (the database refuses UPDATE, DELETE and TRUNCATE); written only by src/audit/audit-log.ts. */
export interface AuditLogTable {
  seq: number;
  occurred_at: ColumnType<Date, Date, never>;
  actor_type: AuditActorType;
  actor_id: string | null;
  organization_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  /** Ids and codes only, never testimony or personal data: an entry can never be edited. */
  details: Json;
  prev_hash: string;
  hash: string;
}

/** The audit chain's last seq and hash, one row, locked by every append so the chain cannot fork. */
export interface AuditHeadTable {
  id: boolean;
  seq: number;
  hash: string;
}

export type OrganizationKind = 'shelter' | 'organization' | 'network';
export type Role = 'reporter' | 'documenter' | 'reviewer' | 'administrator';

export interface OrganizationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  kind: OrganizationKind;
  state_code: string | null;
  municipality: string | null;
  share_with_networks_by_default: Generated<boolean>;
  accepts_public_reports: Generated<boolean>;
  created_at: Timestamp;
  archived_at: Date | null;
}

export interface NetworkMembersTable {
  network_id: string;
  organization_id: string;
  added_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  is_instance_admin: Generated<boolean>;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  /** The last TOTP time step (Unix time / 30 s) a code was accepted for; older or equal steps are refused. */
  totp_last_step: number | null;
  created_at: Timestamp;
  disabled_at: Date | null;
}

export interface MembershipsTable {
  user_id: string;
  organization_id: string;
  role: Role;
  granted_by: string | null;
  granted_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  mfa_verified: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date | string;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface SignInThrottleTable {
  key: string;
  failures: Generated<number>;
  window_start: Timestamp;
  locked_until: Date | null;
}

export interface InvitationsTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  role: Role;
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Date | string;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Date | string;
  used_at: Date | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  token_hash: string;
  permissions: string[];
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface OrganizationKeysTable {
  organization_id: string;
  version: number;
  wrapped_key: string;
  master_key_id: string;
  created_at: Generated<Date>;
}

export type ReportChannel = 'public' | 'member';
export type ReportStatus = 'new' | 'needs_information' | 'incident_created' | 'attached' | 'rejected';
export type DatePrecision = 'day' | 'month' | 'approximate';

export interface ReportsTable {
  id: string;
  organization_id: string;
  channel: ReportChannel;
  receipt_code: string;
  secret_hash: string;
  idempotency_key: string | null;
  submitted_by: string | null;
  status: Generated<ReportStatus>;
  state_code: string | null;
  municipality_code: string | null;
  place_type: string | null;
  occurred_on: string | null;
  date_precision: DatePrecision | null;
  perpetrator_type: string | null;
  may_contact: Generated<boolean>;
  may_publish: Generated<boolean>;
  sealed: string;
  incident_id: string | null;
  resolution_sealed: string | null;
  triaged_by: string | null;
  triaged_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ReportAdditionsTable {
  id: string;
  report_id: string;
  sealed: string;
  created_at: Generated<Date>;
}

export type IncidentStatus = 'reported' | 'in_review' | 'verified' | 'rejected' | 'needs_information';

/** A text[] column: read as string[], written as string[]. */
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface IncidentsTable {
  id: string;
  organization_id: string;
  reference: string;
  status: Generated<IncidentStatus>;
  version: Generated<number>;
  document: Json;
  sealed: string | null;
  title: string;
  state_code: string | null;
  municipality_code: string | null;
  place_type: string | null;
  start_date: string | null;
  date_precision: DatePrecision | null;
  end_date: string | null;
  act_types: TextArray;
  perpetrator_types: TextArray;
  victim_types: TextArray;
  legal_rule_ids: TextArray;
  legal: ColumnType<unknown, string | undefined, string>;
  has_evidence: Generated<boolean>;
  shared_with_networks: Generated<boolean>;
  may_publish: Generated<boolean>;
  /** Written only as `searchVectorSql(title, narrative)` (repositories/incident-search.ts). */
  search_vector: ColumnType<string | null, RawBuilder<unknown> | undefined, RawBuilder<unknown>>;
  created_by: string | null;
  last_changed_by: string | null;
  verified_by: string | null;
  verified_at: Timestamp | null;
  archived_at: Timestamp | null;
  archive_reason: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface IncidentVersionsTable {
  incident_id: string;
  version: number;
  status: IncidentStatus;
  document: Json;
  sealed: string | null;
  change_kind: string;
  note: string | null;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface IncidentNotesTable {
  id: string;
  incident_id: string;
  author_id: string;
  body: string;
  created_at: Generated<Date>;
}

export type EvidenceStatus = 'uploading' | 'complete' | 'refused';
export type EvidenceKind = 'image' | 'video' | 'audio' | 'document';

/** A bigint column read as a number (both engines are set to parse int8 as number). */
type BigintNumber = ColumnType<number, number | undefined, number>;

export interface EvidenceTable {
  id: string;
  organization_id: string;
  incident_id: string | null;
  report_id: string | null;
  status: Generated<EvidenceStatus>;
  declared_length: number;
  received_length: BigintNumber;
  key_version: number;
  mime_type: string | null;
  kind: EvidenceKind | null;
  sha256: string | null;
  has_redacted_copy: Generated<boolean>;
  sealed: string | null;
  uploaded_by: string | null;
  created_at: Generated<Date>;
  received_at: Timestamp | null;
}

export interface IntakeThrottleTable {
  bucket: string;
  window_start: Timestamp;
  count: Generated<number>;
}

export interface SpentChallengesTable {
  challenge_id: string;
  expires_at: Timestamp;
}

export type AlertStatus = 'draft' | 'in_review' | 'approved' | 'published' | 'withdrawn';

export interface AlertsTable {
  id: string;
  network_id: string;
  reference: string;
  slug: string | null;
  status: Generated<AlertStatus>;
  version: Generated<number>;
  /** domain/alert.ts `AlertContent`. */
  content: Json;
  incident_ids: TextArray;
  signal_id: string | null;
  published_version: number | null;
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  withdrawal_reason: string | null;
  created_by: string | null;
  last_changed_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AlertVersionsTable {
  alert_id: string;
  version: number;
  status: AlertStatus;
  content: Json;
  change_kind: string;
  note: string | null;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface AlertApprovalsTable {
  alert_id: string;
  version: number;
  reviewer_id: string;
  note: string | null;
  approved_at: Generated<Date>;
}

export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed';

export interface AlertSubscriptionsTable {
  id: string;
  /** Sealed with `Keyring.sealPersonal(id, 'alert-subscription-email', …)`. */
  email_sealed: string;
  email_hash: string;
  language: 'es' | 'en';
  state_codes: TextArray;
  act_types: TextArray;
  status: Generated<SubscriptionStatus>;
  confirm_token_hash: string | null;
  /** Keyed under the master key `email_sealed` is sealed with (see subscription-secrets.ts). */
  unsubscribe_token_hash: string;
  /** Hashes of unsubscribe tokens from before a master key rotation: links already sent keep working. */
  retired_unsubscribe_token_hashes: TextArray;
  created_at: Generated<Date>;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
  updated_at: Generated<Date>;
}

export interface WebhookEndpointsTable {
  id: string;
  network_id: string;
  url: string;
  description: Generated<string>;
  /** Sealed with the network's data key, context `webhook-secret`. */
  secret_sealed: string;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  job_id: number;
  attempt: number;
  alert_id: string;
  event: string;
  attempted_at: Generated<Date>;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  succeeded: boolean;
}

export type RequestChannel = 'official_letter' | 'email' | 'in_person' | 'platform' | 'other';

/** Dates (`sent_on`, `due_on`, `received_on`) are SQL `date`s: read them as `::text` (YYYY-MM-DD). */
type DateColumn = ColumnType<string, string, string>;

export interface AlertRequestsTable {
  id: string;
  alert_id: string;
  addressee_code: string;
  addressee_name: Json;
  state_code: string | null;
  sent_on: DateColumn;
  channel: Generated<RequestChannel>;
  due_on: DateColumn;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AlertResponsesTable {
  id: string;
  request_id: string;
  received_on: DateColumn;
  summary: string;
  document_text: string | null;
  recorded_by: string | null;
  recorded_at: Generated<Date>;
}

/** The authority's answer as a file, sealed in the evidence store (one per response). */
export interface AlertResponseDocumentsTable {
  response_id: string;
  store_id: string;
  organization_id: string;
  key_version: number;
  mime_type: string;
  kind: 'image' | 'document';
  length: BigintNumber;
  sha256: string;
  public: Generated<boolean>;
  uploaded_by: string | null;
  uploaded_at: Generated<Date>;
}

/** Publicly counted incidents by month over state, act, perpetrator and place type ('*' = any). */
export interface PublicRollupTable {
  month: string;
  state_code: string;
  act_type: string;
  perpetrator_type: string;
  place_type: string;
  incidents: number;
}

/** Publicly counted incidents by month and municipality ('' = not known). */
export interface PublicRollupMunicipalityTable {
  month: string;
  state_code: string;
  municipality_code: string;
  incidents: number;
}

export type AlertRuleKind = 'spread' | 'escalation' | 'repeat_targeting' | 'outside_mandate' | 'severity';

export interface AlertRulesTable {
  id: string;
  kind: AlertRuleKind;
  description_es: string;
  description_en: string;
  /** src/alerts/rule-kinds.ts, by kind. */
  parameters: Json;
  version: Generated<number>;
  enabled: Generated<boolean>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface AlertRuleVersionsTable {
  rule_id: string;
  version: number;
  description_es: string;
  description_en: string;
  parameters: Json;
  enabled: boolean;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface AlertIncidentFactsTable {
  network_id: string;
  incident_id: string;
  organization_id: string;
  state_code: string;
  municipality_code: string | null;
  occurred_on: string;
  act_types: TextArray;
  perpetrator_types: TextArray;
  victim_types: TextArray;
  place_type: string | null;
  shelter_key: string | null;
  legal_rule_ids: TextArray;
}

export interface AlertDailyCountsTable {
  network_id: string;
  state_code: string;
  day: string;
  incidents: number;
}

export type SignalStatus = 'open' | 'dismissed' | 'drafted';

export interface SignalsTable {
  id: string;
  network_id: string;
  rule_id: string;
  rule_version: number;
  dedupe_key: string;
  status: Generated<SignalStatus>;
  urgent: Generated<boolean>;
  /** src/alerts/evaluate.ts `SignalFigures`. */
  figures: Json;
  incident_ids: TextArray;
  alert_id: string | null;
  dismissal_reason: string | null;
  closed_by: string | null;
  first_fired_at: Generated<Date>;
  last_fired_at: Generated<Date>;
  closed_at: Timestamp | null;
}

export interface SignalEventsTable {
  id: Generated<string>;
  signal_id: string;
  kind: 'fired' | 'updated' | 'dismissed' | 'drafted';
  rule_version: number;
  figures: Json;
  incident_ids: TextArray;
  actor_id: string | null;
  created_at: Generated<Date>;
}
