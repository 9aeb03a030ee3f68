import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isEvidenceError } from './errors.js';
import { stripImageMetadata } from './strip-metadata.js';

const CAMERA = 'VigiaTestCam-SN4711';
const XMP_NAMESPACE = 'adobe:ns:meta/';
const XMP = `<x:xmpmeta xmlns:x="${XMP_NAMESPACE}"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Persona Protegida</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`;
/** EXIF with a GPS directory (IFD3) placing the camera in Mexico City; the datum text makes it findable. */
const EXIF_WITH_GPS = {
  IFD0: { Make: CAMERA, Model: 'Phone' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '19/1 25/1 4200/100',
    GPSLongitudeRef: 'W',
    GPSLongitude: '99/1 8/1 1800/100',
    GPSMapDatum: 'GPS-WGS-84',
  },
};
const LEAKS = ['GPS', 'Exif', XMP_NAMESPACE, 'http://ns.adobe.com/xap/1.0/', 'Photoshop 3.0', CAMERA, 'ICC_PROFILE'];

/** Left half red, right half blue: after auto-orientation the halves tell which way is up. */
function twoColourImage() {
  const red = { r: 255, g: 0, b: 0 };
  const blue = { r: 0, g: 0, b: 255 };
  const half = (background: typeof red) =>
    sharp({ create: { width: 20, height: 20, channels: 3, background } }).png().toBuffer();
  return Promise.all([half(red), half(blue)]).then(([left, right]) =>
    sharp({ create: { width: 40, height: 20, channels: 3, background: red } }).composite([
      { input: left!, left: 0, top: 0 },
      { input: right!, left: 20, top: 0 },
    ]),
  );
}

