import { fileTypeFromBuffer } from 'file-type';
import { EvidenceError } from './errors.js';

/** The broad family of an accepted file, which decides how it is redacted and shown. */
export type EvidenceKind = 'image' | 'video' | 'audio' | 'document';

/** What the bytes say a file is; the file name and the sender's Content-Type are never consulted. */
export interface DetectedType {
  mime: string;
  extension: string;
  kind: EvidenceKind;
}

/** The outcome of inspecting a file's first bytes: accepted with its type, or refused with a reason. */
export type TypeVerdict =
  | { accepted: true; type: DetectedType }
  | { accepted: false; reason: string; detectedMime: string | null };

/**
 * The only types evidence may have, keyed by the MIME type `file-type` reports. An allow-list, because
 * anything not listed (programs, archives that expand to fill a disk, HTML or SVG that run script in a
 * browser, formats no one here can open) is a risk to the people who later open the file.
 */
export const ACCEPTED_MIME_TYPES: Readonly<Record<string, EvidenceKind>> = Object.freeze({
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/gif': 'image',
  'image/heic': 'image',
  'image/heif': 'image',
  'image/tiff': 'image',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/webm': 'video',
  'audio/mpeg': 'audio',
  'audio/x-m4a': 'audio',
  'audio/ogg': 'audio',
  'audio/ogg; codecs=opus': 'audio',
  'audio/wav': 'audio',
  'application/pdf': 'document',
});

/** How many leading bytes are enough to recognise every accepted type. */
export const TYPE_DETECTION_BYTES = 4096;

const ARCHIVE_MIME_TYPES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/x-bzip2',
  'application/x-xz',
  'application/x-lz4',
  'application/x-lzip',
  'application/zstd',
  'application/x-compress',
  'application/x-tar',
  'application/x-cpio',
  'application/x-ace-compressed',
  'application/x-arj',
  'application/x-lzh-compressed',
  'application/x-unix-archive',
  'application/x-asar',
  'application/vnd.ms-cab-compressed',
  'application/java-archive',
  'application/epub+zip',
  'application/x-cfb',
]);

const EXECUTABLE_MIME_TYPES = new Set([
  'application/x-msdownload',
  'application/x-elf',
  'application/x-mach-binary',
  'application/wasm',
  'application/java-vm',
  'application/x-shockwave-flash',
  'application/vnd.android.package-archive',
  'application/x-apple-diskimage',
  'application/x-deb',
  'application/x-rpm',
  'application/x-xpinstall',
  'application/x-google-chrome-extension',
  'application/x.ms.shortcut',
]);

const OFFICE_PREFIXES = [
  'application/vnd.openxmlformats-officedocument.',
  'application/vnd.oasis.opendocument.',
  'application/vnd.ms-excel',
  'application/vnd.ms-word',
  'application/vnd.ms-powerpoint',
];

/**
 * Why a detected (or undetected) type is refused, in words a person uploading evidence can act on.
 * Archives and office documents get their own reason because they are the usual surprise: OOXML and
 * ODF files are zip archives, and a small archive can expand to fill the disk.
 */
function refusalReason(mime: string | null): string {
  if (mime === null) {
    return 'The file type could not be recognised from its content. Plain text, HTML, SVG and unknown formats are not accepted; send a photo, video, audio recording or PDF.';
  }
  if (
    ARCHIVE_MIME_TYPES.has(mime) ||
    OFFICE_PREFIXES.some((prefix) => mime.startsWith(prefix))
  ) {
    return `Archives and office documents (${mime}) are not accepted: they can hide other files or expand to fill the disk. Send the photos, recordings or a PDF directly.`;
  }
  if (EXECUTABLE_MIME_TYPES.has(mime)) {
    return `Programs (${mime}) are never accepted as evidence.`;
  }
  return `Files of type ${mime} are not accepted; send a photo (JPEG, PNG, WebP, GIF, HEIC, TIFF), video (MP4, MOV, WebM), audio (MP3, M4A, OGG/Opus, WAV) or PDF.`;
}

/**
 * Inspect a file's first bytes and say whether it may be stored as evidence, and if not, why.
 * Only the content decides: a name or a declared Content-Type is what an attacker controls.
 */
export async function inspectType(head: Uint8Array): Promise<TypeVerdict> {
  const found = await fileTypeFromBuffer(head);
  if (found === undefined) return { accepted: false, reason: refusalReason(null), detectedMime: null };
  const kind = ACCEPTED_MIME_TYPES[found.mime];
  if (kind === undefined) return { accepted: false, reason: refusalReason(found.mime), detectedMime: found.mime };
  return { accepted: true, type: { mime: found.mime, extension: found.ext, kind } };
}

/** The accepted type of a file from its first bytes, or null when it must be refused. */
export async function detectType(head: Uint8Array): Promise<DetectedType | null> {
  const verdict = await inspectType(head);
  return verdict.accepted ? verdict.type : null;
}

/** The accepted type, or an UNSUPPORTED_TYPE error whose message is the refusal reason (for HTTP 415). */
export async function requireAcceptedType(head: Uint8Array): Promise<DetectedType> {
  const verdict = await inspectType(head);
  if (!verdict.accepted) throw new EvidenceError('UNSUPPORTED_TYPE', verdict.reason);
  return verdict.type;
}
