import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import type { CurrentSession } from '../../api/auth';
import { ApiError } from '../../api/client';
import { FormMessage, SelectField } from '../../components/form';
import { ResourceView, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { RequireSession } from '../../session/RequireSession';
import { acceptedFrom, forgetVerdicts, readVerdicts } from '../triage/accepted';
import { triageApi } from '../triage/api';
import { triageOrganizations } from '../triage/shared';
import { incidentsApi, type Incident } from './api';
import { draftFromDocument, emptyDraft } from './draft';
import { IncidentEditor } from './IncidentEditor';
import { LegalQualification } from './LegalQualification';
import { draftFromReport } from './prefill';

export const editIncidentPath = (id: string) => WEB_PAGES.incidentEdit.replace(':id', encodeURIComponent(id));

/*
 * A record just created is shown by its editor page; the page it came from says so in the history
 * entry's state, so that the editor can say it was saved without putting anything in the address.
 */
const CREATED_STATE = { vigiaIncidentCreated: true };

function arrivedJustCreated(): boolean {
  const state: unknown = window.history.state;
  return typeof state === 'object' && state !== null && (state as Record<string, unknown>).vigiaIncidentCreated === true;
}

/** A blank record in one of the person's organizations. */
export function NewIncidentPage() {
  return <RequireSession>{(session) => <NewIncident session={session} />}</RequireSession>;
}

function NewIncident({ session }: { session: CurrentSession }) {
  const { t } = useTranslation();
  useDocumentTitle(t('editor.newTitle'));
  const [, navigate] = useLocation();
  const organizations = triageOrganizations(session);
  const [organizationId, setOrganizationId] = useState(organizations[0]?.organization.id ?? '');
  if (organizations.length === 0) {
    return (
      <>
        <h1>{t('editor.newTitle')}</h1>
        <p>{t('editor.noOrganization')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('editor.newTitle')}</h1>
      <IncidentEditor
        initial={emptyDraft()}
        submitLabel={t('editor.create')}
        save={async (document) => {
          const incident = await incidentsApi.create(organizationId, document);
          navigate(editIncidentPath(incident.id), { state: CREATED_STATE });
        }}
      >
        {organizations.length > 1 && (
          <SelectField
            id="editor-organization"
            label={t('editor.organization')}
            value={organizationId}
            onChange={(event) => setOrganizationId(event.target.value)}
            options={organizations.map((m) => ({ value: m.organization.id, label: m.organization.name }))}
          />
        )}
      </IncidentEditor>
    </>
  );
}

/** A record started from a report: prefilled from its codes, the accepted suggestions and its testimony. */
export function IncidentFromReportPage() {
  const { id = '' } = useParams<{ id: string }>();
  return <RequireSession>{() => <IncidentFromReport key={id} reportId={id} />}</RequireSession>;
}

function IncidentFromReport({ reportId }: { reportId: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t('editor.fromReportTitle'));
  const [, navigate] = useLocation();
  const { resource } = useResource(useCallback((signal: AbortSignal) => triageApi.open(reportId, signal), [reportId]));
  return (
    <>
      <p className="breadcrumb">
        <Link href={WEB_PAGES.triageReport.replace(':id', encodeURIComponent(reportId))}>{t('editor.backToReport')}</Link>
      </p>
      <h1>{t('editor.fromReportTitle')}</h1>
      <ResourceView resource={resource}>
        {(report) =>
          report.status === 'new' || report.status === 'needs_information' ? (
            <>
              <p>{t('editor.fromReportIntro', { code: report.receiptCode })}</p>
              <IncidentEditor
                initial={draftFromReport(report, acceptedFrom(readVerdicts(report.id)))}
                submitLabel={t('editor.create')}
                save={async (document) => {
                  const incident = await incidentsApi.createFromReport(report.id, document);
                  forgetVerdicts(report.id);
                  navigate(editIncidentPath(incident.id), { state: CREATED_STATE });
                }}
              />
            </>
          ) : (
            <p>{t('editor.reportClosed')}</p>
          )
        }
      </ResourceView>
    </>
  );
}

/**
 * An existing record. Identities, contacts and coordinates are opened (and the opening recorded) only
 * for someone allowed to read them; without them the record cannot be saved, because the server
 * clears sealed fields sent empty.
 */
export function EditIncidentPage() {
  const { id = '' } = useParams<{ id: string }>();
  return <RequireSession>{() => <EditIncident key={id} id={id} />}</RequireSession>;
}

function EditIncident({ id }: { id: string }) {
  const { t } = useTranslation();
  const [created] = useState(arrivedJustCreated);
  const [saved, setSaved] = useState<string>();
  // The record is read without its sealed part first: only its permissions say whether opening it is allowed.
  const load = useCallback(async (signal: AbortSignal) => {
    const plain = await incidentsApi.get(id, { sensitive: false }, signal);
    return plain.permissions.readSensitive ? incidentsApi.get(id, { sensitive: true }, signal) : plain;
  }, [id]);
  const { resource, reload, set } = useResource(load);
  const reference = resource.status === 'loaded' ? resource.data.reference : undefined;
  useDocumentTitle(reference ? t('editor.editTitleNamed', { reference }) : t('editor.editTitle'));

  if (resource.status === 'failed' && resource.error instanceof ApiError && ['NOT_FOUND', 'VALIDATION_FAILED'].includes(resource.error.code)) {
    return (
      <>
        <h1>{t('editor.editTitle')}</h1>
        <p>{t('editor.notFound')}</p>
      </>
    );
  }
  return (
    <ResourceView resource={resource}>
      {(incident: Incident) => (
        <>
          <h1>
            <span className="editor-kicker">{incident.reference}</span> {incident.document.title}
          </h1>
          <FormMessage kind="success" message={saved ?? (created ? t('editor.created', { reference: incident.reference }) : undefined)} />
          <LegalQualification findings={incident.legal} />
          {!incident.permissions.edit || !incident.sensitiveIncluded ? (
            <p>{incident.permissions.edit ? t('editor.needsSensitive') : t('editor.notEditable')}</p>
          ) : (
            <>
              <p className="sealed-notice" role="note">
                {t('editor.sensitiveOpened')}
              </p>
              <IncidentEditor
                key={incident.version}
                initial={draftFromDocument(incident.document)}
                submitLabel={t('editor.save')}
                onConflictReload={() => {
                  setSaved(undefined);
                  void reload();
                }}
                save={async (document) => {
                  await incidentsApi.update(incident.id, incident.version, document);
                  // The answer omits the sealed part; read it again so the form keeps showing it.
                  const fresh = await incidentsApi.get(incident.id, { sensitive: true });
                  setSaved(t('editor.savedVersion', { version: fresh.version }));
                  set(fresh);
                }}
              />
            </>
          )}
        </>
      )}
    </ResourceView>
  );
}
