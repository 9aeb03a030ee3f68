import { describe, expect, it } from 'vitest';
import { alertBlocks, alertContentSchema } from './alert.js';

const text = { title: 'Hostigamiento', summary: '', facts: '', cases: '', legalFramework: '', recommendations: '' };
const content = { es: text, en: { ...text, title: 'Harassment' }, addressees: [], period: { from: '2019-06-01', to: '2019-07-31' }, stateCodes: ['26'], actTypes: [], perpetratorTypes: [], legalRuleIds: [] };

describe('alert content', () => {
  it('accepts a bilingual alert and refuses a period that ends before it starts, naming the field', () => {
    expect(alertContentSchema.parse(content).urgent).toBe(false);
    const bad = alertContentSchema.safeParse({ ...content, period: { from: '2019-08-01', to: '2019-07-31' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['period', 'to']);
    const untitled = alertContentSchema.safeParse({ ...content, en: { ...text, title: '  ' } });
    expect(untitled.error!.issues[0]!.path).toEqual(['en', 'title']);
  });

  it('reads paragraphs and lists from plain text, never markup', () => {
    expect(alertBlocks('Primer párrafo\nsigue.\n\n- uno\n- dos\n\n<b>no</b>')).toEqual([
      { kind: 'paragraph', text: 'Primer párrafo sigue.' },
      { kind: 'list', items: ['uno', 'dos'] },
      { kind: 'paragraph', text: '<b>no</b>' },
    ]);
  });
});
