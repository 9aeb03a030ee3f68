import { useRef, useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import exampleMappingUrl from '../../../../docs/import-mapping.example.json?url';
import { problemsCsv } from '../../../domain/csv';
import { WEB_PAGES } from '../../../domain/web-routes';
import { ApiError } from '../../api/client';
import { ImportInterrupted, importsApi, type ImportProgress, type ImportReport } from '../../api/imports';
import { Checkbox, Field, FormMessage, useFormState, type FieldErrors } from '../../components/form';
import { DataTable } from '../../components/table';
import { useFormat } from '../../i18n/format';
import { useBytes } from '../incidents/labels';
import { mappingProblems, readMapping } from './import-files';
import { saveFile } from './save-file';

const FIELDS = { csv: 'import-csv', mapping: 'import-mapping' };
/** Problems listed in the page; the CSV download has them all. */
const SHOWN_PROBLEMS = 500;

/** Where an import is: nothing yet, running (with the latest progress, if any came), done, or failed. */
type ImportRun =
  | { stage: 'idle' }
  | { stage: 'running'; dryRun: boolean; progress: ImportProgress | null }
  | { stage: 'done'; dryRun: boolean; skipInvalid: boolean; report: ImportReport }
  | { stage: 'failed'; dryRun: boolean };

/**
 * A CSV and its mapping, checked and imported by the server, which streams its progress: the bar
 * follows the rows as they are checked, then as they are imported; then the counts and every problem
 * by row and column, which can be downloaded as CSV.
 */
export function ImportForm({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const bytes = useBytes();
  const form = useFormState(FIELDS);
  const [csvFile, setCsvFile] = useState<File>();
  const [mappingFile, setMappingFile] = useState<File>();
  const [dryRun, setDryRun] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [run, setRun] = useState<ImportRun>({ stage: 'idle' });
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const running = run.stage === 'running';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!csvFile) errors.csv = t('importExport.import.required.csv');
    else if (csvFile.size === 0) errors.csv = t('importExport.import.csvEmpty');
    const mapping = mappingFile ? readMapping(await mappingFile.text()) : undefined;
    if (!mapping) errors.mapping = t('importExport.import.required.mapping');
    else if (!mapping.ok && mapping.problem === 'notJson') errors.mapping = t('importExport.import.mappingNotJson', { reason: mapping.reason });
    else if (!mapping.ok) errors.mapping = t('importExport.import.mappingNotObject');
    if (!form.validate(errors, t('errors.validation')) || !csvFile || !mapping?.ok) return;

    const options = { dryRun, skipInvalid };
    setRun({ stage: 'running', dryRun, progress: null });
    try {
      const report = await importsApi.run(organizationId, { csv: await csvFile.text(), mapping: mapping.mapping, ...options }, (progress) =>
        setRun({ stage: 'running', dryRun, progress }),
      );
      setRun({ stage: 'done', ...options, report });
      window.requestAnimationFrame(() => resultHeading.current?.focus());
    } catch (error) {
      setRun({ stage: 'failed', dryRun });
      showFailure(error);
    }
  }

  /** Puts a refusal next to the file it is about when it is about one; otherwise says it for the form. */
  function showFailure(error: unknown) {
    if (error instanceof ImportInterrupted) {
      form.setMessage(t('importExport.import.interrupted'));
      return;
    }
    const errors: FieldErrors = {};
    if (error instanceof ApiError && error.code === 'PAYLOAD_TOO_LARGE') {
      const limit = (error.details as { limitBytes?: unknown } | undefined)?.limitBytes;
      errors.csv = typeof limit === 'number' ? t('importExport.import.tooLarge', { limit: bytes(limit) }) : t('importExport.import.tooLargeUnknown');
    } else if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      const mapping = mappingProblems(error.fieldProblems);
      if (mapping.length > 0) errors.mapping = t('importExport.import.mappingRejected', { problems: mapping.join('; ') });
      const csv = error.fieldProblems.find((p) => p.field === 'csv');
      if (csv) errors.csv = t('importExport.import.csvInvalid', { reason: error.message });
    }
    if (Object.keys(errors).length > 0) form.validate(errors, t('errors.validation'));
    else form.fail(error);
  }

  return (
    <form ref={form.form} className="form import-export__section" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="import-heading">
      <h2 id="import-heading">{t('importExport.import.heading')}</h2>
      <p>{t('importExport.import.intro')}</p>
      <p>
        <a href={exampleMappingUrl} download="import-mapping.example.json">
          {t('importExport.import.example')}
        </a>
      </p>
      <FormMessage message={form.message} />
      <Field
        id={FIELDS.csv}
        type="file"
        accept=".csv,text/csv"
        label={t('importExport.import.csv')}
        hint={t('importExport.import.csvHint')}
        error={form.fieldErrors.csv}
        disabled={running}
        onChange={(event) => setCsvFile(event.target.files?.[0])}
      />
      <Field
        id={FIELDS.mapping}
        type="file"
        accept=".json,application/json"
        label={t('importExport.import.mapping')}
        hint={t('importExport.import.mappingHint')}
        error={form.fieldErrors.mapping}
        disabled={running}
        onChange={(event) => setMappingFile(event.target.files?.[0])}
      />
      <Checkbox id="import-dry-run" label={t('importExport.import.dryRun')} hint={t('importExport.import.dryRunHint')} checked={dryRun} disabled={running} onChange={setDryRun} />
      <Checkbox
        id="import-skip-invalid"
        label={t('importExport.import.skipInvalid')}
        hint={t('importExport.import.skipInvalidHint')}
        checked={skipInvalid}
        disabled={running}
        onChange={setSkipInvalid}
      />
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={running}>
          {running ? t(run.dryRun ? 'importExport.import.checking' : 'importExport.import.importing') : t(dryRun ? 'importExport.import.check' : 'importExport.import.submit')}
        </button>
      </div>
      <ImportProgressBar run={run} />
      {run.stage === 'done' && <ImportResult ref={resultHeading} run={run} />}
    </form>
  );
}

