import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { referenceApi, type ReferenceMunicipality, type ReferenceState, type ReferenceTerm } from '../../api/public-reports';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Checkbox, Field, SelectField } from '../../components/form';
import { localeOf } from '../../i18n/format';
import { localToday, WHAT_HAPPENED_MAX, WHAT_HAPPENED_MIN, type DraftProblem, type ReportDraft, type WhenChoice } from './report-form';
import { TextAreaField, useReferenceList, type ListState } from './report-ui';
import type { ReportStore } from './store';

/*
 * The fields the public report and a member's report share (what, when, where, who, contact and
 * consent), the reference lists behind them, the text of their problems, and the draft kept on the
 * device while they are filled in. Each page adds its own parts around them.
 */

/** The ids of the fields a problem can point to (focused on a failed submit). */
export const REPORT_FIELD_IDS = {
  whatHappened: 'report-what',
  date: 'report-date',
  month: 'report-month',
  organizationId: 'report-organization',
  contact: 'report-contact',
} as const satisfies Record<DraftProblem['field'], string>;

const WHEN_CHOICES: WhenChoice[] = ['day', 'month', 'approximate', 'unknown'];
// Terms that mean "unknown": the form's own "I do not know" answers them (and sends null).
const UNKNOWN_TERM = 'UNKNOWN';
const AUTOSAVE_DELAY_MS = 400;

export interface ReportLists {
  states: ListState<ReferenceState>;
  municipalities: ListState<ReferenceMunicipality>;
  placeTypes: ListState<ReferenceTerm>;
  perpetratorTypes: ListState<ReferenceTerm>;
}

/** A controlled vocabulary in the reader's language, without its "unknown" term. */
export function useVocabularyList(name: Parameters<typeof referenceApi.vocabulary>[0], language: string): ListState<ReferenceTerm> {
  return useReferenceList(
    useCallback(
      (signal: AbortSignal) => referenceApi.vocabulary(name, language, signal).then((a) => a.data.terms.filter((term) => term.code !== UNKNOWN_TERM)),
      [name, language],
    ),
  );
}

/** The lists the shared fields choose from; municipalities of the state chosen. */
export function useReportLists(language: string, stateCode: string): ReportLists {
  const states = useReferenceList(
    useCallback((signal: AbortSignal) => referenceApi.states(language, signal).then((answer) => answer.data), [language]),
  );
  const municipalities = useReferenceList(
    useMemo(
      () =>
        stateCode === ''
          ? undefined
          : (signal: AbortSignal) => referenceApi.municipalities(stateCode, signal).then((answer) => answer.data),
      [stateCode],
    ),
  );
  return {
    states,
    municipalities,
    placeTypes: useVocabularyList('place_types', language),
    perpetratorTypes: useVocabularyList('perpetrator_types', language),
  };
}

/** What to say beside a field for the problems `checkDraft` found. */
export function useDraftProblemText(problems: readonly DraftProblem[]): (field: DraftProblem['field']) => string | undefined {
  const { t } = useTranslation();
  return (field) => {
    const found = problems.find((p) => p.field === field);
    if (!found) return undefined;
    switch (found.problem) {
      case 'required':
        if (field === 'whatHappened') return t('receipt.required');
        return field === 'organizationId' ? t('report.organization.required') : t('report.when.required');
      case 'tooShort':
        return t('report.what.tooShort', { min: WHAT_HAPPENED_MIN });
      case 'tooLong':
        return t('report.what.tooLong', { max: WHAT_HAPPENED_MAX });
      case 'future':
        return t('report.when.future');
      case 'mayContactNeedsContact':
        return t('report.contact.mayContactNeedsContact');
    }
  };
}

/**
 * A draft kept in the device's report store under `key` while it is written: restored once the store is
 * open (only then may autosave write, or it would erase it), written shortly after each change, and
 * deleted when emptied. `ready` is false until then: the form's fields wait for it (see `DraftFields`),
 * or what was typed first would be replaced by the restored draft.
 */
