import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi, type CurrentSession } from '../../api/auth';
import {
  Field,
  NewPasswordField,
  FormMessage,
  SubmitButton,
  useFormState,
  usePasswordCheck,
} from '../../components/form';
import { ActionMessages, ResourceView, useAction, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { AdministrationLinks } from '../organization/AdministrationLinks';
import { describeDevice } from './device';
import './account.css';

/** The signed-in person's own page: who they are, their password, and where they are signed in. */
export default function AccountPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.title'));
  return <RequireSession>{(session) => <Account session={session} />}</RequireSession>;
}

function Account({ session }: { session: CurrentSession }) {
  const { t } = useTranslation();
  const [sessionsVersion, setSessionsVersion] = useState(0);
  return (
    <>
      <h1>{t('account.heading')}</h1>
      <section className="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('account.profile.heading')}</h2>
        <dl className="facts">
          <dt>{t('account.profile.name')}</dt>
          <dd>{session.user.displayName}</dd>
          <dt>{t('account.profile.email')}</dt>
          <dd>{session.user.email}</dd>
          <dt>{t('account.profile.organizations')}</dt>
          <dd>
            {session.memberships.length === 0 ? (
              t('account.profile.noOrganizations')
            ) : (
              <ul className="plain-list">
                {session.memberships.map((m) => (
                  <li key={m.organization.id}>
                    {t('account.profile.membership', {
                      organization: m.organization.name,
                      roles: m.roles.map((role) => t(`roles.${role}`)).join(', '),
                    })}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t('account.profile.twoFactor')}</dt>
          <dd>{t(session.mfa.enrolled ? 'account.profile.twoFactorOn' : 'account.profile.twoFactorOff')}</dd>
        </dl>
      </section>
      <AdministrationLinks session={session} />
      <ChangePassword onChanged={() => setSessionsVersion((v) => v + 1)} />
      <Sessions version={sessionsVersion} />
    </>
  );
}

const PASSWORD_FIELDS = { currentPassword: 'current-password', newPassword: 'new-password' };

function ChangePassword({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const checkPassword = usePasswordCheck();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState<string>();
  const form = useFormState(PASSWORD_FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    const errors: Record<string, string> = {};
    if (currentPassword === '') errors.currentPassword = t('fields.required');
    const problem = checkPassword(newPassword);
    if (problem) errors.newPassword = problem;
    if (!form.validate(errors, t('errors.validation'))) return;
    form.start();
    try {
      await authApi.changePassword(currentPassword, newPassword);
      setCurrentPassword('');
      setNewPassword('');
      setDone(t('account.password.done'));
      onChanged();
    } catch (error) {
      form.fail(error);
    } finally {
      form.setPending(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('account.password.heading')}</h2>
      <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <FormMessage message={form.message} />
        <FormMessage message={done} kind="success" />
        <Field
          id={PASSWORD_FIELDS.currentPassword}
          label={t('fields.currentPassword.label')}
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.target.value)}
          error={form.fieldErrors.currentPassword}
          required
        />
        <NewPasswordField
          id={PASSWORD_FIELDS.newPassword}
          value={newPassword}
          onChange={(event) => setNewPassword(event.target.value)}
          error={form.fieldErrors.newPassword}
          required
        />
        <SubmitButton pending={form.pending} label={t('account.password.submit')} pendingLabel={t('account.password.pending')} />
      </form>
    </section>
  );
}

function Sessions({ version }: { version: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const sessions = useResource(useCallback((signal: AbortSignal) => authApi.sessions(signal), []));
  const action = useAction();
  const { reload } = sessions;

  // A password change ends the other sessions: show the list as it is now.
  useEffect(() => {
    if (version > 0) void reload();
  }, [version, reload]);

  function act(work: () => Promise<string>) {
    void action.run(async () => {
      const text = await work();
      await reload();
      return text;
    });
  }

  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" ref={action.focusAfter} tabIndex={-1}>
        {t('account.sessions.heading')}
      </h2>
      <p>{t('account.sessions.intro')}</p>
      <ActionMessages message={action.message} />
      <ResourceView resource={sessions.resource}>
        {({ data }) => (
          <>
            <ul className="session-list">
              {data.map((s) => {
                const device = describeDevice(s.userAgent);
                const name = device ? t('account.sessions.device', device) : t('account.sessions.unknownDevice');
                return (
                  <li key={s.id} className={`session${s.current ? ' session--current' : ''}`}>
                    <p className="session__device">
                      {name}
                      {s.current && <span className="badge">{t('account.sessions.current')}</span>}
                    </p>
                    <dl className="session__facts">
                      <dt>{t('account.sessions.createdAt')}</dt>
                      <dd>{format.dateTime(new Date(s.createdAt))}</dd>
                      <dt>{t('account.sessions.lastSeenAt')}</dt>
                      <dd>{format.dateTime(new Date(s.lastSeenAt))}</dd>
                      {s.ip && (
                        <>
                          <dt>{t('account.sessions.ip')}</dt>
                          <dd>{s.ip}</dd>
                        </>
                      )}
                    </dl>
                    {!s.current && (
                      <button
                        type="button"
                        className="button"
                        disabled={action.busy}
                        aria-label={t('account.sessions.closeNamed', { device: name, time: format.dateTime(new Date(s.lastSeenAt)) })}
                        onClick={() =>
                          act(async () => {
                            await authApi.revokeSession(s.id);
                            return t('account.sessions.closed');
                          })
                        }
                      >
                        {t('account.sessions.close')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
            {data.some((s) => !s.current) ? (
              <button
                type="button"
                className="button button--primary"
                disabled={action.busy}
                onClick={() =>
                  act(async () => {
                    const { revoked } = await authApi.revokeOtherSessions();
                    return t('account.sessions.othersClosed', { number: format.number(revoked) });
                  })
                }
              >
                {t('account.sessions.closeOthers')}
              </button>
            ) : (
              <p>{t('account.sessions.noOthers')}</p>
            )}
          </>
        )}
      </ResourceView>
    </section>
  );
}
