import PDFDocument from 'pdfkit';
import { alertBlocks, type AlertLanguage } from '../domain/alert.js';
import type { PublicAlert } from './public-alert.presenter.js';

const PDF_TEXT = {
  es: {
    published: 'Publicada el',
    period: 'Periodo',
    urgent: 'ALERTA URGENTE',
    addressees: 'Dirigida a',
    summary: 'Resumen',
    facts: 'Hechos',
    cases: 'Casos',
    legalFramework: 'Marco jurídico',
    recommendations: 'Recomendaciones',
    corrections: 'Correcciones',
    correctedOn: 'Corregida el',
  },
  en: {
    published: 'Published on',
    period: 'Period',
    urgent: 'URGENT ALERT',
    addressees: 'Addressed to',
    summary: 'Summary',
    facts: 'Facts',
    cases: 'Cases',
    legalFramework: 'Legal framework',
    recommendations: 'Recommendations',
    corrections: 'Corrections',
    correctedOn: 'Corrected on',
  },
} as const;

const SECTIONS = ['summary', 'facts', 'cases', 'legalFramework', 'recommendations'] as const;

function formatDate(iso: string, language: AlertLanguage): string {
  return new Intl.DateTimeFormat(language === 'es' ? 'es-MX' : 'en-GB', { dateStyle: 'long', timeZone: 'America/Mexico_City' }).format(new Date(iso));
}

/**
 * The alert as a PDF in one language, for printing and sending on: title, date, urgency, addressees,
 * each section, the correction notes and, on every page, a footer with the alert's public address.
 * The text is drawn as text (never interpreted), with the PDF's standard Helvetica.
 * Only published alerts are rendered; the caller answers 410 for a withdrawn one.
 */
export function renderAlertPdf(
  alert: PublicAlert,
  language: AlertLanguage,
  url: string,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const text = alert.text?.[language];
  if (!text) throw new Error('A withdrawn alert has no text to render');
  const labels = PDF_TEXT[language];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 72, left: 56, right: 56 },
    bufferPages: true,
    compress: options.compress ?? true,
    lang: language,
    info: { Title: text.title, Author: 'Vigía', Subject: text.title },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  if (alert.urgent) doc.font('Helvetica-Bold').fontSize(11).fillColor('#b00020').text(labels.urgent).moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#000000').text(text.title).moveDown(0.5);
  doc.font('Helvetica').fontSize(10).fillColor('#333333');
  doc.text(`${labels.published} ${formatDate(alert.publishedAt, language)}`);
  doc.text(`${labels.period}: ${alert.period.from} – ${alert.period.to}`);
  if (alert.addressees.length > 0) {
    doc.moveDown(0.5).font('Helvetica-Bold').text(labels.addressees);
    doc.font('Helvetica');
    for (const a of alert.addressees) doc.text(`• ${a.name[language]}`, { indent: 10 });
  }
  doc.fillColor('#000000');
  for (const section of SECTIONS) {
    const blocks = alertBlocks(text[section]);
    if (blocks.length === 0) continue;
    doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text(labels[section]).moveDown(0.3);
    doc.font('Helvetica').fontSize(11);
    for (const block of blocks) {
      if (block.kind === 'paragraph') doc.text(block.text, { align: 'left' });
      else for (const item of block.items) doc.text(`• ${item}`, { indent: 12 });
      doc.moveDown(0.5);
    }
  }
  if (alert.corrections.length > 0) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text(labels.corrections).moveDown(0.3);
    doc.font('Helvetica').fontSize(10);
    for (const c of alert.corrections) doc.text(`${labels.correctedOn} ${formatDate(c.at, language)}: ${c.note}`).moveDown(0.3);
  }

  // The footer on every page, written last so it knows the page count.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#555555');
    doc.text(`Vigía · ${url} · ${i + 1}/${range.count}`, doc.page.margins.left, doc.page.height - 40, {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
