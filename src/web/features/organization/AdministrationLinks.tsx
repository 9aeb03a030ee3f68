import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import type { CurrentSession } from '../../api/auth';
import { organizationsApi } from '../../api/organizations';
import { ResourceView, useResource } from '../../components/resource';
import { administeredOrganizations, mayReadAudit } from '../../session/administration';

export function organizationPath(id: string): string {
  return WEB_PAGES.organization.replace(':id', encodeURIComponent(id));
}

/**
 * For the account page of an administrator: the audit log and the organizations they administer
 * (every organization, for an instance administrator). Nothing for anyone else.
 */
export function AdministrationLinks({ session }: { session: CurrentSession }) {
  const { t } = useTranslation();
  if (!mayReadAudit(session)) return null;
  return (
    <section className="panel" aria-labelledby="administration-heading">
      <h2 id="administration-heading">{t('administration.heading')}</h2>
      <p>
        <Link href={WEB_PAGES.audit}>{t('administration.audit')}</Link>
      </p>
      {session.user.isInstanceAdmin ? (
        <AllOrganizations />
      ) : (
        <OrganizationLinks organizations={administeredOrganizations(session).map((m) => m.organization)} />
      )}
    </section>
  );
}

function AllOrganizations() {
  const organizations = useResource(useCallback((signal: AbortSignal) => organizationsApi.list(signal), []));
  return <ResourceView resource={organizations.resource}>{({ data }) => <OrganizationLinks organizations={data} />}</ResourceView>;
}

function OrganizationLinks({ organizations }: { organizations: ReadonlyArray<{ id: string; name: string }> }) {
  const { t } = useTranslation();
  if (organizations.length === 0) return null;
  return (
    <>
      <h3 id="administration-organizations">{t('administration.organizations')}</h3>
      <ul className="link-list" aria-labelledby="administration-organizations">
        {organizations.map((organization) => (
          <li key={organization.id}>
            <Link href={organizationPath(organization.id)}>{t('administration.manage', { organization: organization.name })}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
