import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'wouter';
import type { CurrentSession } from '../../api/auth';
import { ApiError } from '../../api/client';
import { organizationsApi } from '../../api/organizations';
import { useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { RequireSession } from '../../session/RequireSession';
import { mayAdminister } from '../../session/administration';
import { ApiTokens } from './ApiTokens';
import { Invitations } from './Invitations';
import { Members } from './Members';
import { Settings } from './Settings';
import './organization.css';

/**
 * One organization's administration, for its administrators (and the instance's): its name and
 * sharing default, its people and their roles, its invitations and its API tokens.
 */
export default function OrganizationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams<{ id: string }>();
  return (
    <RequireSession>
      {(session) =>
        mayAdminister(session, id) ? (
          <Administration key={id} id={id} session={session} />
        ) : (
          <NotAvailable heading={t('organization.title')} text={t('organization.notAdministrator')} />
        )
      }
    </RequireSession>
  );
}

function NotAvailable({ heading, text }: { heading: string; text: string }) {
  useDocumentTitle(heading);
  return (
    <>
      <h1>{heading}</h1>
      <p>{text}</p>
    </>
  );
}

function Administration({ id, session }: { id: string; session: CurrentSession }) {
  const { t } = useTranslation();
  const details = useResource(useCallback((signal: AbortSignal) => organizationsApi.get(id, signal), [id]));
  const name = details.resource.status === 'loaded' ? details.resource.data.name : undefined;
  useDocumentTitle(name ? t('organization.titleNamed', { name }) : t('organization.title'));

  if (details.resource.status === 'failed') {
    const { error } = details.resource;
    // A malformed id (400) and an organization this person may not see (404) are the same to them.
    const missing = error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED');
    return (
      <>
        <h1>{t('organization.title')}</h1>
        <div className="form-message form-message--error" role="alert">
          <p>{missing ? t('organization.notFound') : details.resource.message}</p>
        </div>
      </>
    );
  }
  if (details.resource.status === 'loading') {
    return (
      <>
        <h1>{t('organization.title')}</h1>
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      </>
    );
  }
  const organization = details.resource.data;
  return (
    <>
      <h1>
        <span className="page-kicker">{t('organization.kicker')}</span> {organization.name}
      </h1>
      <Settings organization={organization} onSaved={details.set} />
      <Members organizationId={id} session={session} />
      <Invitations organizationId={id} />
      <ApiTokens organizationId={id} />
    </>
  );
}
