import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrentSession } from '../../api/auth';
import { ApiError } from '../../api/client';
import { organizationsApi, type OrganizationDetails } from '../../api/organizations';
import { useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { RequireSession } from '../../session/RequireSession';
import { mayAdminister } from '../../session/administration';

/** What a page of one organization's administration is given once the organization has loaded. */
export interface AdministeredOrganizationProps {
  organization: OrganizationDetails;
  session: CurrentSession;
  /** Replaces the loaded organization (after a change the server answered with). */
  setOrganization: (organization: OrganizationDetails) => void;
}

/**
 * The frame of a page of one organization's administration (its page, its webhooks): signed in, an
 * administrator of it (or of the instance), the organization loaded; otherwise the sentence that says
 * why not. `title` gives the document title, with the organization's name once it is known.
 */
export function AdministeredOrganization({
  id,
  title,
  children,
}: {
  id: string;
  title: (name: string | undefined) => string;
  children: (props: AdministeredOrganizationProps) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <RequireSession>
      {(session) =>
        mayAdminister(session, id) ? (
          <Loaded key={id} id={id} session={session} title={title}>
            {children}
          </Loaded>
        ) : (
          <NotAvailable heading={title(undefined)} text={t('organization.notAdministrator')} />
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

function Loaded({
  id,
  session,
  title,
  children,
}: {
  id: string;
  session: CurrentSession;
  title: (name: string | undefined) => string;
  children: (props: AdministeredOrganizationProps) => ReactNode;
}) {
  const { t } = useTranslation();
  const details = useResource(useCallback((signal: AbortSignal) => organizationsApi.get(id, signal), [id]));
  const name = details.resource.status === 'loaded' ? details.resource.data.name : undefined;
  useDocumentTitle(title(name));

  if (details.resource.status === 'failed') {
    const { error } = details.resource;
    // A malformed id (400) and an organization this person may not see (404) are the same to them.
    const missing = error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED');
    return (
      <>
        <h1>{title(undefined)}</h1>
        <div className="form-message form-message--error" role="alert">
          <p>{missing ? t('organization.notFound') : details.resource.message}</p>
        </div>
      </>
    );
  }
  if (details.resource.status === 'loading') {
    return (
      <>
        <h1>{title(undefined)}</h1>
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      </>
    );
  }
  return <>{children({ organization: details.resource.data, session, setOrganization: details.set })}</>;
}
