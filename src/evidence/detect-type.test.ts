import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_MIME_TYPES, detectType, inspectType, requireAcceptedType } from './detect-type.js';
import { isEvidenceError } from './errors.js';

const bytes = (...parts: Array<string | number[] | Buffer>): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const padded = (head: Buffer): Buffer => Buffer.concat([head, Buffer.alloc(64)]);
const isoMedia = (brand: string): Buffer => padded(bytes([0, 0, 0, 0x18], 'ftyp', brand, [0, 0, 2, 0], brand, 'mp41'));

/** A stored (uncompressed) zip entry: enough for file-type to read names and contents. */
function zipEntry(name: string, data: string): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return bytes(header, name, data);
}

const OOXML_TYPES =
  '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

const image = (format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif') =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .toFormat(format)
    .toBuffer();

describe('detectType', () => {
  it.each([
    ['jpeg', 'image/jpeg', 'jpg'],
    ['png', 'image/png', 'png'],
    ['webp', 'image/webp', 'webp'],
    ['gif', 'image/gif', 'gif'],
    ['tiff', 'image/tiff', 'tif'],
  ] as const)('accepts a real %s image by its bytes', async (format, mime, extension) => {
    expect(await detectType(await image(format))).toEqual({ mime, extension, kind: 'image' });
  });

  it.each([
    ['HEIC', isoMedia('heic'), 'image/heic', 'image'],
    ['HEIF', isoMedia('mif1'), 'image/heif', 'image'],
    ['MP4', isoMedia('isom'), 'video/mp4', 'video'],
    ['QuickTime', isoMedia('qt  '), 'video/quicktime', 'video'],
    ['M4A', isoMedia('M4A '), 'audio/x-m4a', 'audio'],
    [
      'WebM',
      padded(
        bytes(
          [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04],
          [0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84],
          'webm',
          [0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02],
        ),
      ),
      'video/webm',
      'video',
    ],
    ['MP3 with an ID3 tag', padded(bytes('ID3', [3, 0, 0, 0, 0, 0, 10], Buffer.alloc(10), [0xff, 0xfb, 0x90, 0x64])), 'audio/mpeg', 'audio'],
    ['Opus', padded(bytes('OggS', Buffer.alloc(24), 'OpusHead')), 'audio/ogg; codecs=opus', 'audio'],
    ['Vorbis', padded(bytes('OggS', Buffer.alloc(24), [1], 'vorbis')), 'audio/ogg', 'audio'],
    ['WAV', padded(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')), 'audio/wav', 'audio'],
    ['PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n'), 'application/pdf', 'document'],
  ])('accepts %s by its signature', async (_name, head, mime, kind) => {
    const type = await detectType(head);
    expect(type).toMatchObject({ mime, kind });
    expect(ACCEPTED_MIME_TYPES[mime]).toBe(kind);
  });

  it.each([
    ['a zip archive', padded(zipEntry('a.txt', 'hello')), /Archives/],
    [
      'a Word document (OOXML is a zip)',
      padded(bytes(zipEntry('[Content_Types].xml', OOXML_TYPES), zipEntry('word/document.xml', '<w/>'))),
      /Archives and office documents \(application\/vnd\.openxmlformats/,
    ],
    ['gzip', padded(bytes([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3])), /Archives/],
    ['7z', padded(bytes('7z', [0xbc, 0xaf, 0x27, 0x1c, 0, 4])), /Archives/],
    ['an ELF program', padded(bytes([0x7f], 'ELF', [2, 1, 1])), /Programs/],
    ['a Windows program', padded(bytes('MZ', Buffer.alloc(58), [0x80, 0, 0, 0], Buffer.alloc(64), 'PE\0\0')), /Programs/],
    ['HTML', bytes('<!DOCTYPE html><html><body>hi</body></html>'), /could not be recognised/],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), /could not be recognised/],
    ['SVG with an XML declaration', bytes('<?xml version="1.0"?><svg/>'), /application\/xml are not accepted/],
    ['plain UTF-8 text', Buffer.from('Testimonio: llegaron a las 3 de la mañana', 'utf8'), /Plain text/],
    ['nothing at all', Buffer.alloc(0), /could not be recognised/],
  ])('refuses %s with a reason', async (_name, head, reason) => {
    expect(await detectType(head)).toBeNull();
    const verdict = await inspectType(head);
    expect(verdict.accepted).toBe(false);
    if (!verdict.accepted) expect(verdict.reason).toMatch(reason);
  });

  it('refuses image types outside the list even when an image library could read them', async () => {
    const verdict = await inspectType(await image('avif'));
    expect(verdict).toMatchObject({ accepted: false, detectedMime: 'image/avif' });
  });

  it('ignores what a name would claim: only the bytes count', async () => {
    // A PDF whose first bytes are a zip is a zip, whatever it is called.
    expect(await detectType(padded(zipEntry('invoice.pdf', '%PDF-1.7')))).toBeNull();
  });

  it('turns a refusal into an UNSUPPORTED_TYPE error carrying the reason', async () => {
    const refused = await requireAcceptedType(bytes('hola')).catch((error: unknown) => error);
    expect(isEvidenceError(refused, 'UNSUPPORTED_TYPE')).toBe(true);
    expect((refused as Error).message).toMatch(/Plain text/);
    await expect(requireAcceptedType(bytes('%PDF-1.4\n'))).resolves.toMatchObject({ mime: 'application/pdf' });
  });
});
