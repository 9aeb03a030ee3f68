import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { Cell, StateMap } from '../../api/statistics';

/*
 * The dashboard's charts. Each draws figures as the server gave them ("<3" and "—" as given, never a
 * number guessed from them) and is hidden from assistive technology: the table after each chart says
 * the same, and the map's states are links whose accessible name carries their figure.
 */

/** Choropleth classes: none, hidden, under the threshold, then counts in four steps up to the largest. */
function classify(cell: Cell | undefined, steps: number[]): string {
  if (!cell || cell.count === 0) return 'choropleth--none';
  if (cell.suppressed === 'small') return 'choropleth--small';
  if (cell.count === null) return 'choropleth--hidden';
  const step = steps.findIndex((limit) => cell.count! <= limit);
  return `choropleth--${step === -1 ? steps.length : step + 1}`;
}

function countSteps(cells: Cell[]): number[] {
  const max = Math.max(0, ...cells.map((c) => c.count ?? 0));
  return [1, 2, 3].map((i) => Math.max(1, Math.ceil((max * i) / 4)));
}

export function ChoroplethMap({ map, cells, threshold, statePath }: { map: StateMap; cells: Cell[]; threshold: number; statePath: (code: string) => string }) {
  const { t } = useTranslation();
  const byCode = new Map(cells.map((c) => [c.key, c]));
  const steps = countSteps(cells);
  const legend: [string, string][] = [
    ['choropleth--none', t('statistics.map.none')],
    ['choropleth--small', t('statistics.map.small', { threshold })],
    ['choropleth--hidden', t('statistics.map.hidden')],
    ['choropleth--1', t('statistics.map.range', { from: threshold, to: Math.max(threshold, steps[0]!) })],
    ['choropleth--4', t('statistics.map.atLeast', { from: Math.max(threshold, steps[2]!) })],
  ];
  return (
    <figure className="choropleth">
      <svg viewBox={map.viewBox} role="group" aria-label={t('statistics.map.label')} className="choropleth__map">
        {map.states.map((state) => {
          const cell = byCode.get(state.code);
          const label = t('statistics.map.stateLink', { state: cell?.label ?? state.name, figure: cell?.display ?? '0' });
          return (
            <Link key={state.code} href={statePath(state.code)} aria-label={label} className="choropleth__state">
              <path d={state.path} className={classify(cell, steps)}>
                <title>{label}</title>
              </path>
            </Link>
          );
        })}
      </svg>
      <figcaption>
        <span className="visually-hidden">{t('statistics.map.legend')}: </span>
        <ul className="choropleth__legend">
          {legend.map(([className, text]) => (
            <li key={className}>
              <svg viewBox="0 0 10 10" aria-hidden="true" className="choropleth__swatch">
                <rect width="10" height="10" className={className} />
              </svg>
              {text}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** Monthly columns, one per month, in the server's order (oldest first). */
export function MonthlyBars({ cells }: { cells: Cell[] }) {
  const max = Math.max(1, ...cells.map((c) => c.count ?? 0));
  const width = Math.max(cells.length * 12, 120);
  return (
    <svg viewBox={`0 0 ${width} 110`} className="monthly-bars" aria-hidden="true" focusable="false">
      {cells.map((cell, i) => {
        const height = cell.count === null ? 0 : (cell.count / max) * 90;
        return (
          <g key={cell.key}>
            <rect x={i * 12 + 1} y={100 - height} width={10} height={height} className="bar" />
            {cell.count === null ? (
              <text x={i * 12 + 6} y={98} textAnchor="middle" className="bar-note">
                {cell.display}
              </text>
            ) : null}
          </g>
        );
      })}
      <line x1={0} x2={width} y1={100} y2={100} className="axis" />
    </svg>
  );
}

/** Horizontal bars for a breakdown, labelled with the figure as given. */
export function BreakdownBars({ cells }: { cells: Cell[] }) {
  const max = Math.max(1, ...cells.map((c) => c.count ?? 0));
  return (
    <div className="breakdown-bars" aria-hidden="true">
      {cells.map((cell) => (
        <div key={cell.key} className="breakdown-bars__row">
          <span className="breakdown-bars__label">{cell.label}</span>
          <span className="breakdown-bars__track">
            <span className="breakdown-bars__bar" style={{ width: `${((cell.count ?? 0) / max) * 100}%` }} />
          </span>
          <span className="breakdown-bars__figure">{cell.display}</span>
        </div>
      ))}
    </div>
  );
}

/** The accessible alternative to a chart: every row's label and figure, as given. */
export function FigureTable({ caption, keyHeading, cells, link }: { caption: string; keyHeading: string; cells: Cell[]; link?: (cell: Cell) => string }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <table className="figure-table">
        <caption>{t('statistics.table.caption', { chart: caption })}</caption>
        <thead>
          <tr>
            <th scope="col">{keyHeading}</th>
            <th scope="col">{t('statistics.table.incidents')}</th>
          </tr>
        </thead>
        <tbody>
          {cells.map((cell) => (
            <tr key={cell.key}>
              <th scope="row">{link ? <Link href={link(cell)}>{cell.label}</Link> : cell.label}</th>
              <td>{cell.display}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
