import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPORT_FORMATS, importsApi, type ExportFormat } from '../../api/imports';
import { Checkbox, FormMessage, SelectField, useFormState } from '../../components/form';
import { saveFile } from './save-file';

/**
 * Downloads the organization's incidents as CSV, JSON or HURIDOCS ESF. Redacted unless the person asks
 * otherwise, and the choice is offered only to those who may read the sealed fields; the server audits
 * the export before it sends a byte. The file is fetched, not followed as a link, so that a refusal or an
 * expired session is said in the page instead of being saved as a file.
 */
export function ExportForm({ organizationId, mayUnredact }: { organizationId: string; mayUnredact: boolean }) {
  const { t } = useTranslation();
  const form = useFormState({});
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [redacted, setRedacted] = useState(true);
  const [done, setDone] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    void form.submit(async () => {
      const file = await importsApi.exportIncidents(organizationId, format, redacted || !mayUnredact);
      saveFile(file.blob, file.filename);
      setDone(t('importExport.export.done', { filename: file.filename }));
    });
  }

  return (
    <form ref={form.form} className="form import-export__section" noValidate onSubmit={submit} aria-labelledby="export-heading">
      <h2 id="export-heading">{t('importExport.export.heading')}</h2>
      <p>{t('importExport.export.intro')}</p>
      <FormMessage message={form.message} />
      <FormMessage message={done} kind="success" />
      <SelectField
        id="export-format"
        label={t('importExport.export.format')}
        value={format}
        onChange={(event) => setFormat(event.target.value as ExportFormat)}
        options={EXPORT_FORMATS.map((value) => ({ value, label: t(`importExport.export.formats.${value}`) }))}
      />
      {mayUnredact ? (
        <Checkbox
          id="export-redacted"
          label={t('importExport.export.redacted')}
          hint={t('importExport.export.redactedHint')}
          checked={redacted}
          onChange={setRedacted}
        />
      ) : (
        <p>{t('importExport.export.redactedOnly')}</p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={form.pending}>
          {form.pending ? t('importExport.export.pending') : t('importExport.export.submit')}
        </button>
      </div>
    </form>
  );
}
