import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { ApiError } from '../../api/client';
import { incidentsApi, type Incident } from '../../api/incidents';
import { useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { EvidenceSection } from '../evidence/EvidenceSection';
import { ArchivePanel, SharingPanel, StatusBadge, WorkflowPanel } from './IncidentActions';
import { IncidentNotes } from './IncidentNotes';
import { IncidentRecord } from './IncidentRecord';
import { LegalFindings } from './LegalFindings';
import { incidentEditPath, incidentHistoryPath } from './paths';
import './incidents.css';

/**
 * One incident: its record, its legal qualification, what the reader may do with it now (review steps,
 * sharing, archiving, editing), its evidence, and the way to its history.
 */
export default function IncidentPage() {
  const { id = '' } = useParams<{ id: string }>();
  return <RequireSession>{() => <IncidentView key={id} id={id} />}</RequireSession>;
}

/** Whether an error means "no such incident for you" (a malformed id and a hidden one look the same). */
export function isMissing(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED' || error.code === 'BAD_REQUEST');
}

function IncidentView({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  // Sealed names are read only on request, never from an address: a reload or a shared link must not
  // record a read nobody meant to make.
  const [withNames, setWithNames] = useState(false);
  const incident = useResource(useCallback((signal: AbortSignal) => incidentsApi.get(id, withNames, signal), [id, withNames]));
  const loaded = incident.resource.status === 'loaded' ? incident.resource.data : undefined;
  useDocumentTitle(loaded ? `${loaded.reference} · ${loaded.document.title}` : t('incidents.title'));

  if (incident.resource.status === 'failed') {
    return (
      <>
        <h1>{t('incidents.title')}</h1>
        <div className="form-message form-message--error" role="alert">
          <p>{isMissing(incident.resource.error) ? t('incidents.notFound') : incident.resource.message}</p>
        </div>
      </>
    );
  }
  if (!loaded) {
    return (
      <>
        <h1>{t('incidents.title')}</h1>
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      </>
    );
  }
  // A step's answer is the incident without sealed fields; keep showing names only if they were asked for.
  const changed = (next: Incident) => (withNames ? void incident.reload() : incident.set(next));
  const { permissions } = loaded;
  return (
    <>
      <h1>
        <span className="page-kicker">{t('incidents.kicker', { reference: loaded.reference })}</span> {loaded.document.title}
      </h1>
      <p>
        {t('incidents.statusLabel')}: <StatusBadge status={loaded.status} />
      </p>
      {loaded.archivedAt && (
        <p className="incident-archived">
          {t('incidents.archived', {
            date: format.dateTime(new Date(loaded.archivedAt), { dateStyle: 'long' }),
            reason: loaded.archiveReason ?? '',
          })}
        </p>
      )}
      <nav aria-label={t('incidents.links.label')}>
        <ul className="link-list incident-links">
          {permissions.edit && (
            <li>
              <Link href={incidentEditPath(loaded.id)}>{t('incidents.links.edit')}</Link>
            </li>
          )}
          <li>
            <Link href={incidentHistoryPath(loaded.id)}>{t('incidents.links.history')}</Link>
          </li>
          <li>
            <Link href={WEB_PAGES.incidentSearch}>{t('incidents.links.search')}</Link>
          </li>
        </ul>
      </nav>
      {permissions.readSensitive && (
        <div className="sensitive-control">
          <p id="sensitive-hint" className="field__hint">
            {loaded.sensitiveIncluded ? t('incidents.sensitive.shown') : t('incidents.sensitive.hint')}
          </p>
          <button type="button" className="button" aria-describedby="sensitive-hint" onClick={() => setWithNames(!withNames)}>
            {withNames ? t('incidents.sensitive.hide') : t('incidents.sensitive.show')}
          </button>
        </div>
      )}
      <LegalFindings findings={loaded.legal} />
      <WorkflowPanel incident={loaded} onChanged={changed} />
      <IncidentRecord incident={loaded} />
      <EvidenceSection incidentId={loaded.id} mayAdd={permissions.addEvidence} />
      {permissions.edit && <IncidentNotes incidentId={loaded.id} />}
      {permissions.share && <SharingPanel incident={loaded} onChanged={changed} />}
      {permissions.archive && <ArchivePanel incident={loaded} onChanged={changed} />}
    </>
  );
}
