import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import type { CurrentSession } from '../../api/auth';
import { ApiError } from '../../api/client';
import { memberReportsApi } from '../../api/member-reports';
import { CheckboxGroup, Field, FormMessage, SelectField } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { RequireSession } from '../../session/RequireSession';
import { initialUpload, runUpload, type UploadState } from '../evidence/chunked-upload';
import { AttachmentList, AttachmentPicker } from './Attachments';
import { attachmentProgress, MAX_ATTACHMENTS, memberAttachmentTransport, type AttachmentProgress } from './attachments';
import {
  checkMemberDraft,
  COUNT_LIMITS,
  EMPTY_MEMBER_DRAFT,
  isMemberDraftEmpty,
  restoreMemberDraft,
  toMemberReportBody,
  type MemberDraftProblem,
  type MemberReportDraft,
} from './member-report-form';
import { newIdempotencyKey, newReceiptSecret } from './queue';
import { localToday } from './report-form';
import { ClearDraftButton, ContactFieldset, DraftFields, REPORT_FIELD_IDS, ReportFieldsets, useDraftProblemText, useReportLists, useStoredDraft, useVocabularyList } from './ReportFields';
import { ReceiptCard, useReportErrorText } from './report-ui';
import { openReportStore, type ReportStore } from './store';

const MEMBER_CODEC = { empty: EMPTY_MEMBER_DRAFT, restore: restoreMemberDraft, isEmpty: isMemberDraftEmpty };
const FIELD_IDS = { ...REPORT_FIELD_IDS, peopleAffected: 'report-people-affected', agentsCount: 'report-agents-count' } as const;

/** A report just filed: its receipt, and the files going with it. */
interface Filed {
  reportId: string;
  organizationName: string;
  receipt: { receiptCode: string; secret: string };
  files: Array<{ file: File; state: UploadState }>;
}

/**
 * A member's report, filed as themselves into an organization they belong to (any member may file; the
 * server decides): the public report's fields plus what a shelter's staff can say with confidence, and
 * files sent after it as the member. The draft is kept on this device under the member's own key while
 * it is written; the confirmation gives the receipt, as for anyone.
 */
export default function MemberReportPage() {
  return <RequireSession>{(session) => <MemberReport session={session} />}</RequireSession>;
}

