import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../api/auth';
import { organizationsApi, ROLES } from '../../api/organizations';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field, FormMessage, SelectField, SubmitButton, useFormState } from '../../components/form';
import { ActionMessages, ListView, useAction, useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useFormat } from '../../i18n/format';

const FIELDS = { email: 'invite-email', role: 'invite-role' };
// A plausible address: something@something.tld. The server checks it properly.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Invitations by e-mail, one role each: the form to send one and the list with each one's status. */
export function Invitations({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const invitations = useResource(
    useCallback((signal: AbortSignal) => organizationsApi.invitations(organizationId, signal), [organizationId]),
  );
  const action = useAction();

  return (
    <section className="panel panel--wide" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading" ref={action.focusAfter} tabIndex={-1}>
        {t('organization.invitations.heading')}
      </h2>
      <InviteForm organizationId={organizationId} onSent={() => void invitations.reload()} />
      <ActionMessages message={action.message} />
      <ListView resource={invitations.resource} empty={t('organization.invitations.none')}>
        {(data) => (
          <DataTable
            id="invitations-table"
            caption={t('organization.invitations.caption')}
            columns={[
              t('organization.invitations.email'),
              t('organization.invitations.role'),
              t('organization.invitations.status'),
              t('organization.invitations.sent'),
              t('organization.invitations.expires'),
            ]}
            actions
          >
            {data.map((invitation) => (
              <tr key={invitation.id}>
                <th scope="row">{invitation.email}</th>
                <td>{t(`roles.${invitation.role}`)}</td>
                <td>{t(`organization.invitations.statuses.${invitation.status}`)}</td>
                <td>{format.dateTime(new Date(invitation.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}</td>
                <td>{format.dateTime(new Date(invitation.expiresAt), { dateStyle: 'medium', timeStyle: 'short' })}</td>
                <td>
                  {invitation.status === 'pending' && (
                    <ConfirmButton
                      label={t('organization.invitations.revoke')}
                      accessibleLabel={t('organization.invitations.revokeNamed', { email: invitation.email })}
                      question={t('organization.invitations.revokeQuestion', { email: invitation.email })}
                      confirmLabel={t('organization.invitations.revokeConfirm')}
                      disabled={action.busy}
                      onConfirm={() =>
                        void action.run(async () => {
                          await organizationsApi.revokeInvitation(organizationId, invitation.id);
                          await invitations.reload();
                          return t('organization.invitations.revoked', { email: invitation.email });
                        })
                      }
                    />
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListView>
    </section>
  );
}

function InviteForm({ organizationId, onSent }: { organizationId: string; onSent: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('documenter');
  const [done, setDone] = useState<string>();
  const form = useFormState(FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    const address = email.trim();
    const errors: Record<string, string> = {};
    if (address === '') errors.email = t('fields.required');
    else if (!EMAIL.test(address)) errors.email = t('organization.invitations.emailInvalid');
    if (!form.validate(errors, t('errors.validation'))) return;
    await form.submit(async () => {
      const sent = await organizationsApi.invite(organizationId, address, role);
      setEmail('');
      setDone(t('organization.invitations.sentTo', { email: sent.email }));
      onSent();
    });
  }

  return (
    <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
      <h3>{t('organization.invitations.formHeading')}</h3>
      <FormMessage message={form.message} />
      <FormMessage message={done} kind="success" />
      <Field
        id={FIELDS.email}
        label={t('organization.invitations.email')}
        type="email"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={form.fieldErrors.email}
        required
      />
      <SelectField
        id={FIELDS.role}
        label={t('organization.invitations.role')}
        hint={t('organization.invitations.roleHint')}
        value={role}
        onChange={(event) => setRole(event.target.value as Role)}
        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        error={form.fieldErrors.role}
      />
      <SubmitButton pending={form.pending} label={t('organization.invitations.submit')} pendingLabel={t('organization.invitations.pending')} />
    </form>
  );
}
