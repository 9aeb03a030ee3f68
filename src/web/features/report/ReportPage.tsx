import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { publicReportsApi } from '../../api/public-reports';
import { FormMessage, SelectField } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
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
  type DraftProblem,
  type ReportDraft,
} from './report-form';
import { ClearDraftButton, ContactFieldset, DraftFields, REPORT_FIELD_IDS, ReportFieldsets, useDraftProblemText, useReportLists, useStoredDraft } from './ReportFields';
import { ReceiptCard, SavedReceipts, useReferenceList } from './report-ui';
import { registerOfflineSupport } from './offline';
import { useOutbox } from './use-outbox';

const DRAFT_CODEC = { empty: EMPTY_DRAFT, restore: restoreDraft, isEmpty: isDraftEmpty };

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

  const { draft, setDraft, notice: draftNotice, setNotice: setDraftNotice, clear, ready } = useStoredDraft(store, undefined, DRAFT_CODEC);
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [formMessage, setFormMessage] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  /** Changed to empty the (uncontrolled) file input once its files are queued. */
  const [pickerKey, setPickerKey] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const statusRegion = useRef<HTMLDivElement>(null);

  const change = useCallback((changes: Partial<ReportDraft>) => setDraft((current) => ({ ...current, ...changes })), [setDraft]);
  const lists = useReportLists(language, draft.stateCode);
  const organizations = useReferenceList(
    useCallback((signal: AbortSignal) => publicReportsApi.intake(signal).then((answer) => answer.organizations), []),
  );
  const organizationList = organizations.status === 'loaded' ? organizations.items : [];
  const errorOf = useDraftProblemText(problems);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkDraft(draft, { today: localToday(), organizationRequired: organizationList.length > 1 });
    setProblems(found);
    const first = found[0];
    if (first) {
      setFormMessage(t('report.validation'));
      form.current?.querySelector<HTMLElement>(`#${REPORT_FIELD_IDS[first.field]}`)?.focus();
      return;
    }
    setFormMessage(undefined);
    setSubmitting(true);
    try {
      const only = organizationList.length === 1 ? organizationList[0]?.id : undefined;
      await outbox.enqueue(toReportContent(draft, only ?? (draft.organizationId || undefined)), files.slice(0, MAX_ATTACHMENTS));
      setFiles([]);
      setPickerKey((key) => key + 1);
      await clear();
      statusRegion.current?.focus();
    } finally {
      setSubmitting(false);
    }
  }

  async function clearDraft() {
    await clear(t('report.draft.cleared'));
    setProblems([]);
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
          form.current?.querySelector<HTMLElement>(`#${REPORT_FIELD_IDS.whatHappened}`)?.focus();
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

        <DraftFields ready={ready}>
          <ReportFieldsets draft={draft} change={change} errorOf={errorOf} lists={lists} />

          {organizationList.length > 1 && (
            <SelectField
              id={REPORT_FIELD_IDS.organizationId}
              label={t('report.organization.label')}
              value={draft.organizationId}
              error={errorOf('organizationId')}
              required
              options={[
                { value: '', label: t('report.organization.choose') },
                ...organizationList.map((o) => ({ value: o.id, label: o.name })),
              ]}
              onChange={(event) => change({ organizationId: event.target.value })}
            />
          )}

          <ContactFieldset draft={draft} change={change} errorOf={errorOf} />

          <AttachmentPicker key={pickerKey} files={files} onChange={setFiles} />

          <button type="submit" className="button button--primary" disabled={submitting}>
            {submitting ? t('report.submitting') : t('report.submit')}
          </button>
        </DraftFields>
      </form>

      <p className="field__hint">{t('report.draft.note')}</p>
      {!isDraftEmpty(draft) && <ClearDraftButton onConfirm={() => void clearDraft()} />}

      <SavedReceipts receipts={outbox.receipts} onForget={outbox.forgetReceipt} />
      <p>
        <Link href={WEB_PAGES.reportStatus}>{t('report.receipt.check')}</Link>
      </p>
    </div>
  );
}
