import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { authApi } from '../../api/auth';
import { ApiError } from '../../api/client';
import { FormMessage, NewPasswordField, SubmitButton, useFormState, usePasswordCheck } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { useSession } from '../../session/session';

const FIELDS = { password: 'reset-password' };

/** The e-mailed link: choose a new password, which also ends every session of the account. */
export default function ResetPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reset.complete.title'));
  const { token = '' } = useParams<{ token: string }>();
  const { reload } = useSession();
  const checkPassword = usePasswordCheck();
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<'done' | 'invalid'>();
  const form = useFormState(FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = checkPassword(password);
    if (!form.validate(problem ? { password: problem } : {}, t('errors.validation'))) return;
    form.start();
    try {
      await authApi.completePasswordReset(token, password);
      setOutcome('done');
      // Every session of the account ended, this browser's included if it was that account's.
      await reload();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NOT_FOUND') setOutcome('invalid');
      else form.fail(error);
    } finally {
      form.setPending(false);
    }
  }

  return (
    <section className="auth-page" aria-labelledby="reset-heading">
      <h1 id="reset-heading">{t('reset.complete.heading')}</h1>
      <FormMessage message={outcome === 'done' ? t('reset.complete.done') : undefined} kind="success" />
      <FormMessage message={outcome === 'invalid' ? t('reset.complete.invalid') : undefined} />
      {outcome === undefined && (
        <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
          <FormMessage message={form.message} />
          <NewPasswordField
            id={FIELDS.password}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={form.fieldErrors.password}
            required
          />
          <SubmitButton pending={form.pending} label={t('reset.complete.submit')} pendingLabel={t('reset.complete.pending')} />
        </form>
      )}
      <p>
        {outcome === 'invalid' ? (
          <Link href={WEB_PAGES.passwordResetRequest}>{t('reset.complete.again')}</Link>
        ) : (
          <Link href={WEB_PAGES.signIn}>{t('reset.backToSignIn')}</Link>
        )}
      </p>
    </section>
  );
}
