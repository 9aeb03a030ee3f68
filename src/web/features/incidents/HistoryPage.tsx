import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { incidentsApi, type IncidentChange, type IncidentVersion } from '../../api/incidents';
import { ResourceView, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { lastField, pathInWords, type PathWording } from './diff-words';
import { isMissing } from './IncidentPage';
import { useVocabularies, type VocabularyName } from './labels';
import { incidentPath } from './paths';
import './incidents.css';

/** An incident's versions, newest first, each with what changed since the one before it. */
export default function HistoryPage() {
  const { id = '' } = useParams<{ id: string }>();
  return <RequireSession>{() => <History key={id} id={id} />}</RequireSession>;
}

const KNOWN_KINDS = ['created', 'edited', 'archived', 'submit', 'request_information', 'verify', 'reject', 'reopen', 'shared', 'unshared'] as const;
type KnownKind = (typeof KNOWN_KINDS)[number];
const isKnownKind = (kind: string): kind is KnownKind => (KNOWN_KINDS as readonly string[]).includes(kind);

function History({ id }: { id: string }) {
  const { t } = useTranslation();
  const load = useCallback(
    (signal: AbortSignal) => Promise.all([incidentsApi.get(id, false, signal), incidentsApi.versions(id, signal)]),
    [id],
  );
  const history = useResource(load);
  const reference = history.resource.status === 'loaded' ? history.resource.data[0].reference : undefined;
  useDocumentTitle(reference ? t('incidents.history.heading', { reference }) : t('incidents.history.title'));
  if (history.resource.status === 'failed' && isMissing(history.resource.error)) {
    return (
      <>
        <h1>{t('incidents.history.title')}</h1>
        <div className="form-message form-message--error" role="alert">
          <p>{t('incidents.notFound')}</p>
        </div>
      </>
    );
  }
  return (
    <ResourceView resource={history.resource}>
      {([incident, { data: versions }]) => (
        <>
          <h1>{t('incidents.history.heading', { reference: incident.reference })}</h1>
          <p>
            <Link href={incidentPath(incident.id)}>{t('incidents.links.back', { reference: incident.reference })}</Link>
          </p>
          <p>{t('incidents.history.intro')}</p>
          {versions.length === 0 ? (
            <p>{t('incidents.history.none')}</p>
          ) : (
            <ol className="plain-list history">
              {versions.map((version) => (
                <VersionEntry key={version.version} incidentId={incident.id} version={version} />
              ))}
            </ol>
          )}
        </>
      )}
    </ResourceView>
  );
}

function VersionEntry({ incidentId, version }: { incidentId: string; version: IncidentVersion }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const kind = isKnownKind(version.changeKind) ? t(`incidents.history.kinds.${version.changeKind}`) : version.changeKind;
  return (
    <li className="record-part history-entry">
      <h2 className="history-entry__title">{t('incidents.history.summary', { version: version.version, kind })}</h2>
      <dl className="facts">
        <dt>{t('incidents.history.by')}</dt>
        <dd>{version.changedByName ?? t('incidents.history.someone')}</dd>
        <dt>{t('incidents.history.when')}</dt>
        <dd>
          <time dateTime={version.changedAt}>{format.dateTime(new Date(version.changedAt), { dateStyle: 'long', timeStyle: 'short' })}</time>
        </dd>
        <dt>{t('incidents.history.statusAfter')}</dt>
        <dd>{t(`incidents.status.${version.status}`)}</dd>
        {version.note && (
          <>
            <dt>{t('incidents.history.note')}</dt>
            <dd className="history-note">{version.note}</dd>
          </>
        )}
      </dl>
      {version.version === 1 ? (
        <p className="field__hint">{t('incidents.history.first')}</p>
      ) : (
        <details className="history-diff" onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>{t('incidents.history.changes', { previous: version.version - 1 })}</summary>
          {open && <Diff incidentId={incidentId} version={version.version} />}
        </details>
      )}
    </li>
  );
}

/** Which vocabulary a field's values come from, to show labels instead of codes. */
const FIELD_VOCABULARIES: Record<string, VocabularyName> = {
  actType: 'act_types',
  perpetratorType: 'perpetrator_types',
  degree: 'involvement_degrees',
  characteristics: 'victim_characteristics',
  sourceType: 'source_types',
  connection: 'source_connections',
  reliability: 'source_reliability',
  interventionType: 'intervention_types',
  placeType: 'place_types',
};

function Diff({ incidentId, version }: { incidentId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const diff = useResource(useCallback((signal: AbortSignal) => incidentsApi.diff(incidentId, version, signal), [incidentId, version]));
  const { label } = useVocabularies(Object.values(FIELD_VOCABULARIES));
  const wording: PathWording = {
    part: (collection, id) => {
      const key = `incidents.paths.parts.${collection}`;
      return i18n.exists(key) ? t(key as 'incidents.paths.parts.acts', { id }) : `${collection} ${id}`;
    },
    field: (key) => {
      if (key === '') return t('incidents.paths.record');
      const path = `incidents.paths.fields.${key}`;
      return i18n.exists(path) ? t(path as 'incidents.paths.fields.title') : undefined;
    },
    position: (index) => t('incidents.paths.position', { number: index + 1 }),
  };
  const show = (change: IncidentChange, value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('incidents.history.empty');
    const field = lastField(change.path);
    const vocabulary = field ? FIELD_VOCABULARIES[field] : undefined;
    if (typeof value === 'string') return vocabulary ? label(vocabulary, value) : value;
    if (Array.isArray(value) && vocabulary) return value.map((v) => label(vocabulary, String(v))).join(', ');
    if (field === 'status' && typeof value === 'string') return value;
    return typeof value === 'object' ? JSON.stringify(value, null, 1) : String(value);
  };
  return (
    <ResourceView resource={diff.resource}>
      {({ changes }) =>
        changes.length === 0 ? (
          <p>{t('incidents.history.noChanges')}</p>
        ) : (
          <ul className="plain-list diff">
            {changes.map((change) => (
              <li key={change.path} className={`diff__change diff__change--${change.kind}`}>
                <p className="diff__path">
                  <span className="badge">{t(`incidents.history.changeKinds.${change.kind}`)}</span> {pathInWords(change.path, wording)}
                </p>
                <dl className="facts diff__values">
                  {change.kind !== 'added' && (
                    <>
                      <dt>{t('incidents.history.before')}</dt>
                      <dd className="diff__value">{show(change, change.before)}</dd>
                    </>
                  )}
                  {change.kind !== 'removed' && (
                    <>
                      <dt>{t('incidents.history.after')}</dt>
                      <dd className="diff__value">{show(change, change.after)}</dd>
                    </>
                  )}
                </dl>
              </li>
            ))}
          </ul>
        )
      }
    </ResourceView>
  );
}
