import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { ApiError } from '../../api/client';
import { webhooksApi, type CreatedWebhookEndpoint, type OrganizationDetails, type WebhookDelivery, type WebhookEndpoint } from '../../api/organizations';
import { Field, FormMessage, SubmitButton, useFormState } from '../../components/form';
import { ActionMessages, ListView, useAction, useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useFormat } from '../../i18n/format';
import { AdministeredOrganization } from './AdministeredOrganization';
import { organizationPath } from './AdministrationLinks';
import { NewSecret } from './NewSecret';
import './organization.css';

const FIELDS = { url: 'webhook-url', description: 'webhook-description' };
const DESCRIPTION_MAX = 200;

/**
 * A network's webhook endpoints, for its administrators: where its published alerts are POSTed,
 * signed. Add one (its signing secret is shown once), switch one off or on, and read the latest
 * delivery attempts of each, failures and refusals included.
 */
export default function WebhooksPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams<{ id: string }>();
  return (
    <AdministeredOrganization id={id} title={(name) => (name ? t('webhooks.titleNamed', { name }) : t('webhooks.title'))}>
      {({ organization }) => <Webhooks organization={organization} />}
    </AdministeredOrganization>
  );
}

function Webhooks({ organization }: { organization: OrganizationDetails }) {
  const { t } = useTranslation();
  const { id } = organization;
  const endpoints = useResource(useCallback((signal: AbortSignal) => webhooksApi.list(id, signal), [id]));
  const action = useAction();
  const [created, setCreated] = useState<CreatedWebhookEndpoint & { url: string }>();

  return (
    <>
      <h1>
        <span className="page-kicker">{organization.name}</span> {t('webhooks.heading')}
      </h1>
      <p>
        <Link href={organizationPath(id)}>{t('webhooks.back', { name: organization.name })}</Link>
      </p>
      <section className="panel panel--wide" aria-labelledby="webhook-add-heading">
        <h2 id="webhook-add-heading">{t('webhooks.addHeading')}</h2>
        <p>{t('webhooks.intro')}</p>
        {created ? (
          <NewSecret
            id="webhook-secret"
            secret={created.secret}
            onDone={() => setCreated(undefined)}
            text={{
              heading: t('webhooks.secretHeading', { url: created.url }),
              warning: t('webhooks.secretWarning'),
              label: t('webhooks.secretLabel'),
              copy: t('webhooks.copy'),
              copied: t('webhooks.copied'),
              copyManually: t('webhooks.copyManually'),
              done: t('webhooks.secretDone'),
            }}
          >
            <p>{t('webhooks.secretExplanation')}</p>
          </NewSecret>
        ) : (
          <EndpointForm
            organizationId={id}
            onCreated={(endpoint) => {
              setCreated(endpoint);
              void endpoints.reload();
            }}
          />
        )}
      </section>
      <section className="panel panel--wide" aria-labelledby="webhook-list-heading">
        <h2 id="webhook-list-heading" ref={action.focusAfter} tabIndex={-1}>
          {t('webhooks.listHeading')}
        </h2>
        <ActionMessages message={action.message} />
        <ListView resource={endpoints.resource} empty={t('webhooks.none')}>
          {(data) =>
            data.map((endpoint) => (
              <Endpoint
                key={endpoint.id}
                endpoint={endpoint}
                busy={action.busy}
                onToggle={() =>
                  void action.run(async () => {
                    await webhooksApi.setActive(id, endpoint.id, !endpoint.active);
                    await endpoints.reload();
                    return t(endpoint.active ? 'webhooks.deactivated' : 'webhooks.activated', { url: endpoint.url });
                  })
                }
              />
            ))
          }
        </ListView>
      </section>
    </>
  );
}

