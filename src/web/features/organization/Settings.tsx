import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { organizationsApi, type OrganizationDetails } from '../../api/organizations';
import { Checkbox, Field, FormMessage, SubmitButton, useFormState } from '../../components/form';
import { useSession } from '../../session/session';

const FIELDS = { name: 'organization-name', shareWithNetworksByDefault: 'organization-share' };
/** The server's limits for a name (src/server/routes/organizations/index.ts). */
const NAME_MIN = 2;
const NAME_MAX = 200;

/** The organization's name and whether its new records are shared with its networks by default. */
export function Settings({ organization, onSaved }: { organization: OrganizationDetails; onSaved: (saved: OrganizationDetails) => void }) {
  const { t } = useTranslation();
  const { reload } = useSession();
  const [name, setName] = useState(organization.name);
  const [share, setShare] = useState(organization.shareWithNetworksByDefault);
  const [done, setDone] = useState<string>();
  const form = useFormState(FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    const trimmed = name.trim();
    const errors: Record<string, string> = {};
    if (trimmed.length < NAME_MIN || trimmed.length > NAME_MAX) {
      errors.name = t('organization.settings.nameLength', { min: NAME_MIN, max: NAME_MAX });
    }
    if (!form.validate(errors, t('errors.validation'))) return;
    await form.submit(async () => {
      const saved = await organizationsApi.update(organization.id, { name: trimmed, shareWithNetworksByDefault: share });
      setName(saved.name);
      setShare(saved.shareWithNetworksByDefault);
      setDone(t('organization.settings.saved'));
      onSaved(saved);
      // The header and the account page show the organization's name from the session.
      if (saved.name !== organization.name) void reload();
    });
  }

  return (
    <section className="panel panel--wide" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('organization.settings.heading')}</h2>
      <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
        <FormMessage message={form.message} />
        <FormMessage message={done} kind="success" />
        <Field
          id={FIELDS.name}
          label={t('organization.settings.name')}
          autoComplete="organization"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={form.fieldErrors.name}
          required
        />
        <Checkbox
          id={FIELDS.shareWithNetworksByDefault}
          label={t('organization.settings.share')}
          hint={t('organization.settings.shareHint')}
          checked={share}
          onChange={setShare}
        />
        <SubmitButton pending={form.pending} label={t('organization.settings.submit')} pendingLabel={t('common.saving')} />
      </form>
    </section>
  );
}
