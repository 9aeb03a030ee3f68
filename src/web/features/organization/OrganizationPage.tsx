import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { AdministeredOrganization } from './AdministeredOrganization';
import { ApiTokens } from './ApiTokens';
import { Invitations } from './Invitations';
import { Members } from './Members';
import { Settings } from './Settings';
import './organization.css';

/** The address of a network's webhooks page. */
export function organizationWebhooksPath(id: string): string {
  return WEB_PAGES.organizationWebhooks.replace(':id', encodeURIComponent(id));
}

/**
 * One organization's administration, for its administrators (and the instance's): its name and
 * sharing default, its people and their roles, its invitations and its API tokens; for a network, a
 * link to its webhooks.
 */
export default function OrganizationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams<{ id: string }>();
  return (
    <AdministeredOrganization id={id} title={(name) => (name ? t('organization.titleNamed', { name }) : t('organization.title'))}>
      {({ organization, session, setOrganization }) => (
        <>
          <h1>
            <span className="page-kicker">{t('organization.kicker')}</span> {organization.name}
          </h1>
          <Settings organization={organization} onSaved={setOrganization} />
          <Members organizationId={id} session={session} />
          <Invitations organizationId={id} />
          <ApiTokens organizationId={id} />
          {organization.kind === 'network' && (
            <section className="panel" aria-labelledby="webhooks-link-heading">
              <h2 id="webhooks-link-heading">{t('webhooks.heading')}</h2>
              <p>{t('webhooks.linkIntro')}</p>
              <p>
                <Link href={organizationWebhooksPath(id)}>{t('webhooks.link')}</Link>
              </p>
            </section>
          )}
        </>
      )}
    </AdministeredOrganization>
  );
}