function MemberReport({ session }: { session: CurrentSession }) {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('report.member.title'));
  const language = i18n.resolvedLanguage ?? i18n.language;
  const errorText = useReportErrorText();
  const organizations = session.memberships.filter((m) => m.roles.length > 0).map((m) => m.organization);

  const [store, setStore] = useState<ReportStore>();
  useEffect(() => {
    let cancelled = false;
    void openReportStore().then((opened) => !cancelled && setStore(opened));
    return () => {
      cancelled = true;
    };
  }, []);
  const { draft, setDraft, notice, clear, ready } = useStoredDraft(store, `member:${session.user.id}`, MEMBER_CODEC);
  const change = useCallback((changes: Partial<MemberReportDraft>) => setDraft((current) => ({ ...current, ...changes })), [setDraft]);
  // The organization chosen, else the member's first (preselected when they have only one).
  const organization = organizations.find((o) => o.id === draft.organizationId) ?? organizations[0];

  const lists = useReportLists(language, draft.stateCode);
  const actTypes = useVocabularyList('act_types', language);
  const victimCharacteristics = useVocabularyList('victim_characteristics', language);

  const [problems, setProblems] = useState<MemberDraftProblem[]>([]);
  const baseProblemText = useDraftProblemText(problems.filter((p) => p.problem !== 'notACount') as Parameters<typeof useDraftProblemText>[0]);
  const countError = (field: keyof typeof COUNT_LIMITS) =>
    problems.some((p) => p.field === field) ? t('report.member.notACount', { max: COUNT_LIMITS[field] }) : undefined;
  const [formMessage, setFormMessage] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [filed, setFiled] = useState<Filed>();
  const [sendingFiles, setSendingFiles] = useState(false);
  // One key and secret per report: a retry after a lost answer gets the same receipt, never a second report.
  const attempt = useRef<{ key: string; secret: string }>(undefined);
  const form = useRef<HTMLFormElement>(null);

  async function sendFiles(current: Filed) {
    setSendingFiles(true);
    let shown = current;
    for (const [index, item] of current.files.entries()) {
      if (item.state.phase === 'complete' || item.state.phase === 'refused') continue;
      await runUpload(item.file, memberAttachmentTransport(current.reportId, item.file.name), item.state, (state) => {
        shown = { ...shown, files: shown.files.map((f, i) => (i === index ? { ...f, state } : f)) };
        setFiled(shown);
      });
    }
    setSendingFiles(false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!organization) return;
    const found = checkMemberDraft({ ...draft, organizationId: organization.id }, { today: localToday() });
    setProblems(found);
    const first = found[0];
    if (first) {
      setFormMessage(t('report.validation'));
      form.current?.querySelector<HTMLElement>(`#${FIELD_IDS[first.field]}`)?.focus();
      return;
    }
    setFormMessage(undefined);
    setSubmitting(true);
    attempt.current ??= { key: newIdempotencyKey(), secret: newReceiptSecret() };
    const { key, secret } = attempt.current;
    try {
      const answer = await memberReportsApi.file(organization.id, key, toMemberReportBody(draft, secret));
      attempt.current = undefined;
      const done: Filed = {
        reportId: answer.id,
        organizationName: organization.name,
        receipt: { receiptCode: answer.receiptCode, secret: answer.secret ?? secret },
        files: files.slice(0, MAX_ATTACHMENTS).map((file) => ({ file, state: initialUpload(file.size) })),
      };
      setFiled(done);
      setFiles([]);
      await clear();
      change({ organizationId: organization.id });
      void sendFiles(done);
    } catch (error) {
      // Refused as it is, nothing was filed: the corrected report is a new one. Otherwise the answer may
      // have been lost after filing, and the same key must go again.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 409) attempt.current = undefined;
      setFormMessage(errorText(error));
    } finally {
      setSubmitting(false);
    }
  }

  // The receipt takes the focus once shown, as a page load would.
  const filedId = filed?.reportId;
  useEffect(() => {
    if (filedId) document.getElementById('receipt-card-heading')?.focus();
  }, [filedId]);

  if (!organization) {
    return (
      <>
        <h1>{t('report.member.heading')}</h1>
        <p>{t('report.member.noOrganization')}</p>
      </>
    );
  }

  if (filed) {
    const progress: AttachmentProgress[] = filed.files.map((f, i) => attachmentProgress(String(i), f.file.size, f.state));
    const failed = filed.files.some((f) => f.state.phase === 'failed');
    return (
      <div className="report-page">
        <h1>{t('report.member.heading')}</h1>
        <p role="status">{t('report.member.filed', { organization: filed.organizationName })}</p>
        <ReceiptCard receipt={filed.receipt}>
          <p>
            <Link href={WEB_PAGES.reportStatus}>{t('report.receipt.check')}</Link>
          </p>
        </ReceiptCard>
        <AttachmentList attachments={progress} failedKey="report.member.attachmentFailed" />
        {failed && !sendingFiles && (
          <button type="button" className="button" onClick={() => void sendFiles(filed)}>
            {t('report.member.retryFiles')}
          </button>
        )}
        <p>
          <button type="button" className="button button--primary" disabled={sendingFiles} onClick={() => setFiled(undefined)}>
            {t('report.receipt.another')}
          </button>
        </p>
      </div>
    );
  }

  return (
    <div className="report-page">
      <h1 id="member-report-heading">{t('report.member.heading')}</h1>
      <p>{t('report.member.intro')}</p>
      <aside className="warning" aria-labelledby="no-names-heading">
        <h2 id="no-names-heading">{t('report.noNames.title')}</h2>
        <p>{t('report.member.noNames')}</p>
      </aside>
      {store && !store.persistent && <p className="warning">{t('report.draft.notPersistent')}</p>}

      <form ref={form} className="form report-form" noValidate aria-labelledby="member-report-heading" onSubmit={(event) => void submit(event)}>
        <FormMessage message={formMessage} />
        <FormMessage message={notice} kind="success" />

        <DraftFields ready={ready}>
          <SelectField
            id={FIELD_IDS.organizationId}
            label={t('report.member.organization')}
            hint={t('report.member.organizationHint')}
            value={organization.id}
            required
            options={organizations.map((o) => ({ value: o.id, label: o.name }))}
            onChange={(event) => change({ organizationId: event.target.value })}
          />

          <ReportFieldsets
            draft={draft}
            change={change}
            errorOf={baseProblemText}
            lists={lists}
            whoExtra={
              <CountField field="agentsCount" value={draft.agentsCount} error={countError('agentsCount')} onChange={(value) => change({ agentsCount: value })} />
            }
          />

          <fieldset className="report-section">
            <legend>{t('report.member.actsAndVictims')}</legend>
            <CheckboxGroup
              id="report-act-types"
              legend={t('report.member.actTypes')}
              options={actTypes.status === 'loaded' ? actTypes.items.map((term) => ({ value: term.code, label: term.label })) : []}
              value={draft.actTypes}
              onChange={(value) => change({ actTypes: value })}
            />
            <CheckboxGroup
              id="report-victim-characteristics"
              legend={t('report.member.victimCharacteristics')}
              options={
                victimCharacteristics.status === 'loaded' ? victimCharacteristics.items.map((term) => ({ value: term.code, label: term.label })) : []
              }
              value={draft.victimCharacteristics}
              onChange={(value) => change({ victimCharacteristics: value })}
            />
            <CountField
              field="peopleAffected"
              value={draft.peopleAffected}
              error={countError('peopleAffected')}
              onChange={(value) => change({ peopleAffected: value })}
            />
          </fieldset>

          <ContactFieldset draft={draft} change={change} errorOf={baseProblemText} />

          <AttachmentPicker files={files} onChange={setFiles} />

          <button type="submit" className="button button--primary" disabled={submitting}>
            {submitting ? t('report.submitting') : t('report.member.submit')}
          </button>
        </DraftFields>
      </form>

      <p className="field__hint">{t('report.member.draftNote')}</p>
      {!isMemberDraftEmpty(draft) && (
        <ClearDraftButton
          onConfirm={() => {
            setProblems([]);
            void clear(t('report.draft.cleared')).then(() => change({ organizationId: organization.id }));
          }}
        />
      )}
    </div>
  );
}

/** A whole number the member may give or leave empty, within the server's bounds. */
function CountField({
  field,
  value,
  error,
  onChange,
}: {
  field: keyof typeof COUNT_LIMITS;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Field
      id={FIELD_IDS[field]}
      type="number"
      inputMode="numeric"
      min={1}
      max={COUNT_LIMITS[field]}
      label={t(`report.member.${field}`)}
      hint={t(`report.member.${field}Hint`)}
      value={value}
      error={error}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
