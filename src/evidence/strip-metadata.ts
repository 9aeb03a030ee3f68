import sharp from 'sharp';
import { EvidenceError } from './errors.js';

/** The image that everyone other than the custodians of the original sees. */
export interface StrippedImage {
  data: Buffer;
  mime: string;
}

/**
 * The most pixels an image may declare before it is refused: about 100 megapixels, above any phone
 * camera, far below what a small header claiming 60 000 × 60 000 pixels would make the server allocate.
 */
export const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;

interface Recipe {
  /** Decoder names sharp may report for this MIME type; anything else means the bytes lied. */
  formats: readonly string[];
  output: 'jpeg' | 'png' | 'webp' | 'gif';
  /** Keep every frame: a GIF or WebP animation cut to its first frame would distort the record. */
  animated: boolean;
}

/**
 * How each accepted image type is re-encoded. HEIC/HEIF become JPEG and TIFF becomes PNG because browsers
 * cannot show them; the others keep their format so people see what was sent.
 */
const RECIPES: Readonly<Record<string, Recipe>> = {
  'image/jpeg': { formats: ['jpeg'], output: 'jpeg', animated: false },
  'image/png': { formats: ['png'], output: 'png', animated: false },
  'image/webp': { formats: ['webp'], output: 'webp', animated: true },
  'image/gif': { formats: ['gif'], output: 'gif', animated: true },
  'image/tiff': { formats: ['tiff'], output: 'png', animated: false },
  'image/heic': { formats: ['heif'], output: 'jpeg', animated: false },
  'image/heif': { formats: ['heif'], output: 'jpeg', animated: false },
};

const OUTPUT_MIME = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' } as const;

/** Sharp reports HEVC-compressed HEIC this way when its prebuilt libvips lacks the patented decoder. */
const HEVC_UNAVAILABLE = /heif: (Unsupported feature|Error while loading plugin)/;

/**
 * Re-encode an image so no EXIF (with its GPS position, camera serial, time), XMP, IPTC, ICC profile or
 * text comment survives: a photo of an attacked shelter must not reveal where the person who took it
 * stood or which phone they carry. The picture is turned upright from its EXIF orientation first,
 * because the orientation tag goes with the rest. Decoding is strict (sharp's `failOn: 'warning'`) and
 * bounded in pixels, so a broken or decompression-bomb file fails with a typed error instead of a
 * half-written copy or an exhausted server. Sharp writes metadata only when asked (`keepMetadata`,
 * `withExif`, …), and this function never asks.
 */
export async function stripImageMetadata(
  input: Buffer,
  mime: string,
  options: { maxInputPixels?: number } = {},
): Promise<StrippedImage> {
  const recipe = RECIPES[mime];
  if (recipe === undefined) {
    throw new EvidenceError('UNSUPPORTED_TYPE', `Metadata can only be stripped from images; ${mime} is not one.`);
  }
  const limitInputPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  try {
    const image = sharp(input, { limitInputPixels, failOn: 'warning', autoOrient: true, animated: recipe.animated });
    const { format } = await image.metadata();
    if (!recipe.formats.includes(format)) {
      throw new EvidenceError('UNSUPPORTED_TYPE', `The image was declared ${mime} but decodes as ${format}.`);
    }
    const data = await image.toFormat(recipe.output).toBuffer();
    return { data, mime: OUTPUT_MIME[recipe.output] };
  } catch (error) {
    throw asEvidenceError(error, mime);
  }
}

function asEvidenceError(error: unknown, mime: string): EvidenceError {
  if (error instanceof EvidenceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('exceeds pixel limit')) {
    return new EvidenceError('TOO_LARGE', 'The image has more pixels than the server will decode.', { cause: error });
  }
  if (HEVC_UNAVAILABLE.test(message)) {
    return new EvidenceError(
      'UNSUPPORTED_TYPE',
      'This server cannot decode HEVC-compressed HEIC; the original stays sealed and a redacted copy must be made another way.',
      { cause: error },
    );
  }
  return new EvidenceError('CORRUPT', `The ${mime} image is damaged or not what it claims to be.`, { cause: error });
}