function EndpointForm({ organizationId, onCreated }: { organizationId: string; onCreated: (created: CreatedWebhookEndpoint & { url: string }) => void }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const form = useFormState(FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = url.trim();
    const errors: Record<string, string> = {};
    const urlProblem = localUrlProblem(trimmed);
    if (urlProblem) errors.url = t(`webhooks.problems.${urlProblem}`);
    if (description.trim().length > DESCRIPTION_MAX) errors.description = t('webhooks.descriptionTooLong', { max: DESCRIPTION_MAX });
    if (!form.validate(errors, t('errors.validation'))) return;
    form.start();
    try {
      const created = await webhooksApi.create(organizationId, trimmed, description.trim());
      setUrl('');
      setDescription('');
      onCreated({ ...created, url: trimmed });
    } catch (error) {
      // The server says which rule the address broke, in English: the reader gets it in their language.
      const problem = error instanceof ApiError ? error.fieldProblems.find((p) => p.field === 'url') : undefined;
      form.fail(error);
      if (problem) form.setFieldErrors({ url: t(`webhooks.problems.${serverUrlProblem(problem.message)}`) });
    } finally {
      form.setPending(false);
    }
  }

  return (
    <form ref={form.form} className="form" noValidate onSubmit={(event) => void submit(event)}>
      <h3>{t('webhooks.formHeading')}</h3>
      <FormMessage message={form.message} />
      <Field
        id={FIELDS.url}
        type="url"
        inputMode="url"
        label={t('webhooks.url')}
        hint={t('webhooks.urlHint')}
        autoComplete="off"
        spellCheck={false}
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        error={form.fieldErrors.url}
        required
      />
      <Field
        id={FIELDS.description}
        label={t('webhooks.description')}
        hint={t('webhooks.descriptionHint')}
        autoComplete="off"
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={form.fieldErrors.description}
      />
      <SubmitButton pending={form.pending} label={t('webhooks.submit')} pendingLabel={t('webhooks.pending')} />
    </form>
  );
}

type UrlProblem = 'required' | 'invalid' | 'https' | 'credentials' | 'inside';

/** What can be told without the server: the rest (https only, where the host leads) the server checks. */
function localUrlProblem(text: string): UrlProblem | undefined {
  if (text === '') return 'required';
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return 'invalid';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'https';
  if (parsed.username !== '' || parsed.password !== '') return 'credentials';
  return undefined;
}

/** The rule a refused URL broke, from the server's wording (src/domain/webhook-url.ts). */
function serverUrlProblem(message: string): UrlProblem {
  if (/user name or password/.test(message)) return 'credentials';
  if (/public internet address|resolves to/.test(message)) return 'inside';
  if (/https|http\(s\)/.test(message)) return 'https';
  return 'invalid';
}

function Endpoint({ endpoint, busy, onToggle }: { endpoint: WebhookEndpoint; busy: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = `webhook-${endpoint.id}`;
  return (
    <article className="webhook-endpoint" aria-labelledby={headingId}>
      <h3 id={headingId} className="webhook-endpoint__url">
        {endpoint.url}
      </h3>
      {endpoint.description && <p>{endpoint.description}</p>}
      <dl className="webhook-endpoint__facts">
        <dt>{t('webhooks.status')}</dt>
        <dd>{endpoint.active ? t('webhooks.active') : t('webhooks.inactive')}</dd>
        <dt>{t('webhooks.created')}</dt>
        <dd>{format.dateTime(new Date(endpoint.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}</dd>
      </dl>
      <button type="button" className="button" disabled={busy} aria-describedby={headingId} onClick={onToggle}>
        {endpoint.active ? t('webhooks.deactivate') : t('webhooks.activate')}
      </button>
      {endpoint.deliveries.length === 0 ? (
        <p>{t('webhooks.noDeliveries')}</p>
      ) : (
        <DataTable
          id={`deliveries-${endpoint.id}`}
          caption={t('webhooks.deliveriesCaption', { url: endpoint.url })}
          columns={[t('webhooks.when'), t('webhooks.event'), t('webhooks.attempt'), t('webhooks.result'), t('webhooks.duration')]}
        >
          {endpoint.deliveries.map((delivery) => (
            <tr key={delivery.id}>
              <th scope="row">{format.dateTime(new Date(delivery.attemptedAt), { dateStyle: 'medium', timeStyle: 'medium' })}</th>
              <td>{delivery.event === 'alert.corrected' ? t('webhooks.events.corrected') : t('webhooks.events.published')}</td>
              <td>{format.number(delivery.attempt)}</td>
              <td>
                <DeliveryResult delivery={delivery} />
              </td>
              <td>{t('webhooks.milliseconds', { value: format.number(delivery.durationMs) })}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </article>
  );
}

function DeliveryResult({ delivery }: { delivery: WebhookDelivery }) {
  const { t } = useTranslation();
  if (delivery.succeeded) return <>{t('webhooks.delivered', { status: delivery.statusCode })}</>;
  return (
    <>
      {delivery.statusCode === null ? t('webhooks.failed') : t('webhooks.failedStatus', { status: delivery.statusCode })}
      {delivery.error && (
        <>
          {' '}
          <code className="webhook-endpoint__error">{delivery.error}</code>
        </>
      )}
    </>
  );
}
