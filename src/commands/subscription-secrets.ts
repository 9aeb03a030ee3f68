import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { sha256Hex } from '../auth/secrets.js';
import type { Keyring } from '../crypto/keyring.js';
import type { DB } from '../db/schema.js';

/*
 * A subscriber's address and tokens. The address is sealed under the master key, bound to the
 * subscription's id; lookups go through an HMAC of the normalized address under a derived key (a bare
 * hash of an e-mail address is easy to reverse with a list of addresses). The unsubscribe token is an
 * HMAC of the subscription's id, so every alert e-mail can carry it while the table keeps only its hash.
 *
 * The look-up HMAC and the token are derived from the master key the address is sealed under, so the
 * three always move together: `vigia keys rotate` re-seals the address and re-keys both in one update
 * (resealSubscriptionSecrets), keeping the earlier token's hash so links already sent keep working.
 */

const EMAIL_PURPOSE = 'alert-subscription-email';
const LOOKUP_PURPOSE = 'alert-subscription-email-lookup';
const UNSUBSCRIBE_PURPOSE = 'alert-subscription-unsubscribe';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The look-up HMAC of an address under one master key (the current one unless named). */
export function subscriberEmailHash(keyring: Keyring, email: string, masterKeyId?: string): string {
  return createHmac('sha256', keyring.derivedKey(LOOKUP_PURPOSE, masterKeyId)).update(normalizeEmail(email)).digest('hex');
}

/**
 * The look-up HMACs of an address under every configured master key: between a new master key and
 * `vigia keys rotate`, a subscription stored under the earlier key is still found.
 */
export function subscriberEmailHashes(keyring: Keyring, email: string): string[] {
  return keyring.masterKeyIds.map((id) => subscriberEmailHash(keyring, email, id));
}

export function sealSubscriberEmail(keyring: Keyring, subscriptionId: string, email: string): string {
  return keyring.sealPersonal(subscriptionId, EMAIL_PURPOSE, normalizeEmail(email));
}

export function openSubscriberEmail(keyring: Keyring, subscription: { id: string; email_sealed: string }): string {
  return keyring.openPersonal(subscription.id, EMAIL_PURPOSE, subscription.email_sealed);
}

/** The unsubscribe token of a subscription, keyed under the master key its address is sealed under. */
export function unsubscribeToken(keyring: Keyring, subscription: { id: string; email_sealed: string }): string {
  const masterKeyId = keyring.personalSealMasterKeyId(subscription.email_sealed);
  return createHmac('sha256', keyring.derivedKey(UNSUBSCRIBE_PURPOSE, masterKeyId)).update(subscription.id).digest('base64url');
}

/** What the table stores of a token (confirmation or unsubscribe). */
export function tokenHash(token: string): string {
  return sha256Hex(token);
}

/**
 * Part of `vigia keys rotate`: every subscription whose address is sealed under an earlier master key
 * gets its address sealed under the current one, its look-up HMAC and unsubscribe token re-keyed, and the
 * earlier token's hash kept among the retired ones. Each row is updated on its own and only if unchanged
 * since it was read, so servers keep running and an interrupted rotation is finished by running it again.
 */
export async function resealSubscriptionSecrets(db: Kysely<DB>, keyring: Keyring): Promise<number> {
  const rows = await db.selectFrom('alert_subscriptions').select(['id', 'email_sealed', 'unsubscribe_token_hash']).execute();
  let resealed = 0;
  for (const row of rows) {
    if (!keyring.isPersonalSealedUnderOldKey(row.email_sealed)) continue;
    const email = openSubscriberEmail(keyring, row);
    const emailSealed = sealSubscriberEmail(keyring, row.id, email);
    const updated = await db
      .updateTable('alert_subscriptions')
      .set({
        email_sealed: emailSealed,
        email_hash: subscriberEmailHash(keyring, email),
        unsubscribe_token_hash: tokenHash(unsubscribeToken(keyring, { id: row.id, email_sealed: emailSealed })),
        retired_unsubscribe_token_hashes: sql<string[]>`array_append(retired_unsubscribe_token_hashes, ${row.unsubscribe_token_hash}::text)`,
      })
      .where('id', '=', row.id)
      .where('email_sealed', '=', row.email_sealed)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) resealed += 1;
  }
  return resealed;
}
