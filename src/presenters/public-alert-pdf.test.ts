import { describe, expect, it } from 'vitest';
import { sampleAlertContent } from '../../test/alerts.js';
import { renderAlertPdf } from './public-alert-pdf.js';
import { presentPublicAlert } from './public-alert.presenter.js';

/** The lines of text an uncompressed pdfkit PDF draws (each `TJ` array of hex glyph strings is one line). */
function drawnLines(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\[([^\]]*)\] TJ/g)].map((m) =>
    [...m[1]!.matchAll(/<([0-9a-f]*)>/gi)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''),
  );
}

describe('alert PDF', () => {
  const alert = presentPublicAlert({
    slug: 'hostigamiento-2019',
    status: 'published',
    content: sampleAlertContent({ urgent: true }),
    publishedAt: new Date('2019-08-05T16:00:00Z'),
    withdrawnAt: null,
    withdrawalReason: null,
    corrections: [{ version: 2, at: new Date('2019-08-10T16:00:00Z'), note: 'Fixed the count of incidents.' }],
  });

  it('draws the title, date, urgency, addressees, sections, corrections and a footer with the address', async () => {
    const pdf = await renderAlertPdf(alert, 'en', 'https://vigia.example.org/en/alerts/hostigamiento-2019', { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = drawnLines(pdf).join('\n');
    for (const expected of [
      'URGENT ALERT',
      'Harassment of migrant shelters in five states',
      'Published on 5 August 2019',
      'Period: 2019-06-01',
      'National Migration Institute',
      'Recommendations',
      'Corrected on 10 August 2019: Fixed the count of incidents.',
      'https://vigia.example.org/en/alerts/hostigamiento-2019',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('refuses to render a withdrawn alert, which has no text', async () => {
    expect(() => renderAlertPdf({ ...alert, text: null }, 'es', 'https://x.example')).toThrow(/withdrawn/);
  });
});
