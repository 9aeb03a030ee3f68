/*
 * The incident search's filters live in the page's query string, so that a search can be reloaded,
 * bookmarked and sent to a colleague. The address uses Spanish words (the product's language); the API
 * takes its own names. Pure, without imports, so that its tests run under Node (test/web/).
 */

export const SORTS = ['relevance', 'date_desc', 'date_asc', 'updated_desc'] as const;
export type Sort = (typeof SORTS)[number];

export interface SearchFilters {
  text: string;
  state: string;
  municipality: string;
  from: string;
  to: string;
  actTypes: string[];
  perpetratorTypes: string[];
  victimType: string;
  status: string;
  hasEvidence: boolean;
  /** Empty: the API's default (relevance with a text, newest first without). */
  sort: Sort | '';
}

export const EMPTY_FILTERS: SearchFilters = {
  text: '',
  state: '',
  municipality: '',
  from: '',
  to: '',
  actTypes: [],
  perpetratorTypes: [],
  victimType: '',
  status: '',
  hasEvidence: false,
  sort: '',
};

/** The address's word for each filter. */
const PARAMS = {
  text: 'texto',
  state: 'estado',
  municipality: 'municipio',
  from: 'desde',
  to: 'hasta',
  actTypes: 'acto',
  perpetratorTypes: 'perpetrador',
  victimType: 'victima',
  status: 'situacion',
  hasEvidence: 'evidencia',
  sort: 'orden',
} as const satisfies Record<keyof SearchFilters, string>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const STATE = /^\d{2}$/;
const MUNICIPALITY = /^\d{5}$/;
const CODE = /^[A-Z][A-Z0-9_]*$/;
const STATUSES = ['reported', 'in_review', 'verified', 'rejected', 'needs_information'];

/** The filters an address holds; anything malformed is dropped, so a hand-edited link never breaks the page. */
export function filtersFromSearch(search: string): SearchFilters {
  const query = new URLSearchParams(search);
  const one = (key: keyof typeof PARAMS, pattern?: RegExp) => {
    const value = query.get(PARAMS[key])?.trim() ?? '';
    return pattern && !pattern.test(value) ? '' : value;
  };
  const codes = (key: keyof typeof PARAMS) => [...new Set(query.getAll(PARAMS[key]).map((v) => v.trim()).filter((v) => CODE.test(v)))];
  const state = one('state', STATE);
  const municipality = one('municipality', MUNICIPALITY);
  const status = one('status');
  const sort = one('sort');
  return {
    text: one('text').slice(0, 200),
    state,
    // A municipality belongs to its state (its code starts with the state's); without one it means nothing.
    municipality: state && municipality.startsWith(state) ? municipality : '',
    from: one('from', DAY),
    to: one('to', DAY),
    actTypes: codes('actTypes'),
    perpetratorTypes: codes('perpetratorTypes'),
    victimType: one('victimType', CODE),
    status: STATUSES.includes(status) ? status : '',
    hasEvidence: query.get(PARAMS.hasEvidence) === 'si',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : '',
  };
}

/** The query string for the filters (without "?"), with only what is set, in a stable order. */
export function searchFromFilters(filters: SearchFilters): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(PARAMS) as Array<keyof SearchFilters>) {
    const value = filters[key];
    if (Array.isArray(value)) for (const item of value) query.append(PARAMS[key], item);
    else if (value === true) query.set(PARAMS[key], 'si');
    else if (typeof value === 'string' && value.trim()) query.set(PARAMS[key], value.trim());
  }
  return query.toString();
}

/** Whether any filter (not the sort) is set. */
export function isFiltered(filters: SearchFilters): boolean {
  return (Object.keys(filters) as Array<keyof SearchFilters>).some((key) => {
    if (key === 'sort') return false;
    const value = filters[key];
    return Array.isArray(value) ? value.length > 0 : Boolean(value);
  });
}

/** The API's query for the filters, named as the API names them. */
export function apiQueryFromFilters(filters: SearchFilters): {
  text?: string;
  state?: string;
  municipality?: string;
  from?: string;
  to?: string;
  actType?: string[];
  perpetratorType?: string[];
  victimType?: string;
  status?: string;
  hasEvidence?: boolean;
  sort?: Sort;
} {
  const or = (value: string) => value.trim() || undefined;
  return {
    text: or(filters.text),
    state: or(filters.state),
    municipality: or(filters.municipality),
    from: or(filters.from),
    to: or(filters.to),
    actType: filters.actTypes.length > 0 ? filters.actTypes : undefined,
    perpetratorType: filters.perpetratorTypes.length > 0 ? filters.perpetratorTypes : undefined,
    victimType: or(filters.victimType),
    status: or(filters.status),
    hasEvidence: filters.hasEvidence || undefined,
    sort: filters.sort || undefined,
  };
}
