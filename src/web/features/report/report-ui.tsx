import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormMessage } from '../../components/form';
import { useFormat } from '../../i18n/format';
import type { StoredReceipt } from './store';
import './report.css';

/*
 * Pieces the two public reporting pages share. They use only the reporting strings, so that these
 * pages never need the (larger) people-and-access catalogue.
 */

/** A failed request in the reader's language, with the reporting pages' own strings. */
export function useReportErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError)) return t('report.errors.unexpected');
      if (error.code === 'NETWORK') return t('report.errors.network');
      if (error.code === 'RATE_LIMITED') return t('report.errors.rateLimited');
      if (error.code === 'VALIDATION_FAILED') return t('report.errors.validation');
      return error.requestId ? t('report.errors.unexpectedWithId', { requestId: error.requestId }) : t('report.errors.unexpected');
    },
    [t],
  );
}

export type ListState<T> = { status: 'loading' } | { status: 'unavailable' } | { status: 'loaded'; items: T[] };

/** A reference list for a select; "unavailable" (offline, or the server failed) leaves the select usable. */
export function useReferenceList<T>(load: ((signal: AbortSignal) => Promise<T[]>) | undefined): ListState<T> {
  const [state, setState] = useState<ListState<T>>({ status: 'loading' });
  useEffect(() => {
    if (!load) {
      setState({ status: 'loaded', items: [] });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (items) => !controller.signal.aborted && setState({ status: 'loaded', items }),
      () => !controller.signal.aborted && setState({ status: 'unavailable' }),
    );
    return () => controller.abort();
  }, [load]);
  return state;
}

/** A textarea laid out like the shared `Field`, with its hint and error tied to it. */
export function TextAreaField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  rows = 4,
  required,
  maxLength,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  required?: boolean;
  maxLength?: number;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        rows={rows}
        value={value}
        required={required}
        maxLength={maxLength}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A value to copy by hand or with a button (code, secret), with the outcome announced. */
export function CopyValue({ id, label, value, copyLabel }: { id: string; label: string; value: string; copyLabel: string }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<string>();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setMessage(t('report.receipt.copied'));
    } catch {
      setMessage(t('report.receipt.copyFailed'));
    }
  }
  return (
    <div className="copy-value">
      <p className="copy-value__label" id={`${id}-label`}>
        {label}
      </p>
      <p className="copy-value__value">
        <code id={id}>{value}</code>
      </p>
      <button type="button" className="button" onClick={() => void copy()}>
        {copyLabel}
      </button>
      <p className="copy-value__message" role="status">
        {message}
      </p>
    </div>
  );
}

/** The receipt of a report just sent: code and secret, copy buttons, and why to keep them safe. */
export function ReceiptCard({ receipt, children }: { receipt: { receiptCode: string; secret: string }; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="panel receipt-card" aria-labelledby="receipt-card-heading">
      <h2 id="receipt-card-heading" tabIndex={-1}>
        {t('report.receipt.heading')}
      </h2>
      <p>{t('report.receipt.intro')}</p>
      <CopyValue id="receipt-code" label={t('report.receipt.code')} value={receipt.receiptCode} copyLabel={t('report.receipt.copyCode')} />
      <CopyValue id="receipt-secret" label={t('report.receipt.secret')} value={receipt.secret} copyLabel={t('report.receipt.copySecret')} />
      <p className="warning">{t('report.receipt.warning')}</p>
      {children}
    </section>
  );
}

/** "My receipts on this phone": the receipts kept here, to check one or forget it. */
export function SavedReceipts({
  receipts,
  onForget,
  onCheck,
  headingLevel = 2,
}: {
  receipts: StoredReceipt[];
  onForget: (code: string) => Promise<void>;
  onCheck?: (receipt: StoredReceipt) => void;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [message, setMessage] = useState<string>();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="panel saved-receipts" aria-labelledby="saved-receipts-heading">
      <Heading id="saved-receipts-heading">{t('receipt.saved.heading')}</Heading>
      <p>{t('receipt.saved.intro')}</p>
      <FormMessage message={message} kind="success" />
      {receipts.length === 0 ? (
        <p>{t('receipt.saved.empty')}</p>
      ) : (
        <ul className="plain-list saved-receipts__list">
          {receipts.map((receipt) => (
            <li key={receipt.receiptCode}>
              <p>
                <code>{receipt.receiptCode}</code>
                <br />
                {t('receipt.saved.sentOn', { time: format.dateTime(new Date(receipt.submittedAt)) })}
              </p>
              <div className="saved-receipts__actions">
                {onCheck && (
                  <button
                    type="button"
                    className="button"
                    aria-label={t('receipt.saved.checkNamed', { code: receipt.receiptCode })}
                    onClick={() => onCheck(receipt)}
                  >
                    {t('receipt.saved.check')}
                  </button>
                )}
                <ConfirmButton
                  label={t('receipt.saved.forget')}
                  accessibleLabel={t('receipt.saved.forgetNamed', { code: receipt.receiptCode })}
                  question={t('receipt.saved.forgetQuestion')}
                  confirmLabel={t('receipt.saved.forgetConfirm')}
                  cancelLabel={t('receipt.saved.cancel')}
                  onConfirm={() =>
                    void onForget(receipt.receiptCode).then(() =>
                      setMessage(t('receipt.saved.forgotten', { code: receipt.receiptCode })),
                    )
                  }
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
