import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { followUpApi, REQUEST_CHANNELS, type AlertRequest, type AlertResponse, type RequestChannel, type ResponseDocument } from '../../api/alert-follow-up';
import { alertsApi, type Alert } from '../../api/alerts';
import { ApiError } from '../../api/client';
import { Checkbox, Field, SelectField, useErrorText } from '../../components/form';
import { ActionMessages, ResourceView, useAction, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { TextAreaField } from '../incidents/TextArea';
import './alerts.css';

/**
 * `/redaccion/:id/seguimiento`: a published alert's requests to the authorities, one per addressee,
 * with when and how each was sent, its due date, whether it is answered, overdue or awaiting (in words,
 * not only colour), and the answers. The network's reviewers and administrators correct the sending
 * and record answers, with the authority's document if there is one.
 */
export function AlertFollowUpPage() {
  const { id = '' } = useParams<{ id: string }>();
  return (
    <RequireSession>
      {(session) => (
        <FollowUpLoader
          key={id}
          id={id}
          recorderOf={(networkId) => session.memberships.some((m) => m.organization.id === networkId && m.roles.some((r) => r === 'reviewer' || r === 'administrator'))}
        />
      )}
    </RequireSession>
  );
}

type Status = 'answered' | 'overdue' | 'awaiting';
const statusOf = (r: AlertRequest): Status => (r.responses.length > 0 ? 'answered' : r.overdue ? 'overdue' : 'awaiting');
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'America/Mexico_City' });

function FollowUpLoader({ id, recorderOf }: { id: string; recorderOf: (networkId: string) => boolean }) {
  const { t } = useTranslation();
  const loaded = useResource(useCallback((signal: AbortSignal) => Promise.all([alertsApi.get(id, signal), followUpApi.requests(id, signal)]), [id]));
  useDocumentTitle(loaded.resource.status === 'loaded' ? t('followUp.heading', { reference: loaded.resource.data[0].reference }) : t('followUp.title'));
  return (
    <ResourceView resource={loaded.resource}>
      {([alert, { data }]) => <FollowUp alert={alert} requests={data} mayRecord={recorderOf(alert.networkId)} reload={loaded.reload} />}
    </ResourceView>
  );
}

function FollowUp({ alert, requests, mayRecord, reload }: { alert: Alert; requests: AlertRequest[]; mayRecord: boolean; reload: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const documentErrorText = useDocumentErrorText();
  const action = useAction(documentErrorText);
  const lang = i18n.language === 'en' ? 'en' : 'es';
  const counts = { answered: 0, overdue: 0, awaiting: 0 };
  for (const r of requests) counts[statusOf(r)] += 1;
  const run = (work: () => Promise<string>) =>
    action.run(async () => {
      const message = await work();
      await reload();
      return message;
    });
  const nameOf = (r: AlertRequest) => r.addresseeName[lang];

  const recordResponse = (r: AlertRequest, values: ResponseValues) =>
    run(async () => {
      const { id } = await followUpApi.recordResponse(r.id, values.receivedOn, values.summary.trim(), values.text.trim() || null);
      if (!values.file) return t('followUp.respond.recorded', { name: nameOf(r) });
      try {
        await followUpApi.attachDocument(id, values.file, values.isPublic);
      } catch (error) {
        // The answer is recorded; only its file is missing, and it can be attached again on the answer.
        return t('followUp.respond.recordedWithoutFile', { name: nameOf(r), error: documentErrorText(error) ?? errorText(error) });
      }
      return t('followUp.respond.recorded', { name: nameOf(r) });
    });

  return (
    <>
      <p className="kicker">{alert.reference}</p>
      <h1 ref={action.focusAfter} tabIndex={-1}>
        {t('followUp.heading', { reference: alert.reference })}
      </h1>
      <p>
        <Link href={WEB_PAGES.alertEdit.replace(':id', alert.id)}>{t('followUp.back')}</Link>
      </p>
      <p>{t('followUp.intro')}</p>
      {!mayRecord && <p className="field__hint">{t('followUp.readOnly')}</p>}
      <ActionMessages message={action.message} />
      {requests.length === 0 ? (
        <p>{t('followUp.none')}</p>
      ) : (
        <>
          <p className="follow-up-summary">{t('followUp.summary', { count: requests.length, ...counts })}</p>
          {requests.map((r) => (
            <RequestSection
              key={r.id}
              request={r}
              name={nameOf(r)}
              mayRecord={mayRecord}
              busy={action.busy}
              onSend={(sentOn, channel) => run(async () => {
                await followUpApi.updateRequest(r.id, sentOn, channel);
                return t('followUp.send.saved', { name: nameOf(r) });
              })}
              onRespond={(values) => recordResponse(r, values)}
              onAttach={(response, file, isPublic) => run(async () => {
                await followUpApi.attachDocument(response.id, file, isPublic);
                return t('followUp.attach.done');
              })}
            />
          ))}
        </>
      )}
    </>
  );
}

/** What to say when a document is refused: its type or its size, in the reader's language. */
function useDocumentErrorText(): (error: unknown) => string | undefined {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError)) return undefined;
      if (error.code === 'UNSUPPORTED_MEDIA_TYPE') return t('followUp.fileType');
      if (error.code === 'PAYLOAD_TOO_LARGE') return t('followUp.fileSize');
      return undefined;
    },
    [t],
  );
}

