import { describe, expect, it } from 'vitest';
import {
  apiQueryFromFilters,
  EMPTY_FILTERS,
  filtersFromSearch,
  isFiltered,
  searchFromFilters,
} from '../../src/web/features/incidents/search-filters.js';

// The browser app's pure modules are tested here: vitest.config.ts leaves src/web out of the test run.
describe('incident search filters in the address', () => {
  it('round-trips every filter through the query string, lists as repeated words', () => {
    const filters = {
      ...EMPTY_FILTERS,
      text: 'guardia nacional',
      state: '26',
      municipality: '26002',
      from: '2019-06-01',
      to: '2019-07-31',
      actTypes: ['ATTEMPTED_ENTRY', 'SURVEILLANCE'],
      perpetratorTypes: ['GN'],
      victimType: 'HUMAN_RIGHTS_DEFENDER',
      status: 'in_review',
      hasEvidence: true,
      sort: 'date_desc' as const,
    };
    const search = searchFromFilters(filters);
    expect(search).toBe(
      'texto=guardia+nacional&estado=26&municipio=26002&desde=2019-06-01&hasta=2019-07-31&acto=ATTEMPTED_ENTRY&acto=SURVEILLANCE' +
        '&perpetrador=GN&victima=HUMAN_RIGHTS_DEFENDER&situacion=in_review&evidencia=si&orden=date_desc',
    );
    expect(filtersFromSearch(`?${search}`)).toEqual(filters);
  });

  it('leaves out what is not set, and drops what is malformed instead of sending it', () => {
    expect(searchFromFilters(EMPTY_FILTERS)).toBe('');
    expect(filtersFromSearch('?estado=Sonora&municipio=05030&desde=ayer&acto=robo&acto=THEFT&situacion=lost&orden=best&evidencia=1')).toEqual({
      ...EMPTY_FILTERS,
      actTypes: ['THEFT'],
    });
    // A municipality of another state means nothing.
    expect(filtersFromSearch('?estado=26&municipio=05030').municipality).toBe('');
  });

  it('says whether anything filters, and names the filters as the API does', () => {
    expect(isFiltered({ ...EMPTY_FILTERS, sort: 'date_asc' })).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTERS, actTypes: ['THEFT'] })).toBe(true);
    expect(apiQueryFromFilters({ ...EMPTY_FILTERS, text: '  ', actTypes: ['THEFT'], hasEvidence: true, status: 'in_review' })).toEqual({
      text: undefined,
      state: undefined,
      municipality: undefined,
      from: undefined,
      to: undefined,
      actType: ['THEFT'],
      perpetratorType: undefined,
      victimType: undefined,
      status: 'in_review',
      hasEvidence: true,
      sort: undefined,
    });
  });
});