export function useStoredDraft<D>(
  store: ReportStore | undefined,
  key: string | undefined,
  codec: { empty: D; restore: (stored: unknown) => D; isEmpty: (draft: D) => boolean },
) {
  const { t } = useTranslation();
  const { empty, restore, isEmpty } = codec;
  const [draft, setDraft] = useState<D>(empty);
  const [loaded, setLoaded] = useState(false);
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    if (!store || loaded) return;
    void store.readDraft<unknown>(key).then(
      (stored) => {
        const restored = restore(stored);
        if (!isEmpty(restored)) {
          setDraft(restored);
          setNotice(t('report.draft.restored'));
        }
        setLoaded(true);
      },
      // Nothing could be read back (a browser's storage failing); the form must still be usable.
      () => setLoaded(true),
    );
  }, [store, key, loaded, restore, isEmpty, t]);

  useEffect(() => {
    if (!store || !loaded) return;
    const timer = setTimeout(() => {
      void (isEmpty(draft) ? store.clearDraft(key) : store.writeDraft(draft, key));
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [store, key, loaded, draft, isEmpty]);

  /** Forgets the draft here and on the device (after sending, or when the writer asks). */
  const clear = useCallback(
    async (message?: string) => {
      await store?.clearDraft(key);
      setDraft(empty);
      setNotice(message);
    },
    [store, key, empty],
  );

  return { draft, setDraft, notice, setNotice, clear, ready: loaded };
}

/**
 * A report form's fields, disabled (and said to be busy) until the draft kept on this device has been
 * restored: on a slow phone opening the store takes a moment, and nothing typed may be lost to it.
 */
export function DraftFields({ ready, children }: { ready: boolean; children: ReactNode }) {
  return (
    <fieldset className="draft-fields" disabled={!ready} aria-busy={ready ? undefined : true}>
      {children}
    </fieldset>
  );
}

/** Asks before forgetting everything written in the form, here and on the device. */
export function ClearDraftButton({ onConfirm }: { onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmButton
      label={t('report.draft.clear')}
      question={t('report.draft.clearQuestion')}
      confirmLabel={t('report.draft.clearConfirm')}
      cancelLabel={t('receipt.saved.cancel')}
      onConfirm={onConfirm}
    />
  );
}

/**
 * What happened, when, where and by whom: the fieldsets both report forms open with. `whoExtra` adds
 * fields to the "who" fieldset.
 */
export function ReportFieldsets({
  draft,
  change,
  errorOf,
  lists,
  whoExtra,
}: {
  draft: ReportDraft;
  change: (changes: Partial<ReportDraft>) => void;
  errorOf: (field: DraftProblem['field']) => string | undefined;
  lists: ReportLists;
  whoExtra?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const today = localToday();
  const years = useMemo(() => {
    const current = Number(today.slice(0, 4));
    return Array.from({ length: 10 }, (_, i) => String(current - i));
  }, [today]);
  const monthNames = useMemo(() => {
    const formatter = new Intl.DateTimeFormat(localeOf(language), { month: 'long', timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, i) => ({
      value: String(i + 1).padStart(2, '0'),
      label: formatter.format(new Date(Date.UTC(2000, i, 1))),
    }));
  }, [language]);

  return (
    <>
      <fieldset className="report-section">
        <legend>{t('report.what.legend')}</legend>
        <TextAreaField
          id={REPORT_FIELD_IDS.whatHappened}
          label={t('report.what.label')}
          hint={t('report.what.hint')}
          error={errorOf('whatHappened')}
          value={draft.whatHappened}
          onChange={(value) => change({ whatHappened: value })}
          rows={6}
          required
        />
      </fieldset>

      <fieldset className="report-section">
        <legend>{t('report.when.legend')}</legend>
        <div className="radio-group">
          {WHEN_CHOICES.map((choice) => (
            <div className="radio" key={choice}>
              <input
                type="radio"
                id={`report-when-${choice}`}
                name="report-when"
                value={choice}
                checked={draft.whenChoice === choice}
                onChange={() =>
                  change({
                    whenChoice: choice,
                    // The year list starts at this year, as the select shows before any choice.
                    year: choice === 'month' && draft.year === '' ? (years[0] ?? '') : draft.year,
                  })
                }
              />
              <label htmlFor={`report-when-${choice}`}>{t(`report.when.precision.${choice}`)}</label>
            </div>
          ))}
        </div>
        {(draft.whenChoice === 'day' || draft.whenChoice === 'approximate') && (
          <Field
            id={REPORT_FIELD_IDS.date}
            type="date"
            label={draft.whenChoice === 'day' ? t('report.when.date') : t('report.when.approximateDate')}
            hint={draft.whenChoice === 'approximate' ? t('report.when.approximateHint') : undefined}
            max={today}
            value={draft.date}
            error={errorOf('date')}
            onChange={(event) => change({ date: event.target.value })}
          />
        )}
        {draft.whenChoice === 'month' && (
          <div className="report-month">
            <SelectField
              id={REPORT_FIELD_IDS.month}
              label={t('report.when.month')}
              value={draft.month}
              error={errorOf('month')}
              options={[{ value: '', label: t('report.when.chooseMonth') }, ...monthNames]}
              onChange={(event) => change({ month: event.target.value })}
            />
            <SelectField
              id="report-year"
              label={t('report.when.year')}
              value={draft.year}
              options={years.map((year) => ({ value: year, label: year }))}
              onChange={(event) => change({ year: event.target.value })}
            />
          </div>
        )}
      </fieldset>

      <fieldset className="report-section">
        <legend>{t('report.where.legend')}</legend>
        <ListSelect
          id="report-state"
          label={t('report.where.state')}
          none={t('report.where.anyState')}
          list={lists.states}
          toOption={(state) => ({ value: state.code, label: state.name })}
          value={draft.stateCode}
          onChange={(value) => change({ stateCode: value, municipalityCode: '' })}
        />
        <ListSelect
          id="report-municipality"
          label={t('report.where.municipality')}
          none={t('report.where.anyMunicipality')}
          list={lists.municipalities}
          toOption={(municipality) => ({ value: municipality.cvegeo, label: municipality.name })}
          value={draft.municipalityCode}
          onChange={(value) => change({ municipalityCode: value })}
          disabledHint={draft.stateCode === '' ? t('report.where.chooseStateFirst') : undefined}
          unavailableHint={t('report.where.municipalitiesUnavailable')}
        />
        <ListSelect
          id="report-place-type"
          label={t('report.where.placeType')}
          none={t('report.where.anyPlaceType')}
          list={lists.placeTypes}
          toOption={(term) => ({ value: term.code, label: term.label })}
          value={draft.placeType}
          onChange={(value) => change({ placeType: value })}
        />
        <Field
          id="report-shelter"
          label={t('report.where.shelterName')}
          hint={t('report.where.shelterNameHint')}
          value={draft.shelterName}
          maxLength={200}
          autoComplete="off"
          onChange={(event) => change({ shelterName: event.target.value })}
        />
      </fieldset>

      <fieldset className="report-section">
        <legend>{t('report.who.legend')}</legend>
        <ListSelect
          id="report-perpetrator"
          label={t('report.who.perpetratorType')}
          none={t('report.who.unknown')}
          list={lists.perpetratorTypes}
          toOption={(term) => ({ value: term.code, label: term.label })}
          value={draft.perpetratorType}
          onChange={(value) => change({ perpetratorType: value })}
        />
        <TextAreaField
          id="report-perpetrator-description"
          label={t('report.who.description')}
          hint={t('report.who.descriptionHint')}
          value={draft.perpetratorDescription}
          onChange={(value) => change({ perpetratorDescription: value })}
          rows={3}
        />
        {whoExtra}
      </fieldset>
    </>
  );
}

/** A contact, and whether it may be used and the report published. */
export function ContactFieldset({
  draft,
  change,
  errorOf,
}: {
  draft: ReportDraft;
  change: (changes: Partial<ReportDraft>) => void;
  errorOf: (field: DraftProblem['field']) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="report-section">
      <legend>{t('report.contact.legend')}</legend>
      <Field
        id={REPORT_FIELD_IDS.contact}
        label={t('report.contact.label')}
        hint={t('report.contact.hint')}
        value={draft.contact}
        error={errorOf('contact')}
        maxLength={500}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => change({ contact: event.target.value })}
      />
      <Checkbox
        id="report-may-contact"
        label={t('report.contact.mayContact')}
        hint={t('report.contact.mayContactHint')}
        checked={draft.mayContact}
        onChange={(checked) => change({ mayContact: checked })}
      />
      <Checkbox
        id="report-may-publish"
        label={t('report.contact.mayPublish')}
        hint={t('report.contact.mayPublishHint')}
        checked={draft.mayPublish}
        onChange={(checked) => change({ mayPublish: checked })}
      />
    </fieldset>
  );
}

/**
 * A select over a reference list, with a first "I do not know" option; while the list cannot be had
 * (offline on a first visit) the select keeps only that option and says why.
 */
function ListSelect<T>({
  id,
  label,
  none,
  list,
  toOption,
  value,
  onChange,
  disabledHint,
  unavailableHint,
}: {
  id: string;
  label: string;
  none: string;
  list: ListState<T>;
  toOption: (item: T) => { value: string; label: string };
  value: string;
  onChange: (value: string) => void;
  disabledHint?: string | undefined;
  unavailableHint?: string;
}) {
  const { t } = useTranslation();
  const options = list.status === 'loaded' ? list.items.map(toOption) : [];
  // Keep a value restored from a draft visible even before (or without) its list.
  if (value !== '' && !options.some((option) => option.value === value)) options.unshift({ value, label: value });
  const hint = disabledHint ?? (list.status === 'unavailable' ? (unavailableHint ?? t('report.where.listsUnavailable')) : undefined);
  return (
    <SelectField
      id={id}
      label={label}
      hint={hint}
      value={value}
      disabled={disabledHint !== undefined}
      options={[{ value: '', label: none }, ...options]}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
