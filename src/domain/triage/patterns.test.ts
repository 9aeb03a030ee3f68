import { describe, expect, it } from 'vitest';
import { tokenize } from './normalize.js';
import { matchAt, parsePattern } from './patterns.js';

function matchedWords(pattern: string, text: string): string | null {
  const tokens = tokenize(text);
  const end = matchAt(parsePattern(pattern), tokens, 0);
  return end < 0 ? null : tokens.slice(0, end).map((token) => token.norm).join(' ');
}

describe('lexicon patterns', () => {
  it('match verb inflections through stems, without accents or case', () => {
    for (const text of ['intentaron entrar', 'Intentó ingresar', 'INTENTABAN METERSE']) {
      expect(matchedWords('intent* entrar|ingresar|meterse', text)).not.toBeNull();
    }
    expect(matchedWords('intent* entrar|ingresar', 'intentaron salir')).toBeNull();
  });

  it('skip optional words and prefer the longest match', () => {
    const pattern = 'pid*|exig* la|las? lista* de donante*|migrante*';
    expect(matchedWords(pattern, 'exigieron la lista de donantes')).toBe('exigieron la lista de donantes');
    expect(matchedWords(pattern, 'pidieron listas de migrantes')).toBe('pidieron listas de migrantes');
  });

  it('let "..." skip up to three words, no more', () => {
    expect(matchedWords('amenaz* ... muerte', 'amenazaron a todos de muerte')).toBe('amenazaron a todos de muerte');
    expect(matchedWords('amenaz* ... muerte', 'amenazaron a la directora y su equipo de muerte')).toBeNull();
  });

  it('refuse patterns whose evidence would be arbitrary or that are not words', () => {
    expect(() => parsePattern('la? guardia')).toThrow(/start and end with a required word/);
    expect(() => parsePattern('amenaz* ...')).toThrow(/start and end with a required word/);
    expect(() => parsePattern('guardia|')).toThrow(/is not a word/);
  });
});
