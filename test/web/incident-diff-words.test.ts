import { describe, expect, it } from 'vitest';
import { lastField, pathInWords, pathSteps, type PathWording } from '../../src/web/features/incidents/diff-words.js';

// The browser app's pure modules are tested here: vitest.config.ts leaves src/web out of the test run.
const PARTS: Record<string, string> = { acts: 'Acto', victims: 'Víctima', sources: 'Fuente' };
const FIELDS: Record<string, string> = { actType: 'tipo', place: 'Lugar', stateCode: 'estado', characteristics: 'características', title: 'Título' };
const wording: PathWording = {
  part: (collection, id) => `${PARTS[collection] ?? collection} ${id}`,
  field: (key, parent) => (key === 'date' && parent === null ? 'Fecha' : FIELDS[key]),
  position: (index) => `n.º ${index + 1}`,
};

describe('diff paths in words', () => {
  it('names a part by its collection and id, then its field', () => {
    expect(pathInWords('acts[a1].actType', wording)).toBe('Acto a1 · tipo');
    expect(pathInWords('acts[a3]', wording)).toBe('Acto a3');
    expect(pathInWords('place.stateCode', wording)).toBe('Lugar · estado');
    expect(pathInWords('title', wording)).toBe('Título');
  });

  it('numbers positions in plain lists from one, and keeps unknown fields by their name', () => {
    expect(pathInWords('victims[v2].characteristics[0]', wording)).toBe('Víctima v2 · características · n.º 1');
    expect(pathInWords('place.somethingNew', wording)).toBe('Lugar · somethingNew');
  });

  it('takes the path apart, with the field each field sits in', () => {
    expect(pathSteps('acts[a1].date.precision')).toEqual([
      { type: 'part', collection: 'acts', id: 'a1' },
      { type: 'field', key: 'date', parent: 'acts' },
      { type: 'field', key: 'precision', parent: 'date' },
    ]);
    expect(lastField('acts[a1].actType')).toBe('actType');
    expect(lastField('acts[a1]')).toBeUndefined();
    expect(lastField('victims[v1].characteristics[1]')).toBe('characteristics');
  });
});
