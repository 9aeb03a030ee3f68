import { describe, expect, it } from 'vitest';
import { SIGNAL_STATUS_FILTERS, searchFromStatusFilter, statusFilterFromSearch } from '../../src/web/features/signals/status-filter.js';

describe('signals inbox status filter', () => {
  it('shows the open signals by default and keeps any other choice in Spanish words in the address', () => {
    expect(statusFilterFromSearch('')).toBe('open');
    expect(searchFromStatusFilter('open')).toBe('');
    expect(searchFromStatusFilter('dismissed')).toBe('estado=descartadas');
    expect(searchFromStatusFilter('all')).toBe('estado=todas');
    expect(statusFilterFromSearch('?estado=redactadas')).toBe('drafted');
  });

  it('reads back every filter it writes, and an unknown word as the default', () => {
    for (const filter of SIGNAL_STATUS_FILTERS) expect(statusFilterFromSearch(searchFromStatusFilter(filter))).toBe(filter);
    expect(statusFilterFromSearch('estado=dismissed')).toBe('open');
    expect(statusFilterFromSearch('otra=1')).toBe('open');
  });
});
