import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, useLocation, useSearch } from 'wouter';
import { authApi, type Enrolment } from '../../api/auth';
import { ApiError } from '../../api/client';
import { FormMessage, SubmitButton, TotpCodeField, useErrorText, useFormState } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { destinationFor, nextFrom, RequireSession } from '../../session/RequireSession';
import { pendingMfaStep, useSession } from '../../session/session';
import { SignOutInstead } from './SignOutInstead';

const FIELDS = { code: 'enrol-code' };

/**
 * Setting up an authenticator app, required for reviewers and administrators: scan the QR code (or
 * type the secret), prove it with a code, then keep the recovery codes, which are shown only here.
 */
export default function TwoFactorEnrolPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('enrol.title'));
  const next = nextFrom(useSearch());
  // Once confirmed, the session is verified and the redirect below would hide the recovery codes
  // before the person saved them; so the codes, once received, keep the page here.
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  if (recoveryCodes) return <RecoveryCodes codes={recoveryCodes} next={next} />;
  return (
    <RequireSession pendingMfa>
      {(session) =>
        pendingMfaStep(session) === 'enrol' || (!session.mfa.enrolled && session.mfa.verified) ? (
          <EnrolForm onConfirmed={setRecoveryCodes} />
        ) : (
          <Redirect to={destinationFor(session, next)} replace />
        )
      }
    </RequireSession>
  );
}

function EnrolForm({ onConfirmed }: { onConfirmed: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [loadError, setLoadError] = useState<string>();
  const [code, setCode] = useState('');
  const form = useFormState(FIELDS);
  const started = useRef(false);

  useEffect(() => {
    // Each call makes a new secret and voids the previous one: the QR code shown must be the last made.
    if (started.current) return;
    started.current = true;
    authApi.startEnrolment().then(setEnrolment, (error: unknown) => setLoadError(errorText(error)));
  }, [errorText]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = code.replace(/\s/g, '');
    const errors: Record<string, string> = {};
    if (value === '') errors.code = t('fields.required');
    else if (!/^\d{6}$/.test(value)) errors.code = t('fields.totp.format');
    if (!form.validate(errors, t('errors.validation'))) return;
    form.start();
    try {
      const { recoveryCodes } = await authApi.confirmEnrolment(value);
      onConfirmed(recoveryCodes);
    } catch (error) {
      if (error instanceof ApiError && error.reason === 'invalid_code') {
        form.setFieldErrors({ code: t('enrol.wrongCode') });
        form.setMessage(t('enrol.wrongCode'));
        setCode('');
        form.form.current?.querySelector<HTMLInputElement>(`#${FIELDS.code}`)?.focus();
      } else {
        form.fail(error);
      }
    } finally {
      form.setPending(false);
    }
  }

  return (
    <section className="auth-page" aria-labelledby="enrol-heading">
      <h1 id="enrol-heading">{t('enrol.heading')}</h1>
      <p>{t('enrol.intro')}</p>
      {loadError && (
        <div className="form-message form-message--error" role="alert">
          <p>{loadError}</p>
        </div>
      )}
      {!enrolment && !loadError && (
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      )}
      {enrolment && (
        <>
          <ol className="enrol-steps">
            <li>
              <p>{t('enrol.stepScan')}</p>
              <img
                className="qr"
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
                alt={t('enrol.qrAlt')}
                width={200}
                height={200}
              />
              <p>{t('enrol.manual')}</p>
              <p className="secret">
                <span className="visually-hidden">{t('enrol.secretLabel')} </span>
                <code id="enrol-secret" data-secret={enrolment.secret}>
                  {groupsOfFour(enrolment.secret)}
                </code>
              </p>
            </li>
            <li>
              <p>{t('enrol.stepConfirm')}</p>
              <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
                <FormMessage message={form.message} />
                <TotpCodeField
                  id={FIELDS.code}
                  value={code}
                  onChange={(event) => setCode(event.target.value)}
                  error={form.fieldErrors.code}
                  required
                />
                <SubmitButton pending={form.pending} label={t('enrol.submit')} pendingLabel={t('enrol.pending')} />
              </form>
            </li>
          </ol>
        </>
      )}
      <SignOutInstead />
    </section>
  );
}

/** Base32 secrets are typed by hand from this; groups of four are how authenticator apps show them. */
function groupsOfFour(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function RecoveryCodes({ codes, next }: { codes: string[]; next: string }) {
  const { t } = useTranslation();
  const { reload } = useSession();
  const [, navigate] = useLocation();
  const [saved, setSaved] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // The page changed without a navigation: bring the reader to the news, which is also the warning.
  useEffect(() => heading.current?.focus(), []);

  return (
    <section className="auth-page" aria-labelledby="codes-heading">
      <h1 id="codes-heading" ref={heading} tabIndex={-1}>
        {t('enrol.codesHeading')}
      </h1>
      <p>{t('enrol.codesIntro')}</p>
      <ul className="recovery-codes" aria-label={t('enrol.codesLabel')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="checkbox">
        <input id="codes-saved" type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />
        <label htmlFor="codes-saved">{t('enrol.codesSaved')}</label>
      </div>
      <button
        type="button"
        className="button button--primary"
        disabled={!saved}
        onClick={() => {
          void reload().then(() => navigate(next, { replace: true }));
        }}
      >
        {t('enrol.continue')}
      </button>
    </section>
  );
}
