import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useFormat } from '../../i18n/format';
import type { QueuedReport } from './queue';
import type { Outbox as OutboxState } from './use-outbox';

/**
 * The reports on this device that the server does not have yet, each with what is happening to it:
 * waiting for a connection, being prepared or sent, waiting before another try, or refused.
 */
export function Outbox({ outbox, onEdit }: { outbox: OutboxState; onEdit: (item: QueuedReport) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (outbox.queued.length === 0) return null;
  const activity = outbox.activity;
  const time = (iso: string | number) => format.dateTime(new Date(iso), { timeStyle: 'short' });

  function stateOf(item: QueuedReport): string {
    if (item.rejected) return t('report.outbox.rejected');
    if (activity?.id === item.id && activity.kind === 'solving') {
      return t('report.outbox.solving', { percent: format.number(activity.share, { style: 'percent' }) });
    }
    if (activity?.id === item.id && activity.kind === 'sending') return t('report.outbox.sending');
    if (!outbox.online || !item.lastProblem) return t('report.outbox.waitingConnection');
    return t('report.outbox.retryAt', {
      problem: t(`report.outbox.problems.${item.lastProblem}`),
      time: time(item.nextAttemptAt),
    });
  }

  const retryable = outbox.queued.some((item) => !item.rejected);
  return (
    <section className="panel outbox" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">{t('report.outbox.heading')}</h2>
      <ul className="plain-list outbox__list">
        {outbox.queued.map((item) => (
          <li key={item.id} className={item.rejected ? 'outbox__item outbox__item--rejected' : 'outbox__item'}>
            <p>
              {t('report.outbox.savedAt', { time: format.dateTime(new Date(item.queuedAt)) })} {stateOf(item)}
            </p>
            {item.rejected && (
              <div className="outbox__actions">
                <button type="button" className="button" onClick={() => onEdit(item)}>
                  {t('report.outbox.edit')}
                </button>
                <ConfirmButton
                  label={t('report.outbox.discard')}
                  question={t('report.outbox.discardQuestion')}
                  confirmLabel={t('report.outbox.discardConfirm')}
                  cancelLabel={t('receipt.saved.cancel')}
                  onConfirm={() => void outbox.discard(item.id)}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      {retryable && (
        <button type="button" className="button" disabled={!outbox.online} onClick={outbox.retry}>
          {t('report.outbox.retry')}
        </button>
      )}
    </section>
  );
}
