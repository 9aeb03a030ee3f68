import { describe, expect, it } from 'vitest';
import { readTriageLexicon } from '../../db/triage-lexicon.js';
import { parseTriageLexicon, TriageLexiconError } from './lexicon.js';

const shipped = readTriageLexicon();

describe('parseTriageLexicon', () => {
  it('accepts the shipped lexicon, with a version', () => {
    expect(shipped.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a pattern that cannot work, naming where it is', () => {
    const broken = structuredClone(shipped);
    broken.triggers.actTypes.THREAT = ['amenaz* ...'];
    expect(() => parseTriageLexicon(broken)).toThrow(TriageLexiconError);
    expect(() => parseTriageLexicon(broken)).toThrow(/triggers\.actTypes\.THREAT\.0: .*required word/);
  });

  it('refuses codes that are not vocabulary codes and weights above 1', () => {
    const badCode = structuredClone(shipped);
    badCode.triggers.perpetratorTypes['guardia'] = ['guardia'];
    expect(() => parseTriageLexicon(badCode)).toThrow(/triggers\.perpetratorTypes\.guardia: Invalid key/);
    const badWeight = structuredClone(shipped);
    badWeight.triggers.perpetratorTypes.GN = [{ pattern: 'gn', weight: 2 }];
    expect(() => parseTriageLexicon(badWeight)).toThrow(/triggers\.perpetratorTypes\.GN\.0/);
  });
});
