import { describe, expect, it } from 'vitest';
import { diffJson } from './json-diff.js';

describe('diffJson', () => {
  it('names each changed path, matching parts by id so reordering is no change', () => {
    const before = { title: 'A', acts: [{ id: 'a1', actType: 'THREAT' }, { id: 'a2', actType: 'RAID' }], place: { stateCode: '05' } };
    const after = { title: 'B', acts: [{ id: 'a2', actType: 'RAID' }, { id: 'a1', actType: 'DEATH_THREAT' }, { id: 'a3', actType: 'THEFT' }], place: { stateCode: '05' } };
    expect(diffJson(before, after)).toEqual([
      { path: 'title', kind: 'changed', before: 'A', after: 'B' },
      { path: 'acts[a1].actType', kind: 'changed', before: 'THREAT', after: 'DEATH_THREAT' },
      { path: 'acts[a3]', kind: 'added', before: null, after: { id: 'a3', actType: 'THEFT' } },
    ]);
  });

  it('reports removed parts and positional array changes, and nothing for equal records', () => {
    expect(diffJson({ acts: [{ id: 'a1' }], tags: ['x', 'y'] }, { acts: [], tags: ['x'] })).toEqual([
      { path: 'acts[a1]', kind: 'removed', before: { id: 'a1' }, after: null },
      { path: 'tags[1]', kind: 'removed', before: 'y', after: null },
    ]);
    expect(diffJson({ a: { b: [1, 2] } }, { a: { b: [1, 2] } })).toEqual([]);
  });
});
