import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'wouter';
import { evidenceApi } from '../../api/evidence';
import { ResourceView, useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { isMissing } from '../incidents/IncidentPage';
import { useBytes } from '../incidents/labels';
import { HashValue } from './EvidenceSection';
import './evidence.css';

/**
 * The chain of custody of one piece of evidence: its hash and receipt, then every audit entry about it
 * in order, each with its place in the chain and its own hash, so a court or a colleague can check that
 * nothing was changed or read unrecorded.
 */
export default function CustodyPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams<{ id: string }>();
  useDocumentTitle(t('evidence.custodyPage.title'));
  return <RequireSession>{() => <Custody key={id} id={id} />}</RequireSession>;
}

function Custody({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const bytes = useBytes();
  const custody = useResource(useCallback((signal: AbortSignal) => evidenceApi.custody(id, signal), [id]));
  if (custody.resource.status === 'failed' && isMissing(custody.resource.error)) {
    return (
      <>
        <h1>{t('evidence.custodyPage.heading')}</h1>
        <div className="form-message form-message--error" role="alert">
          <p>{t('evidence.custodyPage.notFound')}</p>
        </div>
      </>
    );
  }
  const actionLabel = (action: string) => {
    const key = `evidence.custodyPage.actions.${action}`;
    return i18n.exists(key) ? t(key as 'evidence.custodyPage.actions.evidence.received') : action;
  };
  return (
    <>
      <h1>{t('evidence.custodyPage.heading')}</h1>
      <p>{t('evidence.custodyPage.intro')}</p>
      <ResourceView resource={custody.resource}>
        {({ evidence, events }) => (
          <>
            <dl className="facts">
              <dt>{t('evidence.custodyPage.hash')}</dt>
              <dd>{evidence.sha256 ? <HashValue hash={evidence.sha256} name={evidence.id} /> : t('evidence.notYet')}</dd>
              <dt>{t('evidence.custodyPage.size')}</dt>
              <dd>{bytes(evidence.length)}</dd>
              <dt>{t('evidence.custodyPage.type')}</dt>
              <dd>{evidence.mimeType ?? t('evidence.unknownKind')}</dd>
              <dt>{t('evidence.custodyPage.received')}</dt>
              <dd>
                {evidence.receivedAt
                  ? format.dateTime(new Date(evidence.receivedAt), { dateStyle: 'long', timeStyle: 'medium' })
                  : t('evidence.notYet')}
              </dd>
            </dl>
            {events.length === 0 ? (
              <p>{t('evidence.custodyPage.none')}</p>
            ) : (
              <DataTable
                id="custody-table"
                caption={t('evidence.custodyPage.caption')}
                columns={[
                  t('evidence.custodyPage.columns.seq'),
                  t('evidence.custodyPage.columns.time'),
                  t('evidence.custodyPage.columns.action'),
                  t('evidence.custodyPage.columns.actor'),
                  t('evidence.custodyPage.columns.hash'),
                ]}
              >
                {events.map((event) => (
                  <tr key={event.seq}>
                    <td>{event.seq}</td>
                    <td>
                      <time dateTime={event.at}>{format.dateTime(new Date(event.at), { dateStyle: 'medium', timeStyle: 'medium' })}</time>
                    </td>
                    <th scope="row">{actionLabel(event.action)}</th>
                    <td>
                      {event.actorName ?? t(`evidence.custodyPage.actorTypes.${event.actorType}`)}
                      {event.actorId && <code className="custody-id">{event.actorId}</code>}
                    </td>
                    <td>
                      <code className="custody-hash">{event.hash}</code>
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </>
        )}
      </ResourceView>
    </>
  );
}
