import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The compiler already rejects a key the Spanish catalogue lacks. What it cannot see: an English
 * catalogue with keys Spanish does not have, an empty translation, or a translation that lost (or
 * invented) a `{{placeholder}}`, which would show the reader a blank or a raw variable name.
 */
const CATALOGUE_DIR = new URL('../../src/web/i18n/', import.meta.url);

function flatten(value: unknown, prefix = ''): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      for (const [path, leaf] of flatten(child, prefix ? `${prefix}.${key}` : key)) entries.set(path, leaf);
    }
  } else {
    entries.set(prefix, value);
  }
  return entries;
}

function read(file: string): Map<string, unknown> {
  return flatten(JSON.parse(fs.readFileSync(new URL(`${file}.json`, CATALOGUE_DIR), 'utf8')));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

// The public pages' catalogue, and those that arrive with the people-and-access and reporting pages.
describe.each([
  { name: 'public pages', es: 'es', en: 'en' },
  { name: 'people and access', es: 'people/es', en: 'people/en' },
  { name: 'public reporting', es: 'report/es', en: 'report/en' },
  { name: 'incident record', es: 'incidents/es', en: 'incidents/en' },
  { name: 'alert drafting', es: 'alerts/es', en: 'alerts/en' },
  { name: 'public alerts', es: 'public-alerts/es', en: 'public-alerts/en' },
])('web catalogues: $name', (files) => {
  const es = read(files.es);
  const en = read(files.en);

  it('have the same keys in Spanish and English', () => {
    expect([...en.keys()].sort()).toEqual([...es.keys()].sort());
  });

  it('translate every key to a non-empty string with the same placeholders', () => {
    for (const [key, spanish] of es) {
      const english = en.get(key);
      expect(typeof spanish === 'string' && spanish.trim() !== '', `es ${key}`).toBe(true);
      expect(typeof english === 'string' && english.trim() !== '', `en ${key}`).toBe(true);
      expect(placeholders(String(english)), key).toEqual(placeholders(String(spanish)));
    }
  });
});

describe('web catalogues together', () => {
  // They are merged into one namespace; a key in two would silently take the last one's text.
  it('share no top-level section', () => {
    const sections = (file: string) => Object.keys(JSON.parse(fs.readFileSync(new URL(`${file}.json`, CATALOGUE_DIR), 'utf8')));
    const all = ['es', 'people/es', 'report/es', 'incidents/es'].flatMap(sections);
    expect(all.filter((section, index) => all.indexOf(section) !== index)).toEqual([]);
  });
});
