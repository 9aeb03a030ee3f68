import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { ATTACHMENT_ACCEPT, MAX_ATTACHMENTS, type AttachmentProgress } from './attachments';

/** The optional file input of the report form, with the warning about the location photos carry. */
export function AttachmentPicker({ files, onChange }: { files: readonly File[]; onChange: (files: File[]) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="fieldset">
      <legend>{t('report.attachments.legend')}</legend>
      <p className="warning" id="report-attachments-warning">
        {t('report.attachments.locationWarning')}
      </p>
      <div className="field">
        <label htmlFor="report-attachments">{t('report.attachments.label')}</label>
        <p className="field__hint" id="report-attachments-hint">
          {t('report.attachments.hint', { max: MAX_ATTACHMENTS })}
        </p>
        <input
          id="report-attachments"
          type="file"
          multiple
          accept={ATTACHMENT_ACCEPT}
          aria-describedby="report-attachments-hint report-attachments-warning"
          onChange={(event) => onChange([...(event.target.files ?? [])])}
        />
        {files.length > 0 && <p className="field__hint">{t('report.attachments.selected', { count: files.length })}</p>}
        {files.length > MAX_ATTACHMENTS && <p className="warning">{t('report.attachments.tooMany', { max: MAX_ATTACHMENTS })}</p>}
      </div>
    </fieldset>
  );
}

/**
 * How far each file sent with a report has got. `failedKey` says what a broken upload means on the page
 * (the public queue tries again by itself; a member's page offers a button).
 */
export function AttachmentList({
  attachments,
  failedKey = 'report.attachments.failed',
}: {
  attachments: readonly AttachmentProgress[];
  failedKey?: 'report.attachments.failed' | 'report.member.attachmentFailed';
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (attachments.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">{t('report.attachments.heading')}</h2>
      <ul className="plain-list">
        {attachments.map((item, index) => {
          const share = item.size === 0 ? 1 : item.offset / item.size;
          const percent = format.number(share, { style: 'percent' });
          return (
            <li key={item.id} className="attachment-progress" data-phase={item.phase}>
              <span role="status">
                {item.phase === 'failed' ? t(failedKey, { n: index + 1, percent }) : t(`report.attachments.${item.phase}`, { n: index + 1, percent })}
              </span>{' '}
              {(item.phase === 'sending' || item.phase === 'failed') && <progress max={1} value={share} aria-label={percent} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
