import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../api/client';
import { incidentsApi, type IncidentPage, type IncidentQuery, type IncidentSummary } from '../../api/incidents';
import { FormMessage, useErrorText } from '../../components/form';
import { ResourceView, useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useFormat } from '../../i18n/format';
import { StatusBadge } from './IncidentActions';
import { useFuzzyDate, usePlaces, useVocabularies } from './labels';
import { incidentPath } from './paths';

/** Rows the reader can tick (the search page drafts an alert from them); each box is named by its incident. */
export interface IncidentSelection {
  selected: ReadonlySet<string>;
  toggle: (id: string, checked: boolean) => void;
  columnLabel: string;
  boxLabel: (incident: IncidentSummary) => string;
}

/**
 * A list of incidents from the search API, with "load more" by cursor. `filter` can hide rows the page
 * knows are not for this reader (the review queue keeps those they may verify); `selection` adds a
 * checkbox to each row.
 */
export function IncidentResults({
  query,
  caption,
  empty,
  filter,
  selection,
}: {
  query: IncidentQuery;
  caption: string;
  empty: string;
  filter?: (incident: IncidentSummary) => boolean;
  selection?: IncidentSelection | undefined;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  const key = JSON.stringify(query);
  const results = useResource(
    // The key stands for the query, so a new object with the same filters does not search again.
    useCallback((signal: AbortSignal) => incidentsApi.search(JSON.parse(key) as IncidentQuery, undefined, signal), [key]),
  );
  const [more, setMore] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const count = useRef<HTMLParagraphElement>(null);

  async function loadMore(page: IncidentPage) {
    if (!page.nextCursor) return;
    setMore({ busy: true });
    try {
      const next = await incidentsApi.search(query, page.nextCursor);
      results.set({ data: [...page.data, ...next.data], nextCursor: next.nextCursor });
      setMore({ busy: false });
      if (!next.nextCursor) count.current?.focus();
    } catch (error) {
      setMore({ busy: false, error: errorText(error) });
    }
  }

  if (results.resource.status === 'failed' && results.resource.error instanceof ApiError && results.resource.error.code === 'NOT_FOUND') {
    return <p>{t('incidents.search.unavailable')}</p>;
  }
  return (
    <ResourceView resource={results.resource}>
      {(page) => {
        const rows = filter ? page.data.filter(filter) : page.data;
        return (
          <>
            <p ref={count} tabIndex={-1} role="status" className="results-count">
              {rows.length === 0
                ? empty
                : t(page.nextCursor ? 'incidents.search.shown' : 'incidents.search.shownAll', { number: format.number(rows.length) })}
            </p>
            {rows.length > 0 && <ResultsTable caption={caption} rows={rows} selection={selection} />}
            <FormMessage message={more.error} />
            {page.nextCursor && (
              <button type="button" className="button" disabled={more.busy} onClick={() => void loadMore(page)}>
                {more.busy ? t('incidents.search.loadingMore') : t('incidents.search.loadMore')}
              </button>
            )}
          </>
        );
      }}
    </ResourceView>
  );
}

function ResultsTable({ caption, rows, selection }: { caption: string; rows: IncidentSummary[]; selection: IncidentSelection | undefined }) {
  const { t } = useTranslation();
  const fuzzyDate = useFuzzyDate();
  const { label } = useVocabularies(['act_types', 'perpetrator_types']);
  const places = usePlaces(rows.map((r) => r.stateCode));
  return (
    <DataTable
      id="incident-results"
      caption={caption}
      columns={[
        ...(selection ? [selection.columnLabel] : []),
        t('incidents.search.columns.incident'),
        t('incidents.search.columns.date'),
        t('incidents.search.columns.place'),
        t('incidents.search.columns.acts'),
        t('incidents.search.columns.status'),
      ]}
    >
      {rows.map((row) => (
        <tr key={row.id}>
          {selection && (
            <td>
              <input
                type="checkbox"
                id={`select-${row.id}`}
                aria-label={selection.boxLabel(row)}
                checked={selection.selected.has(row.id)}
                onChange={(event) => selection.toggle(row.id, event.target.checked)}
              />
            </td>
          )}
          <th scope="row">
            <Link href={incidentPath(row.id)}>{row.title}</Link>
            <span className="result-reference">
              {row.reference}
              {row.hasEvidence && ` · ${t('incidents.search.withEvidence')}`}
            </span>
          </th>
          <td>{fuzzyDate({ date: row.startDate, precision: row.datePrecision })}</td>
          <td>
            {[row.municipalityCode ? places.municipalityName(row.municipalityCode) : null, places.stateName(row.stateCode)]
              .filter(Boolean)
              .join(', ')}
          </td>
          <td>
            {row.actTypes.map((code) => label('act_types', code)).join(', ')}
            {row.perpetratorTypes.length > 0 && (
              <span className="result-perpetrators">{row.perpetratorTypes.map((code) => label('perpetrator_types', code)).join(', ')}</span>
            )}
          </td>
          <td>
            <StatusBadge status={row.status} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
