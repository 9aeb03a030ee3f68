import { describe, expect, it } from 'vitest';
import { fold, phraseTokens, spanOf, tokenize } from './normalize.js';

describe('fold', () => {
  it('drops accents, the tilde and case so reports typed without them still match', () => {
    expect(fold('Ejército PEÑA Policía Güémez')).toBe('ejercito pena policia guemez');
  });
});

describe('tokenize', () => {
  it('keeps the original offsets of every word', () => {
    const text = 'La Policía Estatal, en Saltillo.';
    const tokens = tokenize(text);
    expect(tokens.map((token) => token.norm)).toEqual(['la', 'policia', 'estatal', 'en', 'saltillo']);
    for (const token of tokens) expect(fold(text.slice(token.start, token.end))).toBe(token.norm);
  });

  it('reads dotted acronyms as one word, with the dots inside the original span', () => {
    const text = 'Llegó la G.N. con agentes del I.N.M. y la G. N.';
    const tokens = tokenize(text);
    expect(tokens.map((token) => token.norm)).toEqual(['llego', 'la', 'gn', 'con', 'agentes', 'del', 'inm', 'y', 'la', 'gn']);
    const acronyms = tokens.filter((token) => token.norm === 'gn' || token.norm === 'inm');
    expect(acronyms.map((token) => text.slice(token.start, token.end))).toEqual(['G.N.', 'I.N.M.', 'G. N.']);
  });

  it('does not merge a single initial, as in "Francisco I. Madero"', () => {
    expect(phraseTokens('Francisco I. Madero')).toEqual(['francisco', 'i', 'madero']);
  });

  it('tells a capital mid-sentence from one that only starts a sentence', () => {
    const tokens = tokenize('Progreso de las obras. Vivo en Progreso, Yucatán; Hidalgo');
    const flags = tokens.map((token) => [token.norm, token.capitalized, token.sentenceInitial]);
    expect(flags[0]).toEqual(['progreso', true, true]);
    expect(flags[6]).toEqual(['progreso', true, false]);
    expect(flags[8]).toEqual(['hidalgo', true, false]);
  });

  it('maps a token range back to the exact original words', () => {
    const text = '  ELEMENTOS de la Guardia Nacional!';
    const tokens = tokenize(text);
    const evidence = spanOf(text, tokens, 3, 4);
    expect(evidence).toEqual({ text: 'Guardia Nacional', start: 18, end: 34 });
    expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
  });
});
