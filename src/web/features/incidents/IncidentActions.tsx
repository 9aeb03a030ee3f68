import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { incidentsApi, STEPS_NEEDING_NOTE, type Incident, type WorkflowStep } from '../../api/incidents';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ActionMessages, useAction } from '../../components/resource';
import { TextAreaField } from './TextArea';

/**
 * The review workflow's buttons: exactly the steps the server says this person may take now
 * (`nextSteps`), with a note where a step needs one. A refusal for four eyes is said in words: the
 * person who made the last change cannot verify it.
 */
export function WorkflowPanel({ incident, onChanged }: { incident: Incident; onChanged: (incident: Incident) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const describe = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.reason === 'four_eyes') return t('incidents.workflow.fourEyes');
      if (error instanceof ApiError && error.code === 'CONFLICT') return t('incidents.workflow.conflict');
      return undefined;
    },
    [t],
  );
  const action = useAction(describe);

  function take(step: WorkflowStep) {
    const trimmed = note.trim();
    if (STEPS_NEEDING_NOTE.includes(step) && !trimmed) {
      setNoteError(t('incidents.workflow.noteRequired'));
      document.getElementById('workflow-note')?.focus();
      return;
    }
    setNoteError(undefined);
    void action.run(async () => {
      try {
        const changed = await incidentsApi.workflow(incident.id, step, trimmed || undefined);
        setNote('');
        onChanged(changed);
        return t(`incidents.workflow.done.${step}`);
      } catch (error) {
        // A step that no longer applies: show where the incident stands now.
        if (error instanceof ApiError && error.code === 'CONFLICT') {
          onChanged(await incidentsApi.get(incident.id, false));
        }
        throw error;
      }
    });
  }

  const steps = incident.nextSteps;
  return (
    <section className="panel panel--wide" aria-labelledby="workflow-heading">
      <h2 id="workflow-heading" ref={action.focusAfter} tabIndex={-1}>
        {t('incidents.workflow.heading')}
      </h2>
      <p>
        {t('incidents.statusLabel')}: <StatusBadge status={incident.status} />
      </p>
      <ActionMessages message={action.message} />
      {steps.length === 0 ? (
        <p>{t('incidents.workflow.nothing')}</p>
      ) : (
        <div className="form">
          {steps.some((step) => STEPS_NEEDING_NOTE.includes(step)) && (
            <TextAreaField
              id="workflow-note"
              label={t('incidents.workflow.note')}
              hint={t('incidents.workflow.noteHint')}
              error={noteError}
              value={note}
              maxLength={5000}
              onChange={(event) => setNote(event.target.value)}
            />
          )}
          {steps.includes('verify') && <p className="field__hint">{t('incidents.workflow.fourEyesHint')}</p>}
          <div className="button-row">
            {steps.map((step) => (
              <button
                key={step}
                type="button"
                className={step === 'verify' || step === 'submit' ? 'button button--primary' : 'button'}
                disabled={action.busy}
                onClick={() => take(step)}
              >
                {t(`incidents.workflow.steps.${step}`)}
              </button>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

export function StatusBadge({ status }: { status: Incident['status'] }) {
  const { t } = useTranslation();
  return <span className={`badge status-badge status-badge--${status}`}>{t(`incidents.status.${status}`)}</span>;
}

/** Sharing with the organization's networks (names and contacts are never shared), one button to switch it. */
export function SharingPanel({ incident, onChanged }: { incident: Incident; onChanged: (incident: Incident) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const shared = incident.sharedWithNetworks;
  return (
    <section className="panel panel--wide" aria-labelledby="sharing-heading">
      <h2 id="sharing-heading" ref={action.focusAfter} tabIndex={-1}>
        {t('incidents.sharing.heading')}
      </h2>
      <p>{t(shared ? 'incidents.sharing.shared' : 'incidents.sharing.notShared')}</p>
      <ActionMessages message={action.message} />
      <button
        type="button"
        className="button"
        aria-pressed={shared}
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            onChanged(await incidentsApi.share(incident.id, !shared));
            return t(shared ? 'incidents.sharing.didUnshare' : 'incidents.sharing.didShare');
          })
        }
      >
        {t('incidents.sharing.share')}
      </button>
    </section>
  );
}

const REASON_MIN = 3;

/** Archiving with a reason, asked twice: nothing is deleted, but an archived record no longer changes. */
export function ArchivePanel({ incident, onChanged }: { incident: Incident; onChanged: (incident: Incident) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  return (
    <section className="panel panel--wide" aria-labelledby="archive-heading">
      <h2 id="archive-heading" ref={action.focusAfter} tabIndex={-1}>
        {t('incidents.archive.heading')}
      </h2>
      <p>{t('incidents.archive.intro')}</p>
      <ActionMessages message={action.message} />
      <div className="form">
        <TextAreaField
          id="archive-reason"
          label={t('incidents.archive.reason')}
          error={error}
          value={reason}
          maxLength={2000}
          onChange={(event) => setReason(event.target.value)}
        />
        <ConfirmButton
          label={t('incidents.archive.button')}
          question={t('incidents.archive.question')}
          confirmLabel={t('incidents.archive.confirm')}
          disabled={action.busy}
          onConfirm={() => {
            if (reason.trim().length < REASON_MIN) {
              setError(t('incidents.archive.reasonRequired'));
              document.getElementById('archive-reason')?.focus();
              return;
            }
            setError(undefined);
            void action.run(async () => {
              onChanged(await incidentsApi.archive(incident.id, reason.trim()));
              return t('incidents.archive.done');
            });
          }}
        />
      </div>
    </section>
  );
}
