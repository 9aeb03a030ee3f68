import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import type { CurrentSession } from '../../api/auth';
import { SelectField } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { RequireSession } from '../../session/RequireSession';
import { mayExportUnredacted } from '../../session/workspace';
import { triageOrganizations } from '../triage/shared';
import { ExportForm } from './ExportForm';
import { ImportForm } from './ImportForm';
import './import-export.css';

/**
 * Importing a spreadsheet of incidents and exporting the record, for the organizations where the person
 * documents, reviews or administers (the server's rule for both; it still decides each request).
 */
export default function ImportExportPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('importExport.title'));
  return <RequireSession>{(session) => <ImportExport session={session} />}</RequireSession>;
}

function ImportExport({ session }: { session: CurrentSession }) {
  const { t } = useTranslation();
  const organizations = triageOrganizations(session);
  const [organizationId, setOrganizationId] = useState(organizations[0]?.organization.id ?? '');
  return (
    <>
      <p className="breadcrumb">
        <Link href={WEB_PAGES.incidentSearch}>{t('importExport.back')}</Link>
      </p>
      <h1>{t('importExport.title')}</h1>
      {organizations.length === 0 ? (
        <p>{t('importExport.noOrganization')}</p>
      ) : (
        <>
          {organizations.length > 1 && (
            <SelectField
              id="import-export-organization"
              className="import-export__organization"
              label={t('importExport.organization')}
              value={organizationId}
              onChange={(event) => setOrganizationId(event.target.value)}
              options={organizations.map((m) => ({ value: m.organization.id, label: m.organization.name }))}
            />
          )}
          <ImportForm key={`import-${organizationId}`} organizationId={organizationId} />
          <ExportForm key={`export-${organizationId}`} organizationId={organizationId} mayUnredact={mayExportUnredacted(session, organizationId)} />
        </>
      )}
    </>
  );
}
