import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect, useSearch } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { authApi } from '../../api/auth';
import { EmailField, Field, FormMessage, SubmitButton, useFormState } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { destinationFor, nextFrom } from '../../session/RequireSession';
import { useSession } from '../../session/session';

const FIELDS = { email: 'sign-in-email', password: 'sign-in-password' };

/**
 * E-mail and password. Once the server accepts them the session reloads, and the page follows it:
 * to the two-factor challenge, to two-factor set-up, or to the page the person first asked for.
 */
export default function SignInPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('signIn.title'));
  const { state, signedIn } = useSession();
  const next = nextFrom(useSearch());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useFormState(FIELDS);

  if (state.status === 'signedIn') return <Redirect to={destinationFor(state.session, next)} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (email.trim() === '') errors.email = t('fields.required');
    if (password === '') errors.password = t('fields.required');
    if (!form.validate(errors, t('errors.validation'))) return;
    form.start();
    try {
      await authApi.signIn(email.trim(), password);
      // The redirect above takes over once the session is known.
      await signedIn();
    } catch (error) {
      form.fail(error);
      // A wrong password is typed again; keeping it would only invite resubmitting the same one.
      setPassword('');
    } finally {
      form.setPending(false);
    }
  }

  return (
    <section className="auth-page" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">{t('signIn.heading')}</h1>
      <p>{t('signIn.intro')}</p>
      <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <FormMessage message={form.message} />
        <EmailField
          id={FIELDS.email}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={form.fieldErrors.email}
          required
        />
        <Field
          id={FIELDS.password}
          label={t('fields.password.label')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={form.fieldErrors.password}
          required
        />
        <SubmitButton pending={form.pending} label={t('signIn.submit')} pendingLabel={t('signIn.pending')} />
      </form>
      <p>
        <Link href={WEB_PAGES.passwordResetRequest}>{t('signIn.forgot')}</Link>
      </p>
    </section>
  );
}
