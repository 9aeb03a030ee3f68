import type { Transaction } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../server/errors.js';

/*
 * Time-based one-time passwords (RFC 6238), the second factor for reviewers and administrators.
 *
 * The secret belongs to a person, not an organization, so it is sealed directly under the instance
 * master key (`Keyring.sealPersonal`, bound to the person's id) and stored in users.totp_secret; this
 * module is the only place that opens it. A secret stored in plain text by an earlier version is still
 * accepted, and sealed the next time its code is accepted (or by `vigia keys rotate`). A secret never
 * leaves this module except in the enrolment answer, and never reaches a log line or an audit entry.
 */
/**
 * The parameters every authenticator app supports: RFC 6238's defaults. SHA-256 or 8 digits would be
 * stronger on paper, but several popular apps silently ignore them and then show wrong codes.
 */
export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of the current one, for phones whose clocks drift. */
export const TOTP_WINDOW = 1;
/** RFC 4226 recommends at least 128 bits and advises 160: the length of a SHA-1 output. */
export const TOTP_SECRET_BYTES = 20;
/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = 'Vigía';

/** A fresh random secret, base32-encoded as authenticator apps expect it. */
export function generateTotpSecret(): string {
  // otpauth draws the bytes from node:crypto's randomBytes.
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

const SEAL_PURPOSE = 'totp';

/** The stored form of a person's secret: sealed under the master key, bound to the person. */
export function sealTotpSecret(keyring: Keyring, userId: string, secretBase32: string): string {
  return keyring.sealPersonal(userId, SEAL_PURPOSE, secretBase32);
}

/** The secret from its stored form (a sealed value, or the plain base32 an earlier version stored). */
export function openTotpSecret(keyring: Keyring, userId: string, stored: string): string {
  return isSealed(stored) ? keyring.openPersonal(userId, SEAL_PURPOSE, stored) : stored;
}

function isSealed(stored: string): boolean {
  return stored.startsWith('p1.');
}

function needsSealing(keyring: Keyring, stored: string): boolean {
  return !isSealed(stored) || keyring.isPersonalSealedUnderOldKey(stored);
}

/**
 * Seals again every secret stored in plain text or under an older master key (`vigia keys rotate`),
 * each row on its own and only if unchanged meanwhile, so it can run beside a live server.
 */
export async function resealTotpSecrets(db: Kysely<DB>, keyring: Keyring): Promise<number> {
  const rows = await db.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute();
  let resealed = 0;
  for (const row of rows) {
    if (!needsSealing(keyring, row.totp_secret!)) continue;
    const sealed = sealTotpSecret(keyring, row.id, openTotpSecret(keyring, row.id, row.totp_secret!));
    await db.updateTable('users').set({ totp_secret: sealed }).where('id', '=', row.id).where('totp_secret', '=', row.totp_secret).execute();
    resealed += 1;
  }
  return resealed;
}

function totpFor(secretBase32: string, accountEmail = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: accountEmail,
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The `otpauth://totp/…` URL an authenticator app reads from the QR code or a paste. */
export function totpUrl(secretBase32: string, accountEmail: string): string {
  return totpFor(secretBase32, accountEmail).toString();
}

/**
 * The QR code of an otpauth URL as an SVG document, drawn here: sending the URL to an outside QR
 * service would hand the secret to a stranger.
 */
export function qrCodeSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The time step a moment falls in (Unix seconds / 30), the counter RFC 6238 feeds to HOTP. */
export function totpStep(atMs: number): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: atMs });
}

/** The code an authenticator app shows at a moment; for tests and for the CLI's demo accounts. */
export function totpCode(secretBase32: string, atMs: number = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: atMs });
}

/**
 * The time step whose code `code` is, within the drift window around `atMs`, or null when it is none
 * of them. Pure: it knows nothing of codes already used (see `verifyTotp` for that).
 */
export function matchTotpStep(secretBase32: string, code: string, atMs: number): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d+$/.test(token)) return null;
  const delta = totpFor(secretBase32).validate({ token, timestamp: atMs, window: TOTP_WINDOW });
  return delta === null ? null : totpStep(atMs) + delta;
}

/** What an enrolling person needs to set up their app; shown once, never stored anywhere else. */
export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

/**
 * Gives the person a new pending secret (totp_secret set, totp_enabled_at still null), replacing any
 * earlier pending one. Refused with CONFLICT when a second factor is already enabled: replacing it
 * would let whoever holds a half-signed-in session swap the owner's authenticator for their own.
 */
export async function startTotpEnrolment(trx: Transaction<DB>, keyring: Keyring, userId: string): Promise<TotpEnrolment> {
  const user = await trx
    .selectFrom('users')
    .select(['email', 'totp_enabled_at'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) throw new AppError('NOT_FOUND', 'There is no such account.');
  if (user.totp_enabled_at !== null) {
    throw new AppError('CONFLICT', 'Two-factor sign-in is already set up for this account.');
  }
  const secret = generateTotpSecret();
  await trx
    .updateTable('users')
    .set({ totp_secret: sealTotpSecret(keyring, userId, secret), totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  const otpauthUrl = totpUrl(secret, user.email);
  return { secret, otpauthUrl, qrSvg: await qrCodeSvg(otpauthUrl) };
}

/** Whether a code was accepted, and if not, why (for the audit log and the answer). */
export type TotpCheck = { ok: true } | { ok: false; reason: 'not_enrolled' | 'wrong_code' | 'code_reused' };

/**
 * Checks a code against the person's secret and, when it matches, records its time step so that the
 * same code (or an older one) can never be accepted again. The step is recorded by a conditional
 * update, so two requests racing with the same code cannot both win, on either engine.
 *
 * `pending: true` checks the secret of an enrolment not yet confirmed; otherwise only an enabled
 * second factor counts.
 */
export async function verifyTotp(
  trx: Transaction<DB>,
  keyring: Keyring,
  userId: string,
  code: string,
  options: { pending?: boolean; now?: Date } = {},
): Promise<TotpCheck> {
  const user = await trx
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  const enrolled = options.pending ? user?.totp_enabled_at === null : user?.totp_enabled_at != null;
  if (!user?.totp_secret || !enrolled) return { ok: false, reason: 'not_enrolled' };

  const secret = openTotpSecret(keyring, userId, user.totp_secret);
  const step = matchTotpStep(secret, code, (options.now ?? new Date()).getTime());
  if (step === null) return { ok: false, reason: 'wrong_code' };
  const recorded = await trx
    .updateTable('users')
    .set({ totp_last_step: step, ...(needsSealing(keyring, user.totp_secret) ? { totp_secret: sealTotpSecret(keyring, userId, secret) } : {}) })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return recorded ? { ok: true } : { ok: false, reason: 'code_reused' };
}

/**
 * Confirms a pending enrolment with a code from the app, which proves the app holds the secret, and
 * enables the second factor. Returns the same verdict as `verifyTotp`; nothing changes unless ok.
 */
export async function confirmTotpEnrolment(
  trx: Transaction<DB>,
  keyring: Keyring,
  userId: string,
  code: string,
  options: { now?: Date } = {},
): Promise<TotpCheck> {
  const check = await verifyTotp(trx, keyring, userId, code, { pending: true, ...options });
  if (check.ok) {
    await trx
      .updateTable('users')
      .set({ totp_enabled_at: options.now ?? new Date() })
      .where('id', '=', userId)
      .execute();
  }
  return check;
}
