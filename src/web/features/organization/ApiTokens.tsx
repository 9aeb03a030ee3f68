import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { API_TOKEN_PERMISSIONS, organizationsApi, type ApiTokenPermission, type CreatedApiToken } from '../../api/organizations';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CheckboxGroup, Field, FormMessage, SubmitButton, useFormState } from '../../components/form';
import { ActionMessages, ListView, useAction, useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useFormat } from '../../i18n/format';
import { NewSecret } from './NewSecret';

const FIELDS = { name: 'token-name', permissions: 'token-permissions' };
const NAME_MAX = 120;
// i18next reads ':' as a namespace separator, so the catalogue's keys cannot be the permissions themselves.
const PERMISSION_KEYS = {
  'incidents:read': 'incidentsRead',
  'incidents:write': 'incidentsWrite',
  'reports:write': 'reportsWrite',
  'export:read': 'exportRead',
} as const satisfies Record<ApiTokenPermission, string>;

/**
 * API tokens let other systems act for the organization. The list says what each may do and when it
 * was last used; a new token's secret is shown once, right after it is made, and never again.
 */
export function ApiTokens({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const tokens = useResource(useCallback((signal: AbortSignal) => organizationsApi.apiTokens(organizationId, signal), [organizationId]));
  const action = useAction();
  const [created, setCreated] = useState<CreatedApiToken>();
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <section className="panel panel--wide" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" ref={action.focusAfter} tabIndex={-1}>
        {t('organization.tokens.heading')}
      </h2>
      <p>{t('organization.tokens.intro')}</p>
      {created ? (
        <NewTokenSecret
          created={created}
          onDone={() => {
            setCreated(undefined);
            action.focusAfter.current?.focus();
          }}
        />
      ) : (
        <TokenForm
          organizationId={organizationId}
          onCreated={(token) => {
            setCreated(token);
            void tokens.reload();
          }}
        />
      )}
      <ActionMessages message={action.message} />
      <ListView resource={tokens.resource} empty={t('organization.tokens.none')}>
        {(data) => (
          <DataTable
            id="tokens-table"
            caption={t('organization.tokens.caption')}
            columns={[
              t('organization.tokens.name'),
              t('organization.tokens.permissions'),
              t('organization.tokens.created'),
              t('organization.tokens.lastUsed'),
              t('organization.tokens.status'),
            ]}
            actions
          >
            {data.map((token) => (
              <tr key={token.id}>
                <th scope="row">{token.name}</th>
                <td>
                  <ul className="plain-list">
                    {token.permissions.map((permission) => (
                      <li key={permission}>{t(`organization.tokens.permission.${PERMISSION_KEYS[permission]}.label`)}</li>
                    ))}
                  </ul>
                </td>
                <td>{when(token.createdAt)}</td>
                <td>{token.lastUsedAt ? when(token.lastUsedAt) : t('organization.tokens.neverUsed')}</td>
                <td>
                  {token.revokedAt
                    ? t('organization.tokens.revokedAt', { time: when(token.revokedAt) })
                    : t('organization.tokens.active')}
                </td>
                <td>
                  {!token.revokedAt && (
                    <ConfirmButton
                      label={t('organization.tokens.revoke')}
                      accessibleLabel={t('organization.tokens.revokeNamed', { name: token.name })}
                      question={t('organization.tokens.revokeQuestion', { name: token.name })}
                      confirmLabel={t('organization.tokens.revokeConfirm')}
                      disabled={action.busy}
                      onConfirm={() =>
                        void action.run(async () => {
                          await organizationsApi.revokeApiToken(organizationId, token.id);
                          await tokens.reload();
                          return t('organization.tokens.revoked', { name: token.name });
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

function TokenForm({ organizationId, onCreated }: { organizationId: string; onCreated: (created: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<ApiTokenPermission[]>([]);
  const form = useFormState(FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    const errors: Record<string, string> = {};
    if (trimmed === '') errors.name = t('fields.required');
    else if (trimmed.length > NAME_MAX) errors.name = t('organization.tokens.nameTooLong', { max: NAME_MAX });
    if (permissions.length === 0) errors.permissions = t('organization.tokens.permissionsRequired');
    if (!form.validate(errors, t('errors.validation'))) return;
    await form.submit(async () => onCreated(await organizationsApi.createApiToken(organizationId, trimmed, permissions)));
  }

  return (
    <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
      <h3>{t('organization.tokens.formHeading')}</h3>
      <FormMessage message={form.message} />
      <Field
        id={FIELDS.name}
        label={t('organization.tokens.name')}
        hint={t('organization.tokens.nameHint')}
        autoComplete="off"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={form.fieldErrors.name}
        required
      />
      <CheckboxGroup
        id={FIELDS.permissions}
        legend={t('organization.tokens.permissions')}
        options={API_TOKEN_PERMISSIONS.map((permission) => ({
          value: permission,
          label: t(`organization.tokens.permission.${PERMISSION_KEYS[permission]}.label`),
          hint: t(`organization.tokens.permission.${PERMISSION_KEYS[permission]}.hint`),
        }))}
        value={permissions}
        onChange={setPermissions}
        error={form.fieldErrors.permissions}
      />
      <SubmitButton pending={form.pending} label={t('organization.tokens.submit')} pendingLabel={t('organization.tokens.pending')} />
    </form>
  );
}

/** The new token's secret, once, with the warning that it will not be shown again. */
function NewTokenSecret({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <NewSecret
      id="token-secret"
      secret={created.secret}
      onDone={onDone}
      text={{
        heading: t('organization.tokens.secretHeading', { name: created.token.name }),
        warning: t('organization.tokens.secretWarning'),
        label: t('organization.tokens.secretLabel'),
        copy: t('organization.tokens.copy'),
        copied: t('organization.tokens.copied'),
        copyManually: t('organization.tokens.copyManually'),
        done: t('organization.tokens.secretDone'),
      }}
    />
  );
}