/**
 * The progress bar and its live region. The region stays in the page and changes only with the phase
 * (sending, checking, importing, finished), so a screen reader hears each step once, not every count;
 * the count is the bar's description, read when the reader goes to it.
 */
function ImportProgressBar({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  const format = useFormat();
  const view = progressView(run);
  return (
    <div className="import-progress">
      <p role="status" className="import-progress__phase">
        {view ? t(`importExport.import.progress.${view.phase}`) : ''}
      </p>
      {view && (
        <>
          <label htmlFor="import-progress">{t('importExport.import.progress.label')}</label>
          <progress id="import-progress" max={view.max} value={view.value} aria-describedby="import-progress-count" />
          <p id="import-progress-count" className="import-progress__count">
            {view.count && t(`importExport.import.progress.${view.count.key}`, { done: format.number(view.count.done), total: format.number(view.count.total ?? 0) })}
          </p>
        </>
      )}
    </div>
  );
}

type PhaseName = 'sending' | 'validating' | 'importing' | 'checked' | 'finished' | 'failed';

/** What the bar shows: no value while the total is unknown (an indeterminate bar), full once done. */
function progressView(run: ImportRun):
  | { phase: PhaseName; max: number | undefined; value: number | undefined; count?: { key: 'rowsChecked' | 'rowsCheckedOf' | 'rowsImported'; done: number; total: number | null } }
  | undefined {
  if (run.stage === 'idle') return undefined;
  if (run.stage === 'failed') return { phase: 'failed', max: undefined, value: undefined };
  if (run.stage === 'done') {
    const { report } = run;
    return run.dryRun || report.imported === 0
      ? { phase: 'checked', max: 1, value: 1, count: { key: 'rowsCheckedOf', done: report.total, total: report.total } }
      : { phase: 'finished', max: 1, value: 1, count: { key: 'rowsImported', done: report.imported, total: report.valid } };
  }
  const { progress } = run;
  if (!progress) return { phase: 'sending', max: undefined, value: undefined };
  const known = progress.total !== null && progress.total > 0;
  const count =
    progress.phase === 'importing'
      ? ({ key: 'rowsImported', done: progress.done, total: progress.total } as const)
      : ({ key: progress.total === null ? 'rowsChecked' : 'rowsCheckedOf', done: progress.done, total: progress.total } as const);
  return { phase: progress.phase, max: known ? (progress.total ?? 1) : undefined, value: known ? progress.done : undefined, count };
}

/** The counts, what they mean for this run, and every problem by row and column. */
function ImportResult({ run, ref }: { run: Extract<ImportRun, { stage: 'done' }>; ref: Ref<HTMLHeadingElement> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { report } = run;
  const n = (value: number) => format.number(value);
  const summary = run.dryRun
    ? t('importExport.import.result.dryRun')
    : report.imported > 0 && report.invalid > 0
      ? t('importExport.import.result.someSkipped', { imported: n(report.imported), invalid: n(report.invalid) })
      : report.imported > 0
        ? t('importExport.import.result.allImported', { imported: n(report.imported) })
        : report.valid === 0
          ? t('importExport.import.result.noneValid')
          : t('importExport.import.result.refused', { invalid: n(report.invalid) });
  const shown = report.problems.slice(0, SHOWN_PROBLEMS);
  return (
    <section className="import-result" aria-labelledby="import-result-heading">
      <h3 id="import-result-heading" ref={ref} tabIndex={-1}>
        {t('importExport.import.result.heading')}
      </h3>
      <p>{summary}</p>
      <dl className="facts">
        <dt>{t('importExport.import.result.total')}</dt>
        <dd>{n(report.total)}</dd>
        <dt>{t('importExport.import.result.valid')}</dt>
        <dd>{n(report.valid)}</dd>
        <dt>{t('importExport.import.result.invalid')}</dt>
        <dd>{n(report.invalid)}</dd>
        <dt>{t('importExport.import.result.imported')}</dt>
        <dd>{n(report.imported)}</dd>
      </dl>
      {report.imported > 0 && (
        <p>
          <Link href={WEB_PAGES.incidentSearch}>{t('importExport.import.result.search')}</Link>
        </p>
      )}
      {report.problems.length > 0 && (
        <>
          <p>{t('importExport.import.result.problemsNote')}</p>
          {shown.length < report.problems.length && (
            <p>{t('importExport.import.result.firstProblems', { shown: n(shown.length), total: n(report.problems.length) })}</p>
          )}
          <DataTable
            id="import-problems"
            caption={t('importExport.import.result.problems')}
            columns={[t('importExport.import.result.row'), t('importExport.import.result.column'), t('importExport.import.result.problem')]}
          >
            {shown.map((problem, index) => (
              <tr key={index}>
                <td>{n(problem.row)}</td>
                <td>{problem.column || t('importExport.import.result.wholeRow')}</td>
                <td>{problem.problem}</td>
              </tr>
            ))}
          </DataTable>
          <div className="button-row">
            <button
              type="button"
              className="button"
              onClick={() => saveFile(new Blob([problemsCsv(report.problems)], { type: 'text/csv;charset=utf-8' }), t('importExport.import.result.filename'))}
            >
              {t('importExport.import.result.download')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
