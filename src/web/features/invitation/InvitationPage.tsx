import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { authApi, type InvitationLookup } from '../../api/auth';
import { ApiError } from '../../api/client';
import {
  Field,
  NewPasswordField,
  FormMessage,
  SubmitButton,
  useErrorText,
  useFormState,
  usePasswordCheck,
} from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { withNext } from '../../session/RequireSession';
import { useSession } from '../../session/session';

type Lookup = { status: 'loading' } | { status: 'invalid' } | { status: 'failed'; message: string } | { status: 'ok'; invitation: InvitationLookup };

/**
 * An invitation link: who invites, in which role, until when; then either a new account (name and
 * password) or, for someone already signed in as the invited address, a single "accept".
 */
export default function InvitationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('invitation.title'));
  const { token = '' } = useParams<{ token: string }>();
  const errorText = useErrorText();
  const [lookup, setLookup] = useState<Lookup>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    authApi.invitation(token, controller.signal).then(
      (invitation) => setLookup({ status: 'ok', invitation }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.code === 'NOT_FOUND') setLookup({ status: 'invalid' });
        else setLookup({ status: 'failed', message: errorText(error) });
      },
    );
    return () => controller.abort();
  }, [token, errorText]);

  return (
    <section className="auth-page" aria-labelledby="invitation-heading">
      <h1 id="invitation-heading">{t('invitation.heading')}</h1>
      {lookup.status === 'loading' && (
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      )}
      {lookup.status === 'invalid' && <p>{t('invitation.invalid')}</p>}
      {lookup.status === 'failed' && (
        <div className="form-message form-message--error" role="alert">
          <p>{lookup.message}</p>
        </div>
      )}
      {lookup.status === 'ok' && <Invitation token={token} invitation={lookup.invitation} />}
    </section>
  );
}

const FIELDS = { displayName: 'invitation-name', password: 'invitation-password' };

function Invitation({ token, invitation }: { token: string; invitation: InvitationLookup }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { state, signedIn, signOut } = useSession();
  const [location, navigate] = useLocation();
  const checkPassword = usePasswordCheck();
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [needsSignIn, setNeedsSignIn] = useState(false);
  const form = useFormState(FIELDS);

  const signedInAs = state.status === 'signedIn' ? state.session.user.email : undefined;
  const sameAccount = signedInAs !== undefined && signedInAs.toLowerCase() === invitation.email.toLowerCase();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!sameAccount) {
      const errors: Record<string, string> = {};
      if (displayName.trim() === '') errors.displayName = t('fields.required');
      const problem = checkPassword(password);
      if (problem) errors.password = problem;
      if (!form.validate(errors, t('errors.validation'))) return;
    }
    form.start();
    try {
      const accepted = await authApi.acceptInvitation(
        token,
        sameAccount ? {} : { displayName: displayName.trim(), password },
      );
      await signedIn();
      navigate(accepted.mfa === 'enrol' ? withNext(WEB_PAGES.twoFactorEnrol, WEB_PAGES.account) : WEB_PAGES.account, {
        replace: true,
      });
    } catch (error) {
      // The address already has an account: accepting needs that account signed in, not a new password.
      if (error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'CONFLICT')) {
        setNeedsSignIn(true);
        form.setMessage(t('invitation.existingAccount'));
      } else {
        form.fail(error);
      }
    } finally {
      form.setPending(false);
    }
  }

  const role = t(`roles.${invitation.role}`);
  return (
    <>
      <p className="lead">
        {t('invitation.offer', { organization: invitation.organization.name, role })}
      </p>
      <dl className="facts">
        <dt>{t('invitation.organization')}</dt>
        <dd>{invitation.organization.name}</dd>
        <dt>{t('invitation.role')}</dt>
        <dd>{role}</dd>
        <dt>{t('invitation.email')}</dt>
        <dd>{invitation.email}</dd>
        <dt>{t('invitation.expires')}</dt>
        <dd>{format.dateTime(new Date(invitation.expiresAt))}</dd>
      </dl>
      {(invitation.role === 'reviewer' || invitation.role === 'administrator') && <p>{t('invitation.twoFactorNote')}</p>}

      {signedInAs !== undefined && !sameAccount ? (
        <div className="form-message form-message--error" role="alert">
          <p>{t('invitation.otherAccount', { email: signedInAs })}</p>
          <button type="button" className="button" onClick={() => void signOut()}>
            {t('header.signOut')}
          </button>
        </div>
      ) : (
        <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
          <FormMessage message={form.message} />
          {needsSignIn && (
            <p>
              <Link href={withNext(WEB_PAGES.signIn, location)}>{t('invitation.signInFirst')}</Link>
            </p>
          )}
          {!sameAccount && (
            <>
              <p>{t('invitation.newAccount')}</p>
              <Field
                id={FIELDS.displayName}
                label={t('fields.displayName.label')}
                hint={t('fields.displayName.hint')}
                autoComplete="name"
                value={displayName}
                onChange={(event) => setDisplayName(event.target.value)}
                error={form.fieldErrors.displayName}
                required
              />
              <NewPasswordField
                id={FIELDS.password}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                error={form.fieldErrors.password}
                required
              />
            </>
          )}
          <SubmitButton pending={form.pending} label={t('invitation.accept')} pendingLabel={t('invitation.pending')} />
        </form>
      )}
    </>
  );
}
