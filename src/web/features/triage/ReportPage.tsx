import { useCallback, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { ApiError } from '../../api/client';
import { evidenceApi } from '../../api/evidence';
import { Field, FormMessage, SubmitButton, useErrorText } from '../../components/form';
import { ResourceView, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { RadioGroup, TextAreaField } from '../incident-editor/controls';
import { useBytes } from '../incidents/labels';
import { labelOf, useMunicipalitiesOf, useStates, useVocabularies, type Vocabularies } from '../incident-editor/reference';
import { readVerdicts, saveVerdicts, verdictKey, type Verdict, type Verdicts } from './accepted';
import { triageApi } from './api';
import { highlightSegments, SUGGESTION_CATEGORIES, type SuggestedBy } from './highlight';
import { reportPath } from './InboxPage';
import { ReportWhenWhere, useFuzzyDate } from './shared';
import type { Duplicate, ReportAttachment, ReportForTriage, SuggestionCategory } from './types';
import './triage.css';

const OPEN_STATUSES = new Set(['new', 'needs_information']);

export const incidentFromReportPath = (id: string) => WEB_PAGES.incidentFromReport.replace(':id', encodeURIComponent(id));
/** The incident's own page (the incident view); the editor lives under it. */
export const incidentPath = (id: string) => `/incidentes/${encodeURIComponent(id)}`;

/**
 * One report opened for triage (the server records that it was opened): the testimony with the words
 * behind each suggestion marked, the suggestions to accept or dismiss, what the reporter added later,
 * their contact only if they gave one and allowed its use, likely duplicates, and the ways out of the
 * inbox: a new incident, an existing one, a rejection or a question for the reporter.
 */
export default function ReportPage() {
  const { id = '' } = useParams<{ id: string }>();
  return <RequireSession>{() => <ReportView key={id} id={id} />}</RequireSession>;
}

function ReportView({ id }: { id: string }) {
  const { t } = useTranslation();
  const { resource, reload } = useResource(useCallback((signal: AbortSignal) => triageApi.open(id, signal), [id]));
  const code = resource.status === 'loaded' ? resource.data.receiptCode : undefined;
  useDocumentTitle(code ? t('triage.report.named', { code }) : t('triage.report.title'));
  if (resource.status === 'failed' && resource.error instanceof ApiError && ['NOT_FOUND', 'VALIDATION_FAILED'].includes(resource.error.code)) {
    return (
      <>
        <h1>{t('triage.report.title')}</h1>
        <p>{t('triage.report.notFound')}</p>
        <p>
          <Link href={WEB_PAGES.triageInbox}>{t('triage.backToInbox')}</Link>
        </p>
      </>
    );
  }
  return (
    <ResourceView resource={resource}>{(report) => <Report report={report} onChanged={reload} />}</ResourceView>
  );
}

function Report({ report, onChanged }: { report: ReportForTriage; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const fuzzyDate = useFuzzyDate();
  const states = useStates();
  const municipalities = useMunicipalitiesOf(
    [report.stateCode, ...report.suggestions.states.map((s) => s.code), ...report.suggestions.municipalities.map((s) => s.code.slice(0, 2))].filter(
      (code): code is string => Boolean(code),
    ),
  );
  const vocabularies = useVocabularies(['perpetrator_types', 'act_types', 'place_types', 'victim_characteristics']);
  const [verdicts, setVerdicts] = useState<Verdicts>(() => readVerdicts(report.id));

  const label = (category: SuggestionCategory, code: string): string => {
    switch (category) {
      case 'states':
        return states?.find((s) => s.code === code)?.name ?? code;
      case 'municipalities':
        return municipalities.get(code) ?? code;
      default:
        return labelOf(vocabularies[VOCABULARY_OF[category]], code);
    }
  };
  const decide = (category: SuggestionCategory, code: string, verdict: Verdict) => {
    const next = { ...verdicts, [verdictKey(category, code)]: verdict };
    setVerdicts(next);
    saveVerdicts(report.id, next);
  };
  const open = OPEN_STATUSES.has(report.status);

  return (
    <>
      <p className="breadcrumb">
        <Link href={WEB_PAGES.triageInbox}>{t('triage.backToInbox')}</Link>
      </p>
      <h1>{t('triage.report.named', { code: report.receiptCode })}</h1>
      <dl className="report-facts">
        <dt>{t('triage.fields.status')}</dt>
        <dd>
          <span className={`status-badge status-badge--${report.status}`}>{t(`triage.status.${report.status}`)}</span>
        </dd>
        <ReportWhenWhere report={report} states={states} municipalities={municipalities} vocabularies={vocabularies} />
        <dt>{t('triage.fields.received')}</dt>
        <dd>{format.dateTime(new Date(report.createdAt))}</dd>
        {report.shelterName && (
          <>
            <dt>{t('triage.fields.shelterName')}</dt>
            <dd>{report.shelterName}</dd>
          </>
        )}
        {report.whoDescription && (
          <>
            <dt>{t('triage.fields.whoDescription')}</dt>
            <dd>{report.whoDescription}</dd>
          </>
        )}
        {report.extra?.actTypes.length ? (
          <>
            <dt>{t('triage.fields.reportedActs')}</dt>
            <dd>{report.extra.actTypes.map((c) => labelOf(vocabularies.act_types, c)).join(', ')}</dd>
          </>
        ) : null}
        {report.extra?.victimCharacteristics.length ? (
          <>
            <dt>{t('triage.fields.victimCharacteristics')}</dt>
            <dd>{report.extra.victimCharacteristics.map((c) => labelOf(vocabularies.victim_characteristics, c)).join(', ')}</dd>
          </>
        ) : null}
        {report.extra?.peopleAffected != null && (
          <>
            <dt>{t('triage.fields.peopleAffected')}</dt>
            <dd>{format.number(report.extra.peopleAffected)}</dd>
          </>
        )}
        {report.extra?.agentsCount != null && (
          <>
            <dt>{t('triage.fields.agentsCount')}</dt>
            <dd>{format.number(report.extra.agentsCount)}</dd>
          </>
        )}
        {report.resolution && (
          <>
            <dt>{t('triage.fields.resolution')}</dt>
            <dd>{report.resolution}</dd>
          </>
        )}
      </dl>

      <Testimony report={report} label={label} />
      <Attachments attachments={report.attachments} />
      <SuggestionChips report={report} verdicts={verdicts} label={label} onDecide={decide} />
      {report.additions.length > 0 && (
        <Section title={t('triage.additions.heading')}>
          <ol className="additions">
            {report.additions.map((addition, index) => (
              <li key={index}>
                <p className="additions__date">{format.dateTime(new Date(addition.at))}</p>
                <p className="testimony-text">{addition.text}</p>
              </li>
            ))}
          </ol>
        </Section>
      )}
      {report.contact && (
        <Section title={t('triage.contact.heading')}>
          <p>{t('triage.contact.hint')}</p>
          <p className="contact">{report.contact}</p>
        </Section>
      )}
      <Duplicates duplicates={report.duplicates} />
      {open ? (
        <Actions report={report} onChanged={onChanged} />
      ) : (
        report.incidentId && (
          <p>
            <Link href={incidentPath(report.incidentId)}>{t('triage.actions.openIncident')}</Link>
          </p>
        )
      )}
    </>
  );
}

const VOCABULARY_OF: Record<Exclude<SuggestionCategory, 'states' | 'municipalities'>, keyof Vocabularies> = {
  perpetratorTypes: 'perpetrator_types',
  actTypes: 'act_types',
  placeTypes: 'place_types',
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="triage-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

type Labeller = (category: SuggestionCategory, code: string) => string;

function Testimony({ report, label }: { report: ReportForTriage; label: Labeller }) {
  const { t } = useTranslation();
  const segments = highlightSegments(report.whatHappened, report.suggestions);
  const suggests = (by: SuggestedBy[]) => t('triage.testimony.suggests', { labels: by.map((s) => label(s.category, s.code)).join(', ') });
  return (
    <Section title={t('triage.testimony.heading')}>
      <p className="field__hint">{t('triage.testimony.hint')}</p>
      <div className="testimony-text testimony">
        {segments.map((segment) =>
          segment.suggestedBy.length === 0 ? (
            <span key={segment.start}>{segment.text}</span>
          ) : (
            <mark key={segment.start}>
              {segment.text}
              <span className="visually-hidden"> ({suggests(segment.suggestedBy)})</span>
            </mark>
          ),
        )}
      </div>
    </Section>
  );
}

function SuggestionChips({
  report,
  verdicts,
  label,
  onDecide,
}: {
  report: ReportForTriage;
  verdicts: Verdicts;
  label: Labeller;
  onDecide: (category: SuggestionCategory, code: string, verdict: Verdict) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const categories = SUGGESTION_CATEGORIES.filter((c) => report.suggestions[c].length > 0);
  return (
    <Section title={t('triage.suggestions.heading')}>
      <p className="field__hint">{t('triage.suggestions.hint')}</p>
      {categories.length === 0 && <p>{t('triage.suggestions.none')}</p>}
      {categories.map((category) => (
        <div key={category} className="chip-group">
          <h3>{t(`triage.categories.${category}`)}</h3>
          <ul className="chips">
            {report.suggestions[category].map((suggestion) => {
              const name = label(category, suggestion.code);
              const verdict = verdicts[verdictKey(category, suggestion.code)];
              return (
                <li key={suggestion.code} className={`chip${verdict ? ` chip--${verdict}` : ''}`}>
                  <span className="chip__label">
                    {name}{' '}
                    <span className="chip__score">{t('triage.suggestions.score', { score: format.number(suggestion.score, { style: 'percent', maximumFractionDigits: 0 }) })}</span>
                  </span>
                  <span className="chip__buttons">
                    <button type="button" className="button button--small" aria-pressed={verdict === 'accepted'} onClick={() => onDecide(category, suggestion.code, 'accepted')}>
                      {t('triage.suggestions.accept')}
                      <span className="visually-hidden"> {name}</span>
                    </button>
                    <button type="button" className="button button--small" aria-pressed={verdict === 'dismissed'} onClick={() => onDecide(category, suggestion.code, 'dismissed')}>
                      {t('triage.suggestions.dismiss')}
                      <span className="visually-hidden"> {name}</span>
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </Section>
  );
}

/**
 * The files sent with the report. Images show their copy without metadata (each load is a view in the
 * file's chain of custody); other files have no such copy, and their original, with its metadata, is
 * downloaded only once the report is on an incident.
 */
function Attachments({ attachments }: { attachments: ReportAttachment[] }) {
  const { t } = useTranslation();
  const bytes = useBytes();
  return (
    <Section title={t('triage.attachments.heading')}>
      {attachments.length === 0 ? (
        <p>{t('triage.attachments.none')}</p>
      ) : (
        <>
          <p className="field__hint">{t('triage.attachments.hint')}</p>
          <ul className="report-attachments">
            {attachments.map((file, index) => {
              const name = file.fileName ?? t('triage.attachments.unnamed', { n: index + 1 });
              const viewable = file.kind === 'image' && file.hasRedactedCopy;
              return (
                <li key={file.id} className="report-attachment">
                  {viewable && (
                    <img className="report-attachment__thumb" src={evidenceApi.contentUrl(file.id)} alt={t('triage.attachments.thumbnail', { name })} loading="lazy" />
                  )}
                  <div>
                    <p className="report-attachment__name">{name}</p>
                    <p>
                      {t(`triage.attachments.kinds.${file.kind ?? 'unknown'}`)} · {bytes(file.length)}
                      {file.mimeType && (
                        <>
                          {' · '}
                          <code>{file.mimeType}</code>
                        </>
                      )}
                    </p>
                    {viewable ? (
                      <a href={evidenceApi.contentUrl(file.id)} target="_blank" rel="noopener noreferrer">
                        {t('triage.attachments.view', { name })}
                      </a>
                    ) : (
                      <p className="field__hint">{t('triage.attachments.noCopy')}</p>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Section>
  );
}

function Duplicates({ duplicates }: { duplicates: Duplicate[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const fuzzyDate = useFuzzyDate();
  return (
    <Section title={t('triage.duplicates.heading')}>
      {duplicates.length === 0 ? (
        <p>{t('triage.duplicates.none')}</p>
      ) : (
        <ul className="duplicates">
          {duplicates.map((duplicate) => (
            <li key={duplicate.id}>
              <Link href={duplicate.kind === 'incident' ? incidentPath(duplicate.id) : reportPath(duplicate.id)}>
                {t(`triage.duplicates.kind.${duplicate.kind}`)}: {duplicate.label}
              </Link>
              <p>
                {fuzzyDate(duplicate.date, 'day')} · {t('triage.duplicates.likelihood', { score: format.number(duplicate.score, { style: 'percent', maximumFractionDigits: 0 }) })}
              </p>
              <p>{t('triage.duplicates.why', { reasons: duplicate.reasons.map((r) => t(`triage.duplicates.reasons.${r}`)).join(', ') })}</p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Actions({ report, onChanged }: { report: ReportForTriage; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  return (
    <Section title={t('triage.actions.heading')}>
      <p>
        <Link href={incidentFromReportPath(report.id)} className="button button--primary">
          {t('triage.actions.create')}
        </Link>
      </p>
      <AttachForm report={report} onChanged={onChanged} />
      <ResolutionForm report={report} onChanged={onChanged} />
    </Section>
  );
}

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const OTHER = 'other';

function AttachForm({ report, onChanged }: { report: ReportForTriage; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const incidents = report.duplicates.filter((d) => d.kind === 'incident');
  const [choice, setChoice] = useState<string>(incidents[0]?.id ?? OTHER);
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const incidentId = choice === OTHER ? UUID_IN_TEXT.exec(pasted)?.[0] : choice;
    if (!incidentId) {
      setError(t('triage.attach.invalid'));
      document.getElementById('attach-pasted')?.focus();
      return;
    }
    setError(undefined);
    setMessage(undefined);
    setPending(true);
    try {
      await triageApi.attach(report.id, incidentId);
      await onChanged();
    } catch (failure) {
      setMessage(failure instanceof ApiError && failure.code === 'NOT_FOUND' ? t('triage.attach.notFound') : errorText(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="form triage-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="attach-heading">
      <h3 id="attach-heading">{t('triage.attach.heading')}</h3>
      {incidents.length > 0 && (
        <RadioGroup
          id="attach-choice"
          name="attach-choice"
          legend={t('triage.attach.choose')}
          value={choice}
          onChange={setChoice}
          options={[...incidents.map((d) => ({ value: d.id, label: d.label })), { value: OTHER, label: t('triage.attach.other') }]}
        />
      )}
      {choice === OTHER && (
        <Field
          id="attach-pasted"
          label={t('triage.attach.pasted')}
          hint={t('triage.attach.pastedHint')}
          value={pasted}
          error={error}
          onChange={(event) => setPasted(event.target.value)}
          spellCheck={false}
        />
      )}
      <FormMessage message={message} />
      <SubmitButton pending={pending} label={t('triage.attach.submit')} pendingLabel={t('triage.attach.pending')} />
    </form>
  );
}

function ResolutionForm({ report, onChanged }: { report: ReportForTriage; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [outcome, setOutcome] = useState<'needs_information' | 'rejected'>('needs_information');
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (text.trim().length < 3) {
      setError(t('triage.resolution.required'));
      document.getElementById('resolution-message')?.focus();
      return;
    }
    setError(undefined);
    setMessage(undefined);
    setPending(true);
    try {
      await triageApi.resolve(report.id, outcome, text.trim());
      await onChanged();
    } catch (failure) {
      setMessage(errorText(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="form triage-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="resolution-heading">
      <h3 id="resolution-heading">{t('triage.resolution.heading')}</h3>
      <RadioGroup
        id="resolution-outcome"
        name="resolution-outcome"
        legend={t('triage.resolution.outcome')}
        value={outcome}
        onChange={setOutcome}
        options={[
          { value: 'needs_information', label: t('triage.resolution.needsInformation') },
          { value: 'rejected', label: t('triage.resolution.rejected') },
        ]}
      />
      <TextAreaField
        id="resolution-message"
        label={outcome === 'rejected' ? t('triage.resolution.reason') : t('triage.resolution.question')}
        hint={outcome === 'rejected' ? t('triage.resolution.reasonHint') : t('triage.resolution.questionHint')}
        value={text}
        error={error}
        required
        rows={4}
        onChange={(event) => setText(event.target.value)}
      />
      <FormMessage message={message} />
      <SubmitButton
        pending={pending}
        label={outcome === 'rejected' ? t('triage.resolution.reject') : t('triage.resolution.ask')}
        pendingLabel={t('triage.resolution.pending')}
      />
    </form>
  );
}
