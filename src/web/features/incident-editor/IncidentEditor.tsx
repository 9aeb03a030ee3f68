import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { CheckboxGroup, Field, FormMessage, SelectField, SubmitButton, useErrorText } from '../../components/form';
import type { Incident } from './api';
import { RadioGroup, TextAreaField } from './controls';
import {
  checkDraft,
  CIRCUMSTANCES,
  documentFromDraft,
  LINK_RELATIONS,
  newAct,
  newIntervention,
  newInvolvement,
  newLink,
  newSource,
  newVictim,
  type Answer,
  type DateDraft,
  type DraftProblems,
  type IncidentDraft,
  type Precision,
  type VictimKind,
} from './draft';
import { useMunicipalities, useStates, useVocabularies, type Term, type VocabularyName } from './reference';
import { problemsFromServer } from './server-problems';
import '../triage/triage.css';
import './editor.css';

const VOCABULARIES: readonly VocabularyName[] = [
  'act_types',
  'perpetrator_types',
  'involvement_degrees',
  'victim_characteristics',
  'place_types',
  'source_types',
  'source_connections',
  'source_reliability',
  'intervention_types',
  'intervention_statuses',
];
const PRECISIONS: readonly Precision[] = ['day', 'month', 'approximate'];
const VICTIM_KINDS: readonly VictimKind[] = ['organization', 'person', 'group'];
const ANSWERS: readonly Answer[] = ['yes', 'no', 'unknown'];

/** The id of the control for a field path: `acts.0.victimId` → `f-acts-0-victimId`. */
export const fieldId = (path: string) => `f-${path.replace(/\./g, '-')}`;

export type SaveOutcome = { kind: 'saved'; incident: Incident } | { kind: 'conflict'; currentVersion: number | undefined };

/**
 * The incident record as a form, section by section after HURIDOCS' formats: the event, the
 * circumstances the legal rules ask about, victims, acts, involvements, sources, interventions and
 * links. Before saving it checks what the server would refuse (each message beside its field); the
 * server's own refusals are put beside the fields they name. Sealed fields say so.
 */
