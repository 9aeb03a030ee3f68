import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { ApiError } from '../../api/client';
import { publicReportsApi, type ReportStatusAnswer } from '../../api/public-reports';
import { Field, FormMessage } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { SavedReceipts, TextAreaField, useReportErrorText } from './report-ui';
import { registerOfflineSupport } from './offline';
import { useOutbox } from './use-outbox';

const ADDITION_MAX = 10_000;

/**
 * A reporter follows a report with its receipt: code and secret typed in (or picked from the receipts
 * kept on this phone), the status in words, the documenter's question when there is one, and a form
 * to add information. The secret only ever travels in a request body, never in the address.
 */
export default function ReceiptPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('receipt.title'));
  const errorText = useReportErrorText();
  // Also sends whatever is still queued on this device: a reporter who comes back here is online.
  const outbox = useOutbox();
  useEffect(registerOfflineSupport, []);

  const [code, setCode] = useState('');
  const [secret, setSecret] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ code?: string; secret?: string }>({});
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);
  const [answer, setAnswer] = useState<{ report: ReportStatusAnswer; secret: string }>();
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);

  async function check(receiptCode: string, receiptSecret: string) {
    setPending(true);
    setMessage(undefined);
    try {
      const report = await publicReportsApi.status(receiptCode, receiptSecret);
      setAnswer({ report, secret: receiptSecret });
      // Focus after the result renders, so a screen reader starts reading there.
      setTimeout(() => resultHeading.current?.focus(), 0);
    } catch (error) {
      setAnswer(undefined);
      setMessage(error instanceof ApiError && error.code === 'NOT_FOUND' ? t('receipt.notFound') : errorText(error));
    } finally {
      setPending(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const receiptCode = code.trim().toUpperCase();
    const receiptSecret = secret.trim();
    const errors = {
      ...(receiptCode === '' ? { code: t('receipt.required') } : {}),
      ...(receiptSecret === '' ? { secret: t('receipt.required') } : {}),
    };
    setFieldErrors(errors);
    if (errors.code || errors.secret) {
      form.current?.querySelector<HTMLElement>(errors.code ? '#receipt-code-input' : '#receipt-secret-input')?.focus();
      return;
    }
    void check(receiptCode, receiptSecret);
  }

  return (
    <div className="report-page">
      <h1>{t('receipt.heading')}</h1>
      <p>{t('receipt.intro')}</p>
      <form ref={form} className="form" noValidate aria-label={t('receipt.heading')} onSubmit={submit}>
        <FormMessage message={message} />
        <Field
          id="receipt-code-input"
          label={t('receipt.code')}
          hint={t('receipt.codeHint')}
          value={code}
          error={fieldErrors.code}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          onChange={(event) => setCode(event.target.value)}
        />
        <Field
          id="receipt-secret-input"
          label={t('receipt.secret')}
          hint={t('receipt.secretHint')}
          value={secret}
          error={fieldErrors.secret}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={100}
          onChange={(event) => setSecret(event.target.value)}
        />
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? t('receipt.submitting') : t('receipt.submit')}
        </button>
      </form>

      {answer && (
        <StatusView
          key={answer.report.receiptCode}
          report={answer.report}
          secret={answer.secret}
          headingRef={resultHeading}
          onAdded={(at) =>
            setAnswer((current) =>
              current && { ...current, report: { ...current.report, additions: [...current.report.additions, { at }] } },
            )
          }
        />
      )}

      <SavedReceipts
        receipts={outbox.receipts}
        onForget={async (forgotten) => {
          await outbox.forgetReceipt(forgotten);
          if (answer?.report.receiptCode === forgotten) setAnswer(undefined);
        }}
        onCheck={(receipt) => {
          setCode(receipt.receiptCode);
          setSecret('');
          setFieldErrors({});
          void check(receipt.receiptCode, receipt.secret);
        }}
      />
      <p>
        <Link href={WEB_PAGES.report}>{t('receipt.newReport')}</Link>
      </p>
    </div>
  );
}

function StatusView({
  report,
  secret,
  headingRef,
  onAdded,
}: {
  report: ReportStatusAnswer;
  secret: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onAdded: (at: string) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useReportErrorText();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [done, setDone] = useState<string>();
  const [pending, setPending] = useState(false);
  const date = (iso: string) => format.dateTime(new Date(iso));

  async function add(event: FormEvent) {
    event.preventDefault();
    const trimmed = text.trim();
    if (trimmed === '') return setError(t('receipt.required'));
    if ([...trimmed].length > ADDITION_MAX) return setError(t('receipt.add.tooLong', { max: ADDITION_MAX }));
    setError(undefined);
    setMessage(undefined);
    setPending(true);
    try {
      const { at } = await publicReportsApi.addInformation(report.receiptCode, secret, trimmed);
      setText('');
      setDone(t('receipt.add.sent', { time: date(at) }));
      onAdded(at);
    } catch (failure) {
      setMessage(errorText(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="panel report-result" aria-labelledby="report-result-heading">
      <h2 id="report-result-heading" ref={headingRef} tabIndex={-1}>
        {t('receipt.result.heading', { code: report.receiptCode })}
      </h2>
      <dl className="facts">
        <dt>{t('receipt.result.status')}</dt>
        <dd>{t(`receipt.result.statuses.${report.status}`)}</dd>
        <dt>{t('receipt.result.submittedAt')}</dt>
        <dd>{date(report.submittedAt)}</dd>
        <dt>{t('receipt.result.updatedAt')}</dt>
        <dd>{date(report.updatedAt)}</dd>
        <dt>{t('receipt.result.additions')}</dt>
        <dd>
          {report.additions.length === 0
            ? t('receipt.result.additionsNone')
            : report.additions.map((addition) => date(addition.at)).join(' · ')}
        </dd>
      </dl>
      {report.status === 'needs_information' && report.question && (
        <div className="report-question">
          <h3>{t('receipt.result.question')}</h3>
          <blockquote>
            <p>{report.question}</p>
          </blockquote>
        </div>
      )}
      <form className="form" noValidate aria-labelledby="report-add-heading" onSubmit={(event) => void add(event)}>
        <h3 id="report-add-heading">{t('receipt.add.heading')}</h3>
        <FormMessage message={message} />
        <FormMessage message={done} kind="success" />
        <TextAreaField
          id="report-addition"
          label={t('receipt.add.label')}
          hint={t('receipt.add.hint')}
          error={error}
          value={text}
          onChange={setText}
          rows={4}
          required
        />
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? t('receipt.add.submitting') : t('receipt.add.submit')}
        </button>
      </form>
    </section>
  );
}
