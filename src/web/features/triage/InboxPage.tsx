import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import type { CurrentSession } from '../../api/auth';
import { SelectField } from '../../components/form';
import { ListView, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { useMunicipalitiesOf, useStates, useVocabularies } from '../incident-editor/reference';
import { triageApi } from './api';
import { ReportWhenWhere, triageOrganizations } from './shared';
import { REPORT_STATUSES, type ReportStatus, type ReportSummary } from './types';
import './triage.css';

const ORGANIZATION_PARAM = 'organizacion';
const STATUS_PARAM = 'estado';

export const reportPath = (id: string) => WEB_PAGES.triageReport.replace(':id', encodeURIComponent(id));

/**
 * The triage inbox: the reports an organization received, newest first, with only what the inbox may
 * show (codes and dates, never the testimony: opening a report is a separate, audited read). The
 * organization and the status filter live in the address, so a reload or a shared link keeps them.
 */
export default function InboxPage() {
  return <RequireSession>{(session) => <Inbox session={session} />}</RequireSession>;
}

function Inbox({ session }: { session: CurrentSession }) {
  const { t } = useTranslation();
  useDocumentTitle(t('triage.inbox.title'));
  const organizations = triageOrganizations(session);
  const params = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const wanted = params.get(ORGANIZATION_PARAM);
  const organization = organizations.find((m) => m.organization.id === wanted) ?? organizations[0];
  const statusParam = params.get(STATUS_PARAM);
  const status = REPORT_STATUSES.find((s) => s === statusParam);

  const choose = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    const query = next.toString();
    navigate(`${WEB_PAGES.triageInbox}${query ? `?${query}` : ''}`, { replace: true });
  };

  if (!organization) {
    return (
      <>
        <h1>{t('triage.inbox.title')}</h1>
        <p>{t('triage.inbox.noOrganization')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('triage.inbox.title')}</h1>
      <p>{t('triage.inbox.intro')}</p>
      <div className="triage-filters">
        {organizations.length > 1 && (
          <SelectField
            id="triage-organization"
            label={t('triage.inbox.organization')}
            value={organization.organization.id}
            onChange={(event) => choose({ [ORGANIZATION_PARAM]: event.target.value })}
            options={organizations.map((m) => ({ value: m.organization.id, label: m.organization.name }))}
          />
        )}
        <SelectField
          id="triage-status"
          label={t('triage.inbox.status')}
          value={status ?? ''}
          onChange={(event) => choose({ [STATUS_PARAM]: event.target.value })}
          options={[
            { value: '', label: t('triage.inbox.open') },
            ...REPORT_STATUSES.map((s) => ({ value: s, label: t(`triage.status.${s}`) })),
          ]}
        />
      </div>
      <ReportList key={`${organization.organization.id}:${status ?? ''}`} organizationId={organization.organization.id} status={status} />
    </>
  );
}

function ReportList({ organizationId, status }: { organizationId: string; status: ReportStatus | undefined }) {
  const { t } = useTranslation();
  const headingId = useId();
  const { resource } = useResource(useCallback((signal: AbortSignal) => triageApi.inbox(organizationId, status, signal), [organizationId, status]));
  const reports = resource.status === 'loaded' ? resource.data.data : [];
  const states = useStates();
  const municipalities = useMunicipalitiesOf(reports.flatMap((r) => (r.stateCode ? [r.stateCode] : [])));
  const vocabularies = useVocabularies(['perpetrator_types', 'place_types']);
  const format = useFormat();

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('triage.inbox.listHeading')}</h2>
      <ListView resource={resource} empty={t('triage.inbox.empty')}>
        {(items: ReportSummary[]) => (
          <ul className="report-list">
            {items.map((report) => (
              <li key={report.id} className="report-card">
                <h3>
                  <Link href={reportPath(report.id)}>{t('triage.report.named', { code: report.receiptCode })}</Link>
                </h3>
                <dl>
                  <ReportWhenWhere report={report} states={states} municipalities={municipalities} vocabularies={vocabularies} />
                  <dt>{t('triage.fields.status')}</dt>
                  <dd>
                    <span className={`status-badge status-badge--${report.status}`}>{t(`triage.status.${report.status}`)}</span>
                  </dd>
                  <dt>{t('triage.fields.received')}</dt>
                  <dd>{format.dateTime(new Date(report.createdAt))}</dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
      </ListView>
    </section>
  );
}
