import { useCallback, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../api/client';
import { evidenceApi, type EvidenceItem } from '../../api/evidence';
import { Field, FormMessage, useErrorText } from '../../components/form';
import { useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useFormat } from '../../i18n/format';
import { useBytes } from '../incidents/labels';
import { evidenceCustodyPath } from '../incidents/paths';
import { initialUpload, progressOf, runUpload, type FailureKind, type UploadState, type UploadTransport } from './chunked-upload';
import './evidence.css';

/** The evidence of an incident: the list (with previews of images' metadata-free copies) and, for its workers, the upload. */
export function EvidenceSection({ incidentId, mayAdd }: { incidentId: string; mayAdd: boolean }) {
  const { t } = useTranslation();
  const list = useResource(useCallback((signal: AbortSignal) => evidenceApi.list(incidentId, signal), [incidentId]));
  const resource = list.resource;
  // Until the evidence routes are merged the server answers 404 for them; say so rather than "not found".
  const unavailable = resource.status === 'failed' && resource.error instanceof ApiError && resource.error.code === 'NOT_FOUND';
  return (
    <section className="panel panel--wide" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{t('evidence.heading')}</h2>
      {resource.status === 'loading' && (
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      )}
      {resource.status === 'failed' && (
        <p className={unavailable ? undefined : 'form-message form-message--error'} role={unavailable ? undefined : 'alert'}>
          {unavailable ? t('evidence.unavailable') : resource.message}
        </p>
      )}
      {resource.status === 'loaded' && <EvidenceTable items={resource.data.data} />}
      {mayAdd && !unavailable && <EvidenceUpload incidentId={incidentId} onDone={() => void list.reload()} />}
    </section>
  );
}

function EvidenceTable({ items }: { items: EvidenceItem[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const bytes = useBytes();
  if (items.length === 0) return <p>{t('evidence.none')}</p>;
  return (
    <DataTable
      id="evidence-table"
      caption={t('evidence.caption')}
      columns={[t('evidence.columns.file'), t('evidence.columns.type'), t('evidence.columns.size'), t('evidence.columns.hash'), t('evidence.columns.received')]}
    >
      {items.map((item, index) => {
        const name = item.fileName ?? t('evidence.unnamed', { number: index + 1 });
        return (
          <tr key={item.id}>
            <th scope="row">
              {item.kind === 'image' && item.hasRedactedCopy && (
                <img className="evidence-thumb" src={evidenceApi.contentUrl(item.id)} alt={t('evidence.thumbnail', { name })} loading="lazy" />
              )}
              <span className="evidence-name">{name}</span>
              <Link href={evidenceCustodyPath(item.id)} aria-label={t('evidence.custodyOf', { name })}>
                {t('evidence.custody')}
              </Link>
            </th>
            <td>
              {item.kind ? t(`evidence.kinds.${item.kind}`) : t('evidence.unknownKind')}
              {item.status !== 'complete' && <span className="evidence-status"> · {t(`evidence.statuses.${item.status}`)}</span>}
              {item.mimeType && <code className="evidence-mime">{item.mimeType}</code>}
            </td>
            <td>{bytes(item.length)}</td>
            <td>{item.sha256 ? <HashValue hash={item.sha256} name={name} /> : t('evidence.notYet')}</td>
            <td>
              {item.receivedAt ? (
                <time dateTime={item.receivedAt}>{format.dateTime(new Date(item.receivedAt), { dateStyle: 'medium', timeStyle: 'short' })}</time>
              ) : (
                t('evidence.notYet')
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/**
 * A SHA-256 shortened to its first and last characters to fit a phone, whole when focused (it is a
 * read-only field, so it can be selected) and copied whole with the button.
 */
export function HashValue({ hash, name }: { hash: string; name: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<string>();
  const [focused, setFocused] = useState(false);
  const short = `${hash.slice(0, 8)}…${hash.slice(-8)}`;
  return (
    <span className="hash">
      <input
        className="hash__value"
        readOnly
        aria-label={t('evidence.hashOf', { name })}
        value={focused ? hash : short}
        size={focused ? 64 : 17}
        spellCheck={false}
        onFocus={(event) => {
          setFocused(true);
          const input = event.currentTarget;
          requestAnimationFrame(() => input.select());
        }}
        onBlur={() => setFocused(false)}
      />
      <button
        type="button"
        className="link-button"
        aria-label={t('evidence.copyOf', { name })}
        onClick={() => {
          navigator.clipboard.writeText(hash).then(
            () => setCopied(t('evidence.copied')),
            () => setCopied(t('evidence.copyFailed')),
          );
        }}
      >
        {t('evidence.copy')}
      </button>
      <span role="status" className="hash__copied">
        {copied}
      </span>
    </span>
  );
}

/** The browser's half of the upload: requests through the API client, and what each failure means. */
function transportFor(incidentId: string, fileName: string): UploadTransport<Blob> {
  return {
    start: (length) => evidenceApi.start(incidentId, length, fileName),
    send: (id, offset, chunk) => evidenceApi.sendChunk(id, offset, chunk),
    query: (id) => evidenceApi.uploadState(id),
    classify(error): FailureKind {
      if (error instanceof ApiError) {
        const details = error.details as { offset?: unknown } | undefined;
        if (error.status === 409 && typeof details?.offset === 'number') return { kind: 'offset', offset: details.offset };
        if (error.status === 415 || error.status === 413) return { kind: 'refused' };
      }
      return { kind: 'retry' };
    },
  };
}

function EvidenceUpload({ incidentId, onDone }: { incidentId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const bytes = useBytes();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [state, setState] = useState<UploadState>();
  const [fieldError, setFieldError] = useState<string>();
  const [done, setDone] = useState<string>();
  const busy = state?.phase === 'sending';

  async function send(from: UploadState, chosen: File) {
    setDone(undefined);
    const end = await runUpload(chosen, transportFor(incidentId, chosen.name), from, setState);
    if (end.phase === 'complete') {
      setDone(t('evidence.upload.complete', { name: chosen.name }));
      setFile(undefined);
      setState(undefined);
      if (input.current) input.current.value = '';
      onDone();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setFieldError(t('evidence.upload.chooseFile'));
      input.current?.focus();
      return;
    }
    setFieldError(undefined);
    void send(initialUpload(file.size), file);
  }

  const sent = state && state.phase !== 'ready' && state.phase !== 'refused' && state.phase !== 'complete' ? state.offset : 0;
  const total = file?.size ?? 0;
  return (
    <form className="form evidence-upload" noValidate onSubmit={submit} aria-labelledby="evidence-upload-heading">
      <h3 id="evidence-upload-heading">{t('evidence.upload.heading')}</h3>
      <FormMessage message={done} kind="success" />
      <FormMessage
        message={
          state?.phase === 'failed'
            ? t('evidence.upload.failed', { sent: bytes(sent), total: bytes(total), reason: errorText(state.error) })
            : state?.phase === 'refused'
              ? t('evidence.upload.refused')
              : undefined
        }
      />
      <Field
        ref={input}
        id="evidence-file"
        type="file"
        label={t('evidence.upload.file')}
        hint={t('evidence.upload.fileHint')}
        error={fieldError}
        disabled={busy}
        onChange={(event) => {
          setFile(event.target.files?.[0]);
          setState(undefined);
          setDone(undefined);
        }}
      />
      {state && state.phase !== 'ready' && (
        <div className="upload-progress">
          <label htmlFor="evidence-progress">{t('evidence.upload.progress')}</label>
          <progress id="evidence-progress" max={1} value={progressOf(state)} />
          <p role="status">{busy ? t('evidence.upload.sending', { sent: bytes(sent), total: bytes(total) }) : ''}</p>
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('evidence.upload.send')}
        </button>
        {state?.phase === 'failed' && file && (
          <button type="button" className="button" onClick={() => void send(state, file)}>
            {t('evidence.upload.retry')}
          </button>
        )}
      </div>
    </form>
  );
}
