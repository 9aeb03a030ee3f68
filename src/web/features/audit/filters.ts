import type { AuditFilters } from '../../api/organizations';

/*
 * The audit viewer's filters live in the page's query string, so that a filtered view can be
 * reloaded, bookmarked and sent to a colleague. Dates are days (YYYY-MM-DD) in the reader's time zone,
 * both included; the API takes instants, `to` excluded.
 */

export interface FilterValues {
  action: string;
  actorId: string;
  from: string;
  to: string;
}

const PARAMS: Record<keyof FilterValues, string> = { action: 'accion', actorId: 'actor', from: 'desde', to: 'hasta' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filtersFromSearch(search: string): FilterValues {
  const query = new URLSearchParams(search);
  const read = (key: keyof FilterValues) => query.get(PARAMS[key])?.trim() ?? '';
  return { action: read('action'), actorId: read('actorId'), from: read('from'), to: read('to') };
}

export function searchFromFilters(values: FilterValues): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(PARAMS) as Array<keyof FilterValues>) {
    const value = values[key].trim();
    if (value) query.set(PARAMS[key], value);
  }
  return query.toString();
}

/** The API's filters for the values; a value that is not well formed is left out rather than sent. */
export function apiFilters(values: FilterValues): AuditFilters {
  return {
    action: values.action || undefined,
    actorId: UUID.test(values.actorId) ? values.actorId : undefined,
    from: startOfDay(values.from, 0),
    to: startOfDay(values.to, 1),
  };
}

/** The instant the day starts (`plusDays` later) where the reader is, as ISO 8601; undefined if not a day. */
function startOfDay(day: string, plusDays: number): string | undefined {
  if (!DAY.test(day)) return undefined;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const start = new Date(year, month - 1, date + plusDays);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}
