import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { PUBLIC_ALERT_PATHS } from '../../../domain/public-alert-paths';
import { ApiError } from '../../api/client';
import { alertFilterOptions, confirmSubscription, requestSubscription, unsubscribe, type ReferenceItem } from '../../api/public-alerts';
import { useDocumentTitle } from '../../components/use-document-title';
import type { Language } from '../../i18n/languages';
import { useLoad, usePathLanguage } from './shared';

type Outcome = { kind: 'idle' | 'busy' | 'done' } | { kind: 'failed'; message: string };

/** What to tell the reader for a failed request, by the server's code (never its English message). */
function problemKey(error: unknown): 'subscriptions.failed' | 'subscriptions.invalid' | 'subscriptions.badLink' | 'subscriptions.tooMany' {
  if (!(error instanceof ApiError)) return 'subscriptions.failed';
  if (error.code === 'VALIDATION_FAILED' || error.code === 'BAD_REQUEST') return 'subscriptions.invalid';
  if (error.code === 'NOT_FOUND') return 'subscriptions.badLink';
  if (error.code === 'RATE_LIMITED') return 'subscriptions.tooMany';
  return 'subscriptions.failed';
}

/** Asks for alerts by e-mail, optionally only for some states and act types; a confirmation link is sent. */
function SubscribePage({ language }: { language: Language }) {
  const ready = usePathLanguage(language);
  const { t } = useTranslation();
  useDocumentTitle(t('subscriptions.title'));
  const options = useLoad(() => alertFilterOptions(language), [language]);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setOutcome({ kind: 'busy' });
    try {
      await requestSubscription({
        email: String(form.get('email') ?? '').trim(),
        language,
        stateCodes: form.getAll('state').map(String),
        actTypes: form.getAll('actType').map(String),
      });
      setOutcome({ kind: 'done' });
    } catch (error) {
      setOutcome({ kind: 'failed', message: t(problemKey(error)) });
    }
  }

  if (!ready) return null;
  return (
    <section className="public-alerts subscription" aria-labelledby="subscribe-heading">
      <p>
        <Link href={PUBLIC_ALERT_PATHS[language].list}>{t('publicAlerts.backToList')}</Link>
      </p>
      <h1 id="subscribe-heading">{t('subscriptions.title')}</h1>
      {outcome.kind === 'done' ? (
        <p role="status">{t('subscriptions.requested')}</p>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <p>{t('subscriptions.intro')}</p>
          <label>
            {t('subscriptions.email')}
            <input type="email" name="email" required autoComplete="email" maxLength={254} />
          </label>
          <Choices legend={t('subscriptions.states')} name="state" items={options.data?.states} />
          <Choices legend={t('subscriptions.actTypes')} name="actType" items={options.data?.actTypes} />
          {outcome.kind === 'failed' ? <p role="alert">{outcome.message}</p> : null}
          <button type="submit" disabled={outcome.kind === 'busy'}>
            {t('subscriptions.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

function Choices({ legend, name, items }: { legend: string; name: string; items: ReferenceItem[] | undefined }) {
  const { t } = useTranslation();
  return (
    <fieldset className="subscription-choices">
      <legend>{legend}</legend>
      <p className="hint">{t('subscriptions.noneMeansAll')}</p>
      {items?.map((item) => (
        <label key={item.code}>
          <input type="checkbox" name={name} value={item.code} /> {item.label}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A page reached by a link with a token that does one thing when the reader presses its button (a mail
 * scanner that opens the link must not confirm or end anything by itself).
 */
function TokenActionPage({ language, token, prefix, act }: { language: Language; token: string; prefix: 'confirm' | 'unsubscribe'; act: (token: string) => Promise<unknown> }) {
  const ready = usePathLanguage(language);
  const { t } = useTranslation();
  useDocumentTitle(t(`subscriptions.${prefix}.title`));
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  async function run() {
    setOutcome({ kind: 'busy' });
    try {
      await act(token);
      setOutcome({ kind: 'done' });
    } catch (error) {
      setOutcome({ kind: 'failed', message: t(problemKey(error)) });
    }
  }

  if (!ready) return null;
  return (
    <section className="public-alerts subscription" aria-labelledby="token-heading">
      <h1 id="token-heading">{t(`subscriptions.${prefix}.title`)}</h1>
      {!token ? (
        <p role="alert">{t('subscriptions.badLink')}</p>
      ) : outcome.kind === 'done' ? (
        <p role="status">{t(`subscriptions.${prefix}.done`)}</p>
      ) : (
        <>
          <p>{t(`subscriptions.${prefix}.intro`)}</p>
          {outcome.kind === 'failed' ? <p role="alert">{outcome.message}</p> : null}
          <button type="button" disabled={outcome.kind === 'busy'} onClick={() => void run()}>
            {t(`subscriptions.${prefix}.button`)}
          </button>
        </>
      )}
      <p>
        <Link href={PUBLIC_ALERT_PATHS[language].list}>{t('publicAlerts.backToList')}</Link>
      </p>
    </section>
  );
}

function ConfirmPage({ language }: { language: Language }) {
  const { token = '' } = useParams<{ token: string }>();
  return <TokenActionPage language={language} token={token} prefix="confirm" act={confirmSubscription} />;
}

function UnsubscribePage({ language }: { language: Language }) {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  return <TokenActionPage language={language} token={token} prefix="unsubscribe" act={unsubscribe} />;
}

export const SpanishSubscribePage = () => <SubscribePage language="es" />;
export const EnglishSubscribePage = () => <SubscribePage language="en" />;
export const SpanishConfirmSubscriptionPage = () => <ConfirmPage language="es" />;
export const EnglishConfirmSubscriptionPage = () => <ConfirmPage language="en" />;
export const SpanishUnsubscribePage = () => <UnsubscribePage language="es" />;
export const EnglishUnsubscribePage = () => <UnsubscribePage language="en" />;
