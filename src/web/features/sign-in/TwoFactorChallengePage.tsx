import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, useSearch } from 'wouter';
import { authApi } from '../../api/auth';
import { ApiError } from '../../api/client';
import { Field, FormMessage, SubmitButton, TotpCodeField, useFormState } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { destinationFor, nextFrom, RequireSession } from '../../session/RequireSession';
import { pendingMfaStep, useSession } from '../../session/session';
import { SignOutInstead } from './SignOutInstead';

const FIELDS = { code: 'challenge-code', recoveryCode: 'challenge-recovery-code' };

/** The second step of signing in: the app's current code, or one of the recovery codes. */
export default function TwoFactorChallengePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('challenge.title'));
  const next = nextFrom(useSearch());
  return (
    <RequireSession pendingMfa>
      {(session) =>
        pendingMfaStep(session) === 'challenge' ? (
          <ChallengeForm />
        ) : (
          <Redirect to={destinationFor(session, next)} replace />
        )
      }
    </RequireSession>
  );
}

function ChallengeForm() {
  const { t } = useTranslation();
  const { reload } = useSession();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const form = useFormState(FIELDS);
  const input = useRef<HTMLInputElement>(null);

  function switchMethod() {
    setUseRecovery((value) => !value);
    setCode('');
    form.setFieldErrors({});
    form.setMessage(undefined);
    // The field changes under the person's hands; put them in the new one.
    requestAnimationFrame(() => input.current?.focus());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = useRecovery ? code.trim() : code.replace(/\s/g, '');
    const field = useRecovery ? 'recoveryCode' : 'code';
    const errors: Record<string, string> = {};
    if (value === '') errors[field] = t('fields.required');
    else if (!useRecovery && !/^\d{6}$/.test(value)) errors[field] = t('fields.totp.format');
    if (!form.validate(errors, t('errors.validation'))) return;
    form.start();
    try {
      await authApi.challenge(useRecovery ? { recoveryCode: value } : { code: value });
      // The page's redirect follows the now verified session.
      await reload();
    } catch (error) {
      if (error instanceof ApiError && error.reason === 'invalid_code') {
        form.setFieldErrors({ [field]: t(useRecovery ? 'challenge.wrongRecoveryCode' : 'challenge.wrongCode') });
        form.setMessage(t(useRecovery ? 'challenge.wrongRecoveryCode' : 'challenge.wrongCode'));
        setCode('');
        input.current?.focus();
      } else {
        form.fail(error);
      }
    } finally {
      form.setPending(false);
    }
  }

  return (
    <section className="auth-page" aria-labelledby="challenge-heading">
      <h1 id="challenge-heading">{t('challenge.heading')}</h1>
      <p>{t(useRecovery ? 'challenge.introRecovery' : 'challenge.intro')}</p>
      <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <FormMessage message={form.message} />
        {useRecovery ? (
          <Field
            key="recovery"
            ref={input}
            id={FIELDS.recoveryCode}
            label={t('fields.recoveryCode.label')}
            hint={t('fields.recoveryCode.hint')}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={form.fieldErrors.recoveryCode}
            required
          />
        ) : (
          <TotpCodeField
            key="totp"
            ref={input}
            id={FIELDS.code}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={form.fieldErrors.code}
            required
          />
        )}
        <SubmitButton pending={form.pending} label={t('challenge.submit')} pendingLabel={t('challenge.pending')} />
      </form>
      <p>
        <button type="button" className="link-button" onClick={switchMethod}>
          {t(useRecovery ? 'challenge.useApp' : 'challenge.useRecovery')}
        </button>
      </p>
      <SignOutInstead />
    </section>
  );
}
