import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { authApi } from '../../api/auth';
import { EmailField, FormMessage, SubmitButton, useFormState } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';

const FIELDS = { email: 'reset-email' };

/**
 * Asks for a link to choose a new password. The confirmation is the same whatever the address, as the
 * server's answer is: saying "no such account" would tell anyone who uses Vigía.
 */
export default function RequestResetPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reset.request.title'));
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const form = useFormState(FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!form.validate(email.trim() === '' ? { email: t('fields.required') } : {}, t('errors.validation'))) return;
    form.start();
    try {
      await authApi.requestPasswordReset(email.trim());
      setSent(true);
    } catch (error) {
      form.fail(error);
    } finally {
      form.setPending(false);
    }
  }

  return (
    <section className="auth-page" aria-labelledby="reset-heading">
      <h1 id="reset-heading">{t('reset.request.heading')}</h1>
      <FormMessage message={sent ? t('reset.request.sent', { email: email.trim() }) : undefined} kind="success" />
      {!sent && (
        <>
          <p>{t('reset.request.intro')}</p>
          <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
            <FormMessage message={form.message} />
            <EmailField
              id={FIELDS.email}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={form.fieldErrors.email}
              required
            />
            <SubmitButton pending={form.pending} label={t('reset.request.submit')} pendingLabel={t('reset.request.pending')} />
          </form>
        </>
      )}
      <p>
        <Link href={WEB_PAGES.signIn}>{t('reset.backToSignIn')}</Link>
      </p>
    </section>
  );
}
