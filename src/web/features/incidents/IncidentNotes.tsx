import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { incidentsApi } from '../../api/incidents';
import { useResource } from '../../components/resource';
import { useFormat } from '../../i18n/format';
import { TextAreaField } from './TextArea';

/**
 * Review notes beside the record: shown to those who work on the incident (the server answers 403 to
 * anyone else, and then the section is not shown at all). Notes are added, never edited or removed.
 */
export function IncidentNotes({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notes = useResource(useCallback((signal: AbortSignal) => incidentsApi.notes(incidentId, signal), [incidentId]));
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  if (notes.resource.status === 'failed') return null;
  const list = notes.resource.status === 'loaded' ? notes.resource.data.data : [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setError(t('incidents.notes.required'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await incidentsApi.addNote(incidentId, body.trim());
      setBody('');
      setStatus(t('incidents.notes.added'));
      void notes.reload();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="incident-notes-title" className="incident-notes">
      <h2 id="incident-notes-title">{t('incidents.notes.title')}</h2>
      {notes.resource.status === 'loaded' && list.length === 0 && <p>{t('incidents.notes.empty')}</p>}
      <ul className="incident-notes__list">
        {list.map((note) => (
          <li key={note.id}>
            <p className="incident-notes__body">{note.body}</p>
            <p className="field__hint">
              {t('incidents.notes.by', { name: note.authorName ?? '—', date: format.dateTime(new Date(note.createdAt)) })}
            </p>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate>
        <TextAreaField
          id="incident-note"
          label={t('incidents.notes.label')}
          hint={t('incidents.notes.hint')}
          error={error}
          value={body}
          maxLength={5000}
          onChange={(e) => setBody(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('incidents.notes.add')}
        </button>
        <p role="status" className="field__hint">
          {status}
        </p>
      </form>
    </section>
  );
}