interface ResponseValues {
  receivedOn: string;
  summary: string;
  text: string;
  file: File | undefined;
  isPublic: boolean;
}

function RequestSection({
  request: r,
  name,
  mayRecord,
  busy,
  onSend,
  onRespond,
  onAttach,
}: {
  request: AlertRequest;
  name: string;
  mayRecord: boolean;
  busy: boolean;
  onSend: (sentOn: string, channel: RequestChannel) => Promise<void>;
  onRespond: (values: ResponseValues) => Promise<void>;
  onAttach: (response: AlertResponse, file: File, isPublic: boolean) => Promise<void>;
}) {
  const { t } = useTranslation();
  const day = useDay();
  const status = statusOf(r);
  const prefix = `request-${r.id}`;
  return (
    <section className={`record-part follow-up follow-up--${status}`} aria-labelledby={`${prefix}-heading`}>
      <h2 id={`${prefix}-heading`}>{name}</h2>
      <dl className="facts">
        <dt>{t('followUp.statusLabel')}</dt>
        <dd>
          <strong className={`follow-up__status follow-up__status--${status}`}>{t(`followUp.status.${status}`)}</strong>
        </dd>
        <dt>{t('followUp.sentOn')}</dt>
        <dd>{day(r.sentOn)}</dd>
        <dt>{t('followUp.channel')}</dt>
        <dd>{t(`followUp.channels.${r.channel}`)}</dd>
        <dt>{t('followUp.dueOn')}</dt>
        <dd>{day(r.dueOn)}</dd>
      </dl>
      <h3>{t('followUp.responses')}</h3>
      {r.responses.length === 0 ? (
        <p>{t('followUp.noResponses')}</p>
      ) : (
        <ul className="plain-list">
          {r.responses.map((response) => (
            <li key={response.id} className="follow-up__response">
              <p>
                <strong>{t('followUp.receivedOn', { date: day(response.receivedOn) })}</strong>: {response.summary}
              </p>
              {response.documentText && (
                <details>
                  <summary>{t('followUp.documentText')}</summary>
                  <p className="history-note">{response.documentText}</p>
                </details>
              )}
              {response.document ? (
                <DocumentLink response={response} document={response.document} />
              ) : (
                mayRecord && <AttachForm response={response} busy={busy} onAttach={onAttach} />
              )}
            </li>
          ))}
        </ul>
      )}
      {mayRecord && (
        <>
          <SendForm key={`${r.sentOn}-${r.channel}`} request={r} name={name} busy={busy} onSend={onSend} />
          <ResponseForm key={r.responses.length} request={r} name={name} busy={busy} onRespond={onRespond} />
        </>
      )}
    </section>
  );
}

function useDay(): (date: string) => string {
  const format = useFormat();
  return (date) => format.dateTime(new Date(`${date}T00:00:00Z`), { dateStyle: 'long', timeZone: 'UTC' });
}

function DocumentLink({ response, document }: { response: AlertResponse; document: ResponseDocument }) {
  const { t } = useTranslation();
  const day = useDay();
  const type = document.mimeType === 'application/pdf' ? t('followUp.typePdf') : t('followUp.typeImage');
  return (
    <p>
      <a href={followUpApi.documentUrl(response.id)} download>
        {t('followUp.download', { date: day(response.receivedOn), type })}
      </a>{' '}
      <span className="field__hint">{document.public ? t('followUp.documentPublic') : t('followUp.documentPrivate')}</span>
    </p>
  );
}

