import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { fetchReadiness, type Readiness } from './readiness';

type Check = { state: 'checking' } | (Readiness & { checkedAt: Date });

/** The server's health as the reader can check it: ready (with its database engine) or why not. */
export function SystemStatus() {
  const { t } = useTranslation();
  const format = useFormat();
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  const inFlight = useRef<AbortController | null>(null);

  const run = useCallback(() => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setCheck({ state: 'checking' });
    fetchReadiness(controller.signal).then(
      (readiness) => {
        if (!controller.signal.aborted) setCheck({ ...readiness, checkedAt: new Date() });
      },
      (error: unknown) => {
        // Only an abort rejects (the page left or a newer check started); anything else is a bug.
        if (!controller.signal.aborted) throw error;
      },
    );
  }, []);

  useEffect(() => {
    run();
    return () => inFlight.current?.abort();
  }, [run]);

  return (
    <section className="status" aria-labelledby="status-heading">
      <h2 id="status-heading">{t('status.heading')}</h2>
      <div className={`status__panel status__panel--${check.state}`} role="status">
        {check.state === 'checking' && <p className="status__title">{t('status.checking')}</p>}
        {check.state === 'ready' && (
          <>
            <p className="status__title">{t('status.ready')}</p>
            <p>
              {t('status.readyDetail', {
                engine: t(`status.engines.${check.engine}`),
                applied: format.number(check.applied),
                expected: format.number(check.expected),
              })}
            </p>
          </>
        )}
        {check.state === 'unavailable' && (
          <>
            <p className="status__title">{t('status.unavailable')}</p>
            <p>
              {check.reason === 'unexpected'
                ? t('status.reasons.unexpected', { status: String(check.status) })
                : t(`status.reasons.${check.reason}`)}
            </p>
          </>
        )}
        {check.state !== 'checking' && (
          <p className="status__time">
            {t('status.checkedAt', { time: format.dateTime(check.checkedAt, { timeStyle: 'medium' }) })}
          </p>
        )}
      </div>
      <button type="button" className="button" onClick={run} disabled={check.state === 'checking'}>
        {t('status.retry')}
      </button>
    </section>
  );
}
