import { describe, expect, it } from 'vitest';
import { highlightSegments } from '../../src/web/features/triage/highlight.js';
import type { Suggestions } from '../../src/web/features/triage/types.js';

// The browser app's pure modules are tested here: vitest.config.ts leaves src/web out of the run.

const none = (): Suggestions => ({ states: [], municipalities: [], perpetratorTypes: [], actTypes: [], placeTypes: [] });

describe('highlightSegments', () => {
  const text = 'Llegó la Guardia Nacional al albergue y nos filmaron.';
  const gn = { text: 'Guardia Nacional', start: 9, end: 25 };

  it('marks each piece of evidence and keeps the rest as plain text', () => {
    const suggestions = { ...none(), perpetratorTypes: [{ code: 'GN', score: 0.9, evidence: [gn] }] };
    const segments = highlightSegments(text, suggestions);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.suggestedBy.length > 0)).toEqual([
      { start: 9, text: 'Guardia Nacional', suggestedBy: [{ category: 'perpetratorTypes', code: 'GN' }] },
    ]);
  });

  it('leaves out evidence found past the testimony (in the shelter name or additions)', () => {
    const suggestions = { ...none(), placeTypes: [{ code: 'MIGRANT_SHELTER', score: 0.5, evidence: [{ text: 'albergue', start: 60, end: 68 }] }] };
    expect(highlightSegments(text, suggestions)).toEqual([{ start: 0, text, suggestedBy: [] }]);
  });

  it('splits overlapping evidence so each piece names every suggestion covering it', () => {
    const suggestions = {
      ...none(),
      perpetratorTypes: [{ code: 'GN', score: 0.9, evidence: [gn] }],
      actTypes: [{ code: 'INTIMIDATION', score: 0.4, evidence: [{ text: 'Llegó la Guardia', start: 0, end: 16 }] }],
    };
    const marked = highlightSegments(text, suggestions).filter((s) => s.suggestedBy.length > 0);
    expect(marked.map((s) => [s.text, s.suggestedBy.map((b) => b.code)])).toEqual([
      ['Llegó la ', ['INTIMIDATION']],
      ['Guardia', ['GN', 'INTIMIDATION']],
      [' Nacional', ['GN']],
    ]);
  });
});