function SendForm({ request: r, name, busy, onSend }: { request: AlertRequest; name: string; busy: boolean; onSend: (sentOn: string, channel: RequestChannel) => Promise<void> }) {
  const { t } = useTranslation();
  const [sentOn, setSentOn] = useState(r.sentOn);
  const [channel, setChannel] = useState<RequestChannel>(r.channel);
  const prefix = `send-${r.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSend(sentOn, channel);
  };
  return (
    <form className="form follow-up__form" onSubmit={submit}>
      <fieldset>
        <legend>{t('followUp.send.legend', { name })}</legend>
        <Field id={`${prefix}-date`} type="date" label={t('followUp.send.sentOn')} value={sentOn} required max={today()} onChange={(e) => setSentOn(e.target.value)} />
        <SelectField
          id={`${prefix}-channel`}
          label={t('followUp.send.channel')}
          value={channel}
          options={REQUEST_CHANNELS.map((c) => ({ value: c, label: t(`followUp.channels.${c}`) }))}
          onChange={(e) => setChannel(e.target.value as RequestChannel)}
        />
        <button type="submit" className="button-secondary" disabled={busy || !sentOn}>
          {t('followUp.send.submit')}
        </button>
      </fieldset>
    </form>
  );
}

function ResponseForm({ request: r, name, busy, onRespond }: { request: AlertRequest; name: string; busy: boolean; onRespond: (values: ResponseValues) => Promise<void> }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ResponseValues>({ receivedOn: today(), summary: '', text: '', file: undefined, isPublic: false });
  const [missing, setMissing] = useState(false);
  const set = <K extends keyof ResponseValues>(key: K, value: ResponseValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const prefix = `respond-${r.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const incomplete = !values.receivedOn || !values.summary.trim();
    setMissing(incomplete);
    if (!incomplete) void onRespond(values);
  };
  return (
    <form className="form follow-up__form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t('followUp.respond.legend', { name })}</legend>
        <Field
          id={`${prefix}-date`}
          type="date"
          label={t('followUp.respond.receivedOn')}
          value={values.receivedOn}
          required
          error={missing && !values.receivedOn ? t('followUp.respond.missing') : undefined}
          onChange={(e) => set('receivedOn', e.target.value)}
        />
        <TextAreaField
          id={`${prefix}-summary`}
          label={t('followUp.respond.summary')}
          hint={t('followUp.respond.summaryHint')}
          value={values.summary}
          maxLength={3000}
          required
          error={missing && !values.summary.trim() ? t('followUp.respond.missing') : undefined}
          onChange={(e) => set('summary', e.target.value)}
        />
        <TextAreaField id={`${prefix}-text`} label={t('followUp.respond.text')} value={values.text} onChange={(e) => set('text', e.target.value)} />
        <Field
          id={`${prefix}-file`}
          type="file"
          accept="application/pdf,image/*"
          label={t('followUp.respond.file')}
          hint={t('followUp.respond.fileHint')}
          onChange={(e) => set('file', e.target.files?.[0])}
        />
        <Checkbox id={`${prefix}-public`} label={t('followUp.respond.public')} hint={t('followUp.respond.publicHint')} checked={values.isPublic} disabled={!values.file} onChange={(v) => set('isPublic', v)} />
        <button type="submit" disabled={busy}>
          {t('followUp.respond.submit')}
        </button>
      </fieldset>
    </form>
  );
}

function AttachForm({ response, busy, onAttach }: { response: AlertResponse; busy: boolean; onAttach: (response: AlertResponse, file: File, isPublic: boolean) => Promise<void> }) {
  const { t } = useTranslation();
  const day = useDay();
  const [file, setFile] = useState<File>();
  const [isPublic, setPublic] = useState(false);
  const [missing, setMissing] = useState(false);
  const prefix = `attach-${response.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!file);
    if (file) void onAttach(response, file, isPublic);
  };
  return (
    <form className="form follow-up__attach" onSubmit={submit} noValidate>
      <Field
        id={`${prefix}-file`}
        type="file"
        accept="application/pdf,image/*"
        label={t('followUp.attach.label', { date: day(response.receivedOn) })}
        error={missing ? t('followUp.attach.choose') : undefined}
        onChange={(e) => setFile(e.target.files?.[0])}
      />
      <Checkbox id={`${prefix}-public`} label={t('followUp.attach.public')} hint={t('followUp.respond.publicHint')} checked={isPublic} onChange={setPublic} />
      <button type="submit" className="button-secondary" disabled={busy}>
        {t('followUp.attach.submit')}
      </button>
    </form>
  );
}
