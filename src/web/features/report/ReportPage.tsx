import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { publicReportsApi, referenceApi } from '../../api/public-reports';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Checkbox, Field, FormMessage, SelectField } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { localeOf } from '../../i18n/format';
import { AttachmentList, AttachmentPicker } from './Attachments';
import { MAX_ATTACHMENTS } from './attachments';
import { Outbox } from './Outbox';
import {
  checkDraft,
  draftFromContent,
  EMPTY_DRAFT,
  isDraftEmpty,
  localToday,
  restoreDraft,
  toReportContent,
  WHAT_HAPPENED_MAX,
  WHAT_HAPPENED_MIN,
  type DraftProblem,
  type ReportDraft,
  type WhenChoice,
} from './report-form';
import { ReceiptCard, SavedReceipts, TextAreaField, useReferenceList, type ListState } from './report-ui';
import { registerOfflineSupport } from './offline';
import { useOutbox } from './use-outbox';

const IDS = {
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

/**
 * The public report form: anyone, no account, on a phone with a poor connection. The draft is kept
 * on the device as it is written; a submitted report goes into the device's send queue, which the
 * page sends when it can and whose state it always says ("saved, will be sent" or "sent").
 */
export default function ReportPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('report.title'));
  const language = i18n.resolvedLanguage ?? i18n.language;
  const outbox = useOutbox();
  const { store } = outbox;
  useEffect(registerOfflineSupport, []);

  const [draft, setDraft] = useState<ReportDraft>(EMPTY_DRAFT);
  const [draftLoaded, setDraftLoaded] = useState(false);
  const [draftNotice, setDraftNotice] = useState<string>();
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [formMessage, setFormMessage] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  /** Changed to empty the (uncontrolled) file input once its files are queued. */
  const [pickerKey, setPickerKey] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const statusRegion = useRef<HTMLDivElement>(null);

  // Restore the draft once the store is open; only then may autosave write (or it would erase it).
  useEffect(() => {
    if (!store || draftLoaded) return;
    void store.readDraft<unknown>().then((stored) => {
      const restored = restoreDraft(stored);
      if (!isDraftEmpty(restored)) {
        setDraft(restored);
        setDraftNotice(t('report.draft.restored'));
      }
      setDraftLoaded(true);
    });
  }, [store, draftLoaded, t]);

  useEffect(() => {
    if (!store || !draftLoaded) return;
    const timer = setTimeout(() => {
      void (isDraftEmpty(draft) ? store.clearDraft() : store.writeDraft(draft));
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [store, draftLoaded, draft]);

  const update = useCallback(<K extends keyof ReportDraft>(key: K, value: ReportDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
  }, []);

  const states = useReferenceList(
    useCallback((signal: AbortSignal) => referenceApi.states(language, signal).then((answer) => answer.data), [language]),
  );
  const stateCode = draft.stateCode;
  const municipalities = useReferenceList(
    useMemo(
      () =>
        stateCode === ''
          ? undefined
          : (signal: AbortSignal) => referenceApi.municipalities(stateCode, signal).then((answer) => answer.data),
      [stateCode],
    ),
  );
  const placeTypes = useReferenceList(
    useCallback(
      (signal: AbortSignal) =>
        referenceApi.vocabulary('place_types', language, signal).then((a) => a.data.terms.filter((term) => term.code !== UNKNOWN_TERM)),
      [language],
    ),
  );
  const perpetratorTypes = useReferenceList(
    useCallback(
      (signal: AbortSignal) =>
        referenceApi
          .vocabulary('perpetrator_types', language, signal)
          .then((a) => a.data.terms.filter((term) => term.code !== UNKNOWN_TERM)),
      [language],
    ),
  );
  const organizations = useReferenceList(
    useCallback((signal: AbortSignal) => publicReportsApi.intake(signal).then((answer) => answer.organizations), []),
  );
  const organizationList = organizations.status === 'loaded' ? organizations.items : [];

  const errorOf = (field: DraftProblem['field']): string | undefined => {
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

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkDraft(draft, { today: localToday(), organizationRequired: organizationList.length > 1 });
    setProblems(found);
    const first = found[0];
    if (first) {
      setFormMessage(t('report.validation'));
      form.current?.querySelector<HTMLElement>(`#${IDS[first.field]}`)?.focus();
      return;
    }
    setFormMessage(undefined);
    setSubmitting(true);
    try {
      const only = organizationList.length === 1 ? organizationList[0]?.id : undefined;
      await outbox.enqueue(toReportContent(draft, only ?? (draft.organizationId || undefined)), files.slice(0, MAX_ATTACHMENTS));
      setFiles([]);
      setPickerKey((key) => key + 1);
      await store?.clearDraft();
      setDraft(EMPTY_DRAFT);
      setDraftNotice(undefined);
      statusRegion.current?.focus();
    } finally {
      setSubmitting(false);
    }
  }

  async function clearDraft() {
    await store?.clearDraft();
    setDraft(EMPTY_DRAFT);
    setProblems([]);
    setDraftNotice(t('report.draft.cleared'));
  }

  const sendingNow = outbox.activity?.kind === 'solving' || outbox.activity?.kind === 'sending';
  const waiting = outbox.queued.filter((item) => !item.rejected);
  const status = sendingNow
    ? t('report.status.sending')
    : waiting.length > 0
      ? t('report.status.queued')
      : outbox.justSent
        ? t('report.status.sent')
        : undefined;

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
    <div className="report-page">
      <h1 id="report-heading">{t('report.heading')}</h1>
      <p>{t('report.intro')}</p>

      <div ref={statusRegion} tabIndex={-1} className="report-status" role="status">
        {status && <p className="report-status__text">{status}</p>}
      </div>
      {outbox.justSent && (
        <ReceiptCard receipt={outbox.justSent}>
          <p>
            <Link href={WEB_PAGES.reportStatus}>{t('report.receipt.check')}</Link>
          </p>
        </ReceiptCard>
      )}
      <Outbox
        outbox={outbox}
        onEdit={(item) => {
          setDraft(draftFromContent(item.content));
          void outbox.discard(item.id);
          form.current?.querySelector<HTMLElement>(`#${IDS.whatHappened}`)?.focus();
        }}
      />
      <AttachmentList attachments={outbox.attachments} />

      <aside className="warning" aria-labelledby="no-names-heading">
        <h2 id="no-names-heading">{t('report.noNames.title')}</h2>
        <p>{t('report.noNames.text')}</p>
      </aside>
      <p className="field__hint">{t('report.offlineNote')}</p>
      {store && !store.persistent && <p className="warning">{t('report.draft.notPersistent')}</p>}

      <form ref={form} className="form report-form" noValidate aria-labelledby="report-heading" onSubmit={(event) => void submit(event)}>
        <FormMessage message={formMessage} />
        <FormMessage message={draftNotice} kind="success" />

        <fieldset className="report-section">
          <legend>{t('report.what.legend')}</legend>
          <TextAreaField
            id={IDS.whatHappened}
            label={t('report.what.label')}
            hint={t('report.what.hint')}
            error={errorOf('whatHappened')}
            value={draft.whatHappened}
            onChange={(value) => update('whatHappened', value)}
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
                    setDraft((current) => ({
                      ...current,
                      whenChoice: choice,
                      // The year list starts at this year, as the select shows before any choice.
                      year: choice === 'month' && current.year === '' ? (years[0] ?? '') : current.year,
                    }))
                  }
                />
                <label htmlFor={`report-when-${choice}`}>{t(`report.when.precision.${choice}`)}</label>
              </div>
            ))}
          </div>
          {(draft.whenChoice === 'day' || draft.whenChoice === 'approximate') && (
            <Field
              id={IDS.date}
              type="date"
              label={draft.whenChoice === 'day' ? t('report.when.date') : t('report.when.approximateDate')}
              hint={draft.whenChoice === 'approximate' ? t('report.when.approximateHint') : undefined}
              max={today}
              value={draft.date}
              error={errorOf('date')}
              onChange={(event) => update('date', event.target.value)}
            />
          )}
          {draft.whenChoice === 'month' && (
            <div className="report-month">
              <SelectField
                id={IDS.month}
                label={t('report.when.month')}
                value={draft.month}
                error={errorOf('month')}
                options={[{ value: '', label: t('report.when.chooseMonth') }, ...monthNames]}
                onChange={(event) => update('month', event.target.value)}
              />
              <SelectField
                id="report-year"
                label={t('report.when.year')}
                value={draft.year}
                options={years.map((year) => ({ value: year, label: year }))}
                onChange={(event) => update('year', event.target.value)}
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
            list={states}
            toOption={(state) => ({ value: state.code, label: state.name })}
            value={draft.stateCode}
            onChange={(value) => setDraft((current) => ({ ...current, stateCode: value, municipalityCode: '' }))}
          />
          <ListSelect
            id="report-municipality"
            label={t('report.where.municipality')}
            none={t('report.where.anyMunicipality')}
            list={municipalities}
            toOption={(municipality) => ({ value: municipality.cvegeo, label: municipality.name })}
            value={draft.municipalityCode}
            onChange={(value) => update('municipalityCode', value)}
            disabledHint={draft.stateCode === '' ? t('report.where.chooseStateFirst') : undefined}
            unavailableHint={t('report.where.municipalitiesUnavailable')}
          />
          <ListSelect
            id="report-place-type"
            label={t('report.where.placeType')}
            none={t('report.where.anyPlaceType')}
            list={placeTypes}
            toOption={(term) => ({ value: term.code, label: term.label })}
            value={draft.placeType}
            onChange={(value) => update('placeType', value)}
          />
          <Field
            id="report-shelter"
            label={t('report.where.shelterName')}
            hint={t('report.where.shelterNameHint')}
            value={draft.shelterName}
            maxLength={200}
            autoComplete="off"
            onChange={(event) => update('shelterName', event.target.value)}
          />
        </fieldset>

        <fieldset className="report-section">
          <legend>{t('report.who.legend')}</legend>
          <ListSelect
            id="report-perpetrator"
            label={t('report.who.perpetratorType')}
            none={t('report.who.unknown')}
            list={perpetratorTypes}
            toOption={(term) => ({ value: term.code, label: term.label })}
            value={draft.perpetratorType}
            onChange={(value) => update('perpetratorType', value)}
          />
          <TextAreaField
            id="report-perpetrator-description"
            label={t('report.who.description')}
            hint={t('report.who.descriptionHint')}
            value={draft.perpetratorDescription}
            onChange={(value) => update('perpetratorDescription', value)}
            rows={3}
          />
        </fieldset>

        {organizationList.length > 1 && (
          <SelectField
            id={IDS.organizationId}
            label={t('report.organization.label')}
            value={draft.organizationId}
            error={errorOf('organizationId')}
            required
            options={[
              { value: '', label: t('report.organization.choose') },
              ...organizationList.map((o) => ({ value: o.id, label: o.name })),
            ]}
            onChange={(event) => update('organizationId', event.target.value)}
          />
        )}

        <fieldset className="report-section">
          <legend>{t('report.contact.legend')}</legend>
          <Field
            id={IDS.contact}
            label={t('report.contact.label')}
            hint={t('report.contact.hint')}
            value={draft.contact}
            error={errorOf('contact')}
            maxLength={500}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => update('contact', event.target.value)}
          />
          <Checkbox
            id="report-may-contact"
            label={t('report.contact.mayContact')}
            hint={t('report.contact.mayContactHint')}
            checked={draft.mayContact}
            onChange={(checked) => update('mayContact', checked)}
          />
          <Checkbox
            id="report-may-publish"
            label={t('report.contact.mayPublish')}
            hint={t('report.contact.mayPublishHint')}
            checked={draft.mayPublish}
            onChange={(checked) => update('mayPublish', checked)}
          />
        </fieldset>

        <AttachmentPicker key={pickerKey} files={files} onChange={setFiles} />

        <button type="submit" className="button button--primary" disabled={submitting || !store}>
          {submitting ? t('report.submitting') : t('report.submit')}
        </button>
      </form>

      <p className="field__hint">{t('report.draft.note')}</p>
      {!isDraftEmpty(draft) && (
        <ConfirmButton
          label={t('report.draft.clear')}
          question={t('report.draft.clearQuestion')}
          confirmLabel={t('report.draft.clearConfirm')}
          cancelLabel={t('receipt.saved.cancel')}
          onConfirm={() => void clearDraft()}
        />
      )}

      <SavedReceipts receipts={outbox.receipts} onForget={outbox.forgetReceipt} />
      <p>
        <Link href={WEB_PAGES.reportStatus}>{t('report.receipt.check')}</Link>
      </p>
    </div>
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