export function IncidentEditor({
  initial,
  save,
  submitLabel,
  onConflictReload,
  children,
}: {
  initial: IncidentDraft;
  save: (document: ReturnType<typeof documentFromDraft>) => Promise<void>;
  submitLabel: string;
  onConflictReload?: () => void;
  /** Shown above the sections (the organization chooser, the sealed-data notice). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [draft, setDraft] = useState(initial);
  const [problems, setProblems] = useState<DraftProblems>({});
  const [message, setMessage] = useState<string>();
  const [conflict, setConflict] = useState<number | null | undefined>(undefined);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const vocabularies = useVocabularies(VOCABULARIES);

  const update = (change: (next: IncidentDraft) => void) =>
    setDraft((current) => {
      const next = structuredClone(current);
      change(next);
      return next;
    });
  const problem = (path: string) => (problems[path] ? t(`editor.problems.${problems[path]}`) : undefined);
  const focusFirst = (paths: string[]) => {
    const first = paths.map((p) => form.current?.querySelector<HTMLElement>(`#${CSS.escape(fieldId(p))}`)).find(Boolean);
    first?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = checkDraft(draft);
    setProblems(found);
    setConflict(undefined);
    if (Object.keys(found).length > 0) {
      setMessage(t('editor.checkFields', { count: Object.keys(found).length }));
      focusFirst(Object.keys(found));
      return;
    }
    setMessage(undefined);
    setPending(true);
    try {
      await save(documentFromDraft(draft));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONFLICT') {
        const details = error.details as { currentVersion?: unknown } | undefined;
        setConflict(typeof details?.currentVersion === 'number' ? details.currentVersion : null);
        setMessage(t('editor.conflict.message'));
      } else if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
        const placed = problemsFromServer(error.fieldProblems, draft);
        setProblems(placed.fields);
        setMessage(
          placed.unplaced.length > 0
            ? t('editor.serverProblems', { fields: placed.unplaced.map((p) => p.field).join(', ') })
            : t('editor.checkFields', { count: Object.keys(placed.fields).length }),
        );
        focusFirst(Object.keys(placed.fields));
      } else {
        setMessage(errorText(error));
      }
    } finally {
      setPending(false);
    }
  };

  const options = (terms: Term[] | undefined, current: string, empty = true) => {
    const list = (terms ?? []).map((term) => ({ value: term.code, label: term.label }));
    // A code no longer in the vocabulary (or not loaded yet) stays selectable, so it is not lost silently.
    if (current && !list.some((o) => o.value === current)) list.unshift({ value: current, label: current });
    return empty ? [{ value: '', label: t('editor.choose') }, ...list] : list;
  };
  const victimLabel = (index: number) => {
    const victim = draft.victims[index]!;
    const name = victim.name.trim() || t(`editor.victims.kinds.${victim.kind}`);
    return t('editor.victims.option', { number: index + 1, name });
  };
  const actLabel = (index: number) => {
    const act = draft.acts[index]!;
    const type = vocabularies.act_types?.find((term) => term.code === act.actType)?.label ?? (act.actType || t('editor.acts.untyped'));
    return t('editor.acts.option', { number: index + 1, type });
  };

  return (
    <form ref={form} className="form incident-editor" onSubmit={(event) => void submit(event)} noValidate>
      {children}
      <EventSection draft={draft} update={update} problem={problem} vocabularies={vocabularies} options={options} />

      <EditorSection title={t('editor.circumstances.heading')} hint={t('editor.circumstances.hint')}>
        {CIRCUMSTANCES.map((name) => (
          <RadioGroup
            key={name}
            id={fieldId(`circumstances.${name}`)}
            name={`circumstances-${name}`}
            legend={t(`editor.circumstances.${name}`)}
            inline
            value={draft.circumstances[name]}
            onChange={(answer) => update((d) => (d.circumstances[name] = answer))}
            options={ANSWERS.map((answer) => ({ value: answer, label: t(`editor.answers.${answer}`) }))}
          />
        ))}
      </EditorSection>

      <EditorSection title={t('editor.victims.heading')} hint={t('editor.victims.hint')}>
        {draft.victims.map((victim, i) => (
          <Part key={victim.id} legend={victimLabel(i)} onRemove={() => update((d) => d.victims.splice(i, 1))} removeLabel={t('editor.remove', { part: victimLabel(i) })}>
            <SelectField
              id={fieldId(`victims.${i}.kind`)}
              label={t('editor.victims.kind')}
              value={victim.kind}
              onChange={(e) => update((d) => (d.victims[i]!.kind = e.target.value as VictimKind))}
              options={VICTIM_KINDS.map((kind) => ({ value: kind, label: t(`editor.victims.kinds.${kind}`) }))}
            />
            <Field
              id={fieldId(`victims.${i}.name`)}
              label={t('editor.victims.name')}
              hint={<Sealed />}
              value={victim.name}
              error={problem(`victims.${i}.name`)}
              onChange={(e) => update((d) => (d.victims[i]!.name = e.target.value))}
              autoComplete="off"
            />
            <CheckboxGroup
              id={fieldId(`victims.${i}.characteristics`)}
              legend={t('editor.victims.characteristics')}
              options={options(vocabularies.victim_characteristics, '', false)}
              value={victim.characteristics}
              error={problem(`victims.${i}.characteristics`)}
              onChange={(value) => update((d) => (d.victims[i]!.characteristics = value))}
            />
            {victim.kind === 'group' && (
              <Field
                id={fieldId(`victims.${i}.count`)}
                label={t('editor.victims.count')}
                inputMode="numeric"
                value={victim.count}
                error={problem(`victims.${i}.count`)}
                onChange={(e) => update((d) => (d.victims[i]!.count = e.target.value))}
              />
            )}
            <TextAreaField
              id={fieldId(`victims.${i}.description`)}
              label={t('editor.victims.description')}
              rows={2}
              value={victim.description}
              onChange={(e) => update((d) => (d.victims[i]!.description = e.target.value))}
            />
          </Part>
        ))}
        <AddButton label={t('editor.victims.add')} onClick={() => update((d) => d.victims.push(newVictim(d)))} />
      </EditorSection>

      <EditorSection title={t('editor.acts.heading')} hint={t('editor.acts.hint')}>
        {draft.acts.map((act, i) => (
          <Part key={act.id} legend={actLabel(i)} onRemove={() => update((d) => d.acts.splice(i, 1))} removeLabel={t('editor.remove', { part: actLabel(i) })}>
            <SelectField
              id={fieldId(`acts.${i}.actType`)}
              label={t('editor.acts.actType')}
              value={act.actType}
              error={problem(`acts.${i}.actType`)}
              onChange={(e) => update((d) => (d.acts[i]!.actType = e.target.value))}
              options={options(vocabularies.act_types, act.actType)}
            />
            <SelectField
              id={fieldId(`acts.${i}.victimId`)}
              label={t('editor.acts.victim')}
              value={draft.victims.some((v) => v.id === act.victimId) ? act.victimId : ''}
              error={problem(`acts.${i}.victimId`)}
              onChange={(e) => update((d) => (d.acts[i]!.victimId = e.target.value))}
              options={[{ value: '', label: t('editor.choose') }, ...draft.victims.map((v, j) => ({ value: v.id, label: victimLabel(j) }))]}
            />
            <DateField id={fieldId(`acts.${i}.date`)} legend={t('editor.acts.date')} value={act.date} error={problem(`acts.${i}.date`)} onChange={(date) => update((d) => (d.acts[i]!.date = date))} />
            <TextAreaField id={fieldId(`acts.${i}.method`)} label={t('editor.acts.method')} rows={2} value={act.method} onChange={(e) => update((d) => (d.acts[i]!.method = e.target.value))} />
            <TextAreaField
              id={fieldId(`acts.${i}.consequences`)}
              label={t('editor.acts.consequences')}
              rows={2}
              value={act.consequences}
              onChange={(e) => update((d) => (d.acts[i]!.consequences = e.target.value))}
            />
          </Part>
        ))}
        <AddButton label={t('editor.acts.add')} onClick={() => update((d) => d.acts.push(newAct(d)))} />
      </EditorSection>

      <EditorSection title={t('editor.involvements.heading')} hint={t('editor.involvements.hint')}>
        {draft.involvements.map((involvement, i) => {
          const legend = t('editor.involvements.legend', { number: i + 1 });
          return (
            <Part key={involvement.id} legend={legend} onRemove={() => update((d) => d.involvements.splice(i, 1))} removeLabel={t('editor.remove', { part: legend })}>
              <SelectField
                id={fieldId(`involvements.${i}.actId`)}
                label={t('editor.involvements.act')}
                value={draft.acts.some((a) => a.id === involvement.actId) ? involvement.actId : ''}
                error={problem(`involvements.${i}.actId`)}
                onChange={(e) => update((d) => (d.involvements[i]!.actId = e.target.value))}
                options={[{ value: '', label: t('editor.choose') }, ...draft.acts.map((a, j) => ({ value: a.id, label: actLabel(j) }))]}
              />
              <SelectField
                id={fieldId(`involvements.${i}.perpetratorType`)}
                label={t('editor.involvements.perpetratorType')}
                value={involvement.perpetratorType}
                error={problem(`involvements.${i}.perpetratorType`)}
                onChange={(e) => update((d) => (d.involvements[i]!.perpetratorType = e.target.value))}
                options={options(vocabularies.perpetrator_types, involvement.perpetratorType)}
              />
              <SelectField
                id={fieldId(`involvements.${i}.degree`)}
                label={t('editor.involvements.degree')}
                value={involvement.degree}
                error={problem(`involvements.${i}.degree`)}
                onChange={(e) => update((d) => (d.involvements[i]!.degree = e.target.value))}
                options={options(vocabularies.involvement_degrees, involvement.degree, false)}
              />
              <TextAreaField
                id={fieldId(`involvements.${i}.unit`)}
                label={t('editor.involvements.unit')}
                hint={t('editor.involvements.unitHint')}
                rows={2}
                value={involvement.unit}
                onChange={(e) => update((d) => (d.involvements[i]!.unit = e.target.value))}
              />
            </Part>
          );
        })}
        <AddButton label={t('editor.involvements.add')} onClick={() => update((d) => d.involvements.push(newInvolvement(d)))} />
      </EditorSection>

      <EditorSection title={t('editor.sources.heading')}>
        {draft.sources.map((source, i) => {
          const legend = t('editor.sources.legend', { number: i + 1 });
          return (
            <Part key={source.id} legend={legend} onRemove={() => update((d) => d.sources.splice(i, 1))} removeLabel={t('editor.remove', { part: legend })}>
              <SelectField
                id={fieldId(`sources.${i}.sourceType`)}
                label={t('editor.sources.sourceType')}
                value={source.sourceType}
                error={problem(`sources.${i}.sourceType`)}
                onChange={(e) => update((d) => (d.sources[i]!.sourceType = e.target.value))}
                options={options(vocabularies.source_types, source.sourceType)}
              />
              <SelectField
                id={fieldId(`sources.${i}.connection`)}
                label={t('editor.sources.connection')}
                value={source.connection}
                error={problem(`sources.${i}.connection`)}
                onChange={(e) => update((d) => (d.sources[i]!.connection = e.target.value))}
                options={options(vocabularies.source_connections, source.connection, false)}
              />
              <SelectField
                id={fieldId(`sources.${i}.reliability`)}
                label={t('editor.sources.reliability')}
                value={source.reliability}
                error={problem(`sources.${i}.reliability`)}
                onChange={(e) => update((d) => (d.sources[i]!.reliability = e.target.value))}
                options={options(vocabularies.source_reliability, source.reliability, false)}
              />
              <Field id={fieldId(`sources.${i}.name`)} label={t('editor.sources.name')} hint={<Sealed />} autoComplete="off" value={source.name} onChange={(e) => update((d) => (d.sources[i]!.name = e.target.value))} />
              <Field id={fieldId(`sources.${i}.contact`)} label={t('editor.sources.contact')} hint={<Sealed />} autoComplete="off" value={source.contact} onChange={(e) => update((d) => (d.sources[i]!.contact = e.target.value))} />
              <DateField id={fieldId(`sources.${i}.date`)} legend={t('editor.sources.date')} value={source.date} error={problem(`sources.${i}.date`)} onChange={(date) => update((d) => (d.sources[i]!.date = date))} />
              <TextAreaField id={fieldId(`sources.${i}.description`)} label={t('editor.sources.description')} rows={2} value={source.description} onChange={(e) => update((d) => (d.sources[i]!.description = e.target.value))} />
            </Part>
          );
        })}
        <AddButton label={t('editor.sources.add')} onClick={() => update((d) => d.sources.push(newSource(d)))} />
      </EditorSection>

      <EditorSection title={t('editor.interventions.heading')}>
        {draft.interventions.map((intervention, i) => {
          const legend = t('editor.interventions.legend', { number: i + 1 });
          return (
            <Part key={intervention.id} legend={legend} onRemove={() => update((d) => d.interventions.splice(i, 1))} removeLabel={t('editor.remove', { part: legend })}>
              <SelectField
                id={fieldId(`interventions.${i}.interventionType`)}
                label={t('editor.interventions.interventionType')}
                value={intervention.interventionType}
                error={problem(`interventions.${i}.interventionType`)}
                onChange={(e) => update((d) => (d.interventions[i]!.interventionType = e.target.value))}
                options={options(vocabularies.intervention_types, intervention.interventionType)}
              />
              <SelectField
                id={fieldId(`interventions.${i}.status`)}
                label={t('editor.interventions.status')}
                value={intervention.status}
                error={problem(`interventions.${i}.status`)}
                onChange={(e) => update((d) => (d.interventions[i]!.status = e.target.value))}
                options={options(vocabularies.intervention_statuses, intervention.status, false)}
              />
              <DateField id={fieldId(`interventions.${i}.date`)} legend={t('editor.interventions.date')} value={intervention.date} error={problem(`interventions.${i}.date`)} onChange={(date) => update((d) => (d.interventions[i]!.date = date))} />
              <Field id={fieldId(`interventions.${i}.addressedTo`)} label={t('editor.interventions.addressedTo')} value={intervention.addressedTo} onChange={(e) => update((d) => (d.interventions[i]!.addressedTo = e.target.value))} />
              <Field id={fieldId(`interventions.${i}.reference`)} label={t('editor.interventions.reference')} value={intervention.reference} onChange={(e) => update((d) => (d.interventions[i]!.reference = e.target.value))} />
              <TextAreaField id={fieldId(`interventions.${i}.description`)} label={t('editor.interventions.description')} rows={2} value={intervention.description} onChange={(e) => update((d) => (d.interventions[i]!.description = e.target.value))} />
            </Part>
          );
        })}
        <AddButton label={t('editor.interventions.add')} onClick={() => update((d) => d.interventions.push(newIntervention(d)))} />
      </EditorSection>

      <EditorSection title={t('editor.links.heading')} hint={t('editor.links.hint')}>
        {draft.links.map((link, i) => {
          const legend = t('editor.links.legend', { number: i + 1 });
          return (
            <Part key={link.key} legend={legend} onRemove={() => update((d) => d.links.splice(i, 1))} removeLabel={t('editor.remove', { part: legend })}>
              <Field
                id={fieldId(`links.${i}.incidentId`)}
                label={t('editor.links.incidentId')}
                spellCheck={false}
                value={link.incidentId}
                error={problem(`links.${i}.incidentId`)}
                onChange={(e) => update((d) => (d.links[i]!.incidentId = e.target.value))}
              />
              <SelectField
                id={fieldId(`links.${i}.relation`)}
                label={t('editor.links.relation')}
                value={link.relation}
                onChange={(e) => update((d) => (d.links[i]!.relation = e.target.value as (typeof LINK_RELATIONS)[number]))}
                options={LINK_RELATIONS.map((relation) => ({ value: relation, label: t(`editor.links.relations.${relation}`) }))}
              />
            </Part>
          );
        })}
        <AddButton label={t('editor.links.add')} onClick={() => update((d) => d.links.push(newLink(d)))} />
      </EditorSection>

      <div className="editor-save">
        <FormMessage message={message} />
        {conflict !== undefined && onConflictReload && (
          <div className="form-message form-message--error">
            <p>{conflict ? t('editor.conflict.version', { version: conflict }) : t('editor.conflict.noVersion')}</p>
            <button type="button" className="button" onClick={onConflictReload}>
              {t('editor.conflict.reload')}
            </button>
          </div>
        )}
        <SubmitButton pending={pending} label={submitLabel} pendingLabel={t('editor.saving')} />
      </div>
    </form>
  );
}

type ProblemOf = (path: string) => string | undefined;
type Options = (terms: Term[] | undefined, current: string, empty?: boolean) => Array<{ value: string; label: string }>;

function EventSection({
  draft,
  update,
  problem,
  vocabularies,
  options,
}: {
  draft: IncidentDraft;
  update: (change: (next: IncidentDraft) => void) => void;
  problem: ProblemOf;
  vocabularies: ReturnType<typeof useVocabularies>;
  options: Options;
}) {
  const { t } = useTranslation();
  const states = useStates();
  const municipalities = useMunicipalities(draft.stateCode);
  const stateOptions = [{ value: '', label: t('editor.choose') }, ...(states ?? []).map((s) => ({ value: s.code, label: s.name }))];
  if (draft.stateCode && !states?.some((s) => s.code === draft.stateCode)) stateOptions.push({ value: draft.stateCode, label: draft.stateCode });
  const municipalityOptions = [{ value: '', label: t('editor.event.municipalityUnknown') }, ...(municipalities ?? []).map((m) => ({ value: m.cvegeo, label: m.name }))];
  if (draft.municipalityCode && !municipalities?.some((m) => m.cvegeo === draft.municipalityCode)) {
    municipalityOptions.push({ value: draft.municipalityCode, label: draft.municipalityCode });
  }
  return (
    <EditorSection title={t('editor.event.heading')}>
      <Field id={fieldId('title')} label={t('editor.event.title')} required value={draft.title} error={problem('title')} onChange={(e) => update((d) => (d.title = e.target.value))} />
      <TextAreaField
        id={fieldId('narrative')}
        label={t('editor.event.narrative')}
        hint={t('editor.event.narrativeHint')}
        rows={8}
        value={draft.narrative}
        error={problem('narrative')}
        onChange={(e) => update((d) => (d.narrative = e.target.value))}
      />
      <SelectField
        id={fieldId('narrativeLanguage')}
        label={t('editor.event.narrativeLanguage')}
        value={draft.narrativeLanguage}
        onChange={(e) => update((d) => (d.narrativeLanguage = e.target.value as 'es' | 'en'))}
        options={[
          { value: 'es', label: t('language.names.es') },
          { value: 'en', label: t('language.names.en') },
        ]}
      />
      <DateField id={fieldId('startDate')} legend={t('editor.event.startDate')} required value={draft.startDate} error={problem('startDate')} onChange={(date) => update((d) => (d.startDate = date))} />
      <DateField id={fieldId('endDate')} legend={t('editor.event.endDate')} value={draft.endDate} error={problem('endDate')} onChange={(date) => update((d) => (d.endDate = date))} />
      <SelectField
        id={fieldId('place.stateCode')}
        label={t('editor.event.state')}
        required
        value={draft.stateCode}
        error={problem('place.stateCode')}
        onChange={(e) =>
          update((d) => {
            d.stateCode = e.target.value;
            if (!d.municipalityCode.startsWith(d.stateCode)) d.municipalityCode = '';
          })
        }
        options={stateOptions}
      />
      <SelectField
        id={fieldId('place.municipalityCode')}
        label={t('editor.event.municipality')}
        disabled={!draft.stateCode}
        value={draft.municipalityCode}
        error={problem('place.municipalityCode')}
        onChange={(e) => update((d) => (d.municipalityCode = e.target.value))}
        options={municipalityOptions}
      />
      <SelectField
        id={fieldId('place.placeType')}
        label={t('editor.event.placeType')}
        value={draft.placeType}
        error={problem('place.placeType')}
        onChange={(e) => update((d) => (d.placeType = e.target.value))}
        options={options(vocabularies.place_types, draft.placeType)}
      />
      <fieldset className="field coordinates" aria-describedby={`${fieldId('place.coordinates')}-hint${problem('place.coordinates') ? ` ${fieldId('place.coordinates')}-error` : ''}`}>
        <legend>{t('editor.event.coordinates')}</legend>
        <p id={`${fieldId('place.coordinates')}-hint`} className="field__hint sealed-warning">
          {t('editor.event.coordinatesWarning')}
        </p>
        <div className="coordinates__pair">
          <Field id={fieldId('place.coordinates')} label={t('editor.event.lat')} inputMode="decimal" value={draft.lat} onChange={(e) => update((d) => (d.lat = e.target.value))} />
          <Field id={`${fieldId('place.coordinates')}-lon`} label={t('editor.event.lon')} inputMode="decimal" value={draft.lon} onChange={(e) => update((d) => (d.lon = e.target.value))} />
        </div>
        {problem('place.coordinates') && (
          <p id={`${fieldId('place.coordinates')}-error`} className="field__error">
            {problem('place.coordinates')}
          </p>
        )}
      </fieldset>
    </EditorSection>
  );
}

function EditorSection({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="editor-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {hint && <p className="field__hint">{hint}</p>}
      {children}
    </section>
  );
}

function Part({ legend, removeLabel, onRemove, children }: { legend: string; removeLabel: string; onRemove: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <fieldset className="editor-part">
      <legend>{legend}</legend>
      {children}
      <button type="button" className="button button--small" aria-label={removeLabel} onClick={onRemove}>
        {t('editor.removeShort')}
      </button>
    </fieldset>
  );
}

function AddButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="button" onClick={onClick}>
      {label}
    </button>
  );
}

/** Says that a field is sealed: stored encrypted, readable only by the organization, and its reading recorded. */
function Sealed() {
  const { t } = useTranslation();
  return <span className="sealed-mark">{t('editor.sealed')}</span>;
}

/** A date with its precision (day, month, approximate): a date input and a select under one legend. */
function DateField({
  id,
  legend,
  value,
  error,
  required = false,
  onChange,
}: {
  id: string;
  legend: string;
  value: DateDraft;
  error?: string;
  required?: boolean;
  onChange: (value: DateDraft) => void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className={`field date-field${error ? ' field--invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="date-field__pair">
        <Field id={id} label={t('editor.date.date')} type="date" required={required} value={value.date} onChange={(e) => onChange({ ...value, date: e.target.value })} />
        <SelectField
          id={`${id}-precision`}
          label={t('editor.date.precision')}
          value={value.precision}
          onChange={(e) => onChange({ ...value, precision: e.target.value as Precision })}
          options={PRECISIONS.map((p) => ({ value: p, label: t(`editor.date.precisions.${p}`) }))}
        />
      </div>
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
