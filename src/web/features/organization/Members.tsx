import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrentSession, Role } from '../../api/auth';
import { ApiError } from '../../api/client';
import { organizationsApi, ROLES, type Member } from '../../api/organizations';
import { Checkbox } from '../../components/form';
import { ActionMessages, ListView, useAction, useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useSession } from '../../session/session';

/** The organization's people with their roles, one checkbox per role, saved a person at a time. */
export function Members({ organizationId, session }: { organizationId: string; session: CurrentSession }) {
  const { t } = useTranslation();
  const { reload: reloadSession } = useSession();
  const members = useResource(useCallback((signal: AbortSignal) => organizationsApi.members(organizationId, signal), [organizationId]));
  const action = useAction(
    useCallback(
      (error: unknown) =>
        error instanceof ApiError && error.code === 'CONFLICT' ? t('organization.members.lastAdministrator') : undefined,
      [t],
    ),
  );

  function save(member: Member, roles: Role[]) {
    void action.run(async () => {
      await organizationsApi.setRoles(organizationId, member.userId, roles);
      await members.reload();
      // Changing one's own roles changes what the session allows (and what the account page lists).
      if (member.userId === session.user.id) void reloadSession();
      return roles.length === 0
        ? t('organization.members.removed', { name: member.displayName })
        : t('organization.members.saved', { name: member.displayName });
    });
  }

  return (
    <section className="panel panel--wide" aria-labelledby="members-heading">
      <h2 id="members-heading" ref={action.focusAfter} tabIndex={-1}>
        {t('organization.members.heading')}
      </h2>
      <p>{t('organization.members.intro')}</p>
      <ActionMessages message={action.message} />
      <ListView resource={members.resource} empty={t('organization.members.none')}>
        {(data) => (
          <DataTable
            id="members-table"
            caption={t('organization.members.caption')}
            columns={[t('organization.members.name'), t('organization.members.email'), t('organization.members.roles')]}
            actions
          >
            {data.map((member) => (
              // Keyed by the saved roles too, so that the boxes start again from what was saved.
              <MemberRow
                key={`${member.userId}:${member.roles.join()}`}
                member={member}
                busy={action.busy}
                onSave={(roles) => save(member, roles)}
              />
            ))}
          </DataTable>
        )}
      </ListView>
    </section>
  );
}

function MemberRow({ member, busy, onSave }: { member: Member; busy: boolean; onSave: (roles: Role[]) => void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const changed = roles.length !== member.roles.length || roles.some((role) => !member.roles.includes(role));
  const groupId = `member-${member.userId}`;
  return (
    <tr>
      <th scope="row">{member.displayName}</th>
      <td>{member.email}</td>
      <td>
        <fieldset className="role-boxes">
          <legend className="visually-hidden">{t('organization.members.rolesOf', { name: member.displayName })}</legend>
          {ROLES.map((role) => (
            <Checkbox
              key={role}
              id={`${groupId}-${role}`}
              label={t(`roles.${role}`)}
              checked={roles.includes(role)}
              onChange={(checked) => setRoles(ROLES.filter((r) => (r === role ? checked : roles.includes(r))))}
            />
          ))}
        </fieldset>
      </td>
      <td>
        <button type="button" className="button" disabled={busy || !changed} onClick={() => onSave(roles)}>
          {roles.length === 0 ? t('organization.members.remove') : t('organization.members.save')}
          <span className="visually-hidden"> {t('organization.members.forName', { name: member.displayName })}</span>
        </button>
      </td>
    </tr>
  );
}