/** An IPTC caption in a Photoshop APP13 segment, which sharp cannot write but cameras and editors do. */
function withIptcSegment(jpeg: Buffer): Buffer {
  const caption = Buffer.from('Caption: refugio, Persona Protegida', 'latin1');
  const iptc = Buffer.concat([Buffer.from([0x1c, 0x02, 0x78, 0, caption.length]), caption]);
  const resource = Buffer.concat([Buffer.from('8BIM', 'latin1'), Buffer.from([0x04, 0x04, 0, 0]), u32(iptc.length), iptc]);
  const payload = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]);
  const segment = Buffer.concat([Buffer.from([0xff, 0xed]), u16(payload.length + 2), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** A PNG chunk placed right after IHDR (which always ends at byte 33). */
function withPngChunk(png: Buffer, type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const chunk = Buffer.concat([u32(data.length), body, u32(crc32(body))]);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}
function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

function expectNoLeak(data: Buffer, extra: string[] = []): void {
  for (const marker of [...LEAKS, ...extra]) expect(data.includes(marker), `output contains ${marker}`).toBe(false);
}

async function expectNoMetadata(data: Buffer): Promise<void> {
  const metadata = await sharp(data).metadata();
  expect(metadata.exif).toBeUndefined();
  expect(metadata.xmp).toBeUndefined();
  expect(metadata.iptc).toBeUndefined();
  expect(metadata.icc).toBeUndefined();
  expect(metadata.comments).toBeUndefined();
  expect(metadata.orientation).toBeUndefined();
}

describe('stripImageMetadata', () => {
  it('removes EXIF with GPS, XMP, IPTC and ICC from a JPEG and turns it upright first', async () => {
    const photo = await (await twoColourImage())
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge(EXIF_WITH_GPS)
      .withXmp(XMP)
      .withIccProfile('p3')
      .toBuffer();
    const input = withIptcSegment(photo);

    const before = await sharp(input).metadata();
    expect(before).toMatchObject({ width: 40, height: 20, orientation: 6 });
    expect(before.exif?.includes('GPS-WGS-84')).toBe(true);
    expect(before.xmp).toBeDefined();
    expect(before.iptc).toBeDefined();
    expect(before.icc).toBeDefined();
    for (const marker of LEAKS) expect(input.includes(marker), `input lacks ${marker}`).toBe(true);

    const { data, mime } = await stripImageMetadata(input, 'image/jpeg');

    expect(mime).toBe('image/jpeg');
    expectNoLeak(data, ['GPS-WGS-84', 'Persona Protegida']);
    await expectNoMetadata(data);
    // Orientation 6 means "rotate 90° clockwise to view": the red left half becomes the top.
    const { data: pixels, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([20, 40]);
    const pixel = (y: number) => [...pixels.subarray(y * info.width * 3 + 30, y * info.width * 3 + 33)];
    expect(pixel(5)[0]).toBeGreaterThan(200);
    expect(pixel(35)[2]).toBeGreaterThan(200);
  });

  it('removes tEXt comments and the eXIf chunk from a PNG', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#00ff0080' } })
      .png()
      .withExif(EXIF_WITH_GPS)
      .toBuffer();
    const input = withPngChunk(png, 'tEXt', Buffer.from('Comment\0Tomada en 19.42,-99.13 por Persona Protegida', 'latin1'));
    const before = await sharp(input).metadata();
    expect(before.comments?.[0]?.text).toContain('Persona Protegida');
    expect(before.exif).toBeDefined();

    const { data, mime } = await stripImageMetadata(input, 'image/png');

    expect(mime).toBe('image/png');
    expectNoLeak(data, ['tEXt', 'eXIf', 'Persona Protegida', '19.42']);
    await expectNoMetadata(data);
    expect((await sharp(data).metadata()).hasAlpha).toBe(true);
  });

  it('removes EXIF and XMP from a WebP', async () => {
    const input = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
      .webp()
      .withExif(EXIF_WITH_GPS)
      .withXmp(XMP)
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(before.xmp).toBeDefined();

    const { data, mime } = await stripImageMetadata(input, 'image/webp');

    expect(mime).toBe('image/webp');
    expectNoLeak(data, ['EXIF', 'XMP ']);
    await expectNoMetadata(data);
  });

  it('turns TIFF into PNG and HEIF into JPEG, which browsers can show', async () => {
    const canvas = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#996633' } });
    const tiff = await canvas().tiff().withXmp(XMP).toBuffer();
    expect(await stripImageMetadata(tiff, 'image/tiff')).toMatchObject({ mime: 'image/png' });
    const heif = await canvas().heif({ compression: 'av1' }).withExif(EXIF_WITH_GPS).toBuffer();
    const fromHeif = await stripImageMetadata(heif, 'image/heif');
    expect(fromHeif.mime).toBe('image/jpeg');
    await expectNoMetadata(fromHeif.data);
    expectNoLeak(fromHeif.data);
  });

  it('refuses a decompression bomb by its declared size before decoding it', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    // Claim 30 000 × 30 000 pixels in the header: 900 megapixels from a few hundred bytes.
    const ihdr = Buffer.from(png.subarray(12, 29));
    ihdr.writeUInt32BE(30_000, 4);
    ihdr.writeUInt32BE(30_000, 8);
    const bomb = Buffer.concat([png.subarray(0, 12), ihdr, u32(crc32(ihdr)), png.subarray(33)]);

    const error = await stripImageMetadata(bomb, 'image/png').catch((caught: unknown) => caught);
    expect(isEvidenceError(error, 'TOO_LARGE')).toBe(true);
    const small = await stripImageMetadata(png, 'image/png', { maxInputPixels: 63 }).catch((caught: unknown) => caught);
    expect(isEvidenceError(small, 'TOO_LARGE')).toBe(true);
  });

  it('refuses a truncated image as CORRUPT', async () => {
    const jpeg = await (await twoColourImage()).jpeg().toBuffer();
    const error = await stripImageMetadata(jpeg.subarray(0, jpeg.length - 100), 'image/jpeg').catch((caught: unknown) => caught);
    expect(isEvidenceError(error, 'CORRUPT')).toBe(true);
  });

  it('refuses bytes that are not the declared image type, and types that are not images', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
    const mismatch = await stripImageMetadata(png, 'image/jpeg').catch((caught: unknown) => caught);
    expect(isEvidenceError(mismatch, 'UNSUPPORTED_TYPE')).toBe(true);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    const notAllowed = await stripImageMetadata(svg, 'image/svg+xml').catch((caught: unknown) => caught);
    expect(isEvidenceError(notAllowed, 'UNSUPPORTED_TYPE')).toBe(true);
  });
});
