import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrentSession } from '../../api/auth';
import type { IncidentQuery, IncidentSummary } from '../../api/incidents';
import { useDocumentTitle } from '../../components/use-document-title';
import { RequireSession } from '../../session/RequireSession';
import { IncidentResults } from './IncidentResults';
import './incidents.css';

const QUERY: IncidentQuery = { status: 'in_review', sort: 'updated_desc' };

/**
 * Incidents in review that the reader may verify, newest change first. The list cannot know who made
 * each last change, so the page says the rule: the server refuses a verification by that person.
 */
export default function ReviewQueuePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('incidents.review.title'));
  return <RequireSession>{(session) => <ReviewQueue session={session} />}</RequireSession>;
}

function ReviewQueue({ session }: { session: CurrentSession }) {
  const { t } = useTranslation();
  const reviews = useMemo(() => reviewableBy(session), [session]);
  return (
    <>
      <h1>{t('incidents.review.heading')}</h1>
      {reviews ? (
        <>
          <p>{t('incidents.review.intro')}</p>
          <p className="notice">{t('incidents.review.fourEyes')}</p>
          <IncidentResults query={QUERY} caption={t('incidents.review.caption')} empty={t('incidents.review.none')} filter={reviews} />
        </>
      ) : (
        <p>{t('incidents.review.notReviewer')}</p>
      )}
    </>
  );
}

/**
 * Which listed incidents this person may verify: those of organizations where they review (a network
 * included: the incidents it makes from public reports are its own), and those a member organization
 * shares with a network where they review (the server holds the network's members; a shared incident
 * they cannot verify is refused there). Undefined for someone who reviews nowhere.
 */
function reviewableBy(session: CurrentSession): ((incident: IncidentSummary) => boolean) | undefined {
  const reviewing = session.memberships.filter((m) => m.roles.includes('reviewer'));
  if (reviewing.length === 0) return undefined;
  const own = new Set(reviewing.map((m) => m.organization.id));
  const inNetwork = reviewing.some((m) => m.organization.kind === 'network');
  return (incident) => own.has(incident.organizationId) || (inNetwork && incident.sharedWithNetworks);
}
