import { createHmac } from 'node:crypto';
import { sha256Hex } from '../auth/secrets.js';
import type { Keyring } from '../crypto/keyring.js';

/*
 * A subscriber's address and tokens. The address is sealed under the master key, bound to the
 * subscription's id; lookups go through an HMAC of the normalized address under a derived key (a bare
 * hash of an e-mail address is easy to reverse with a list of addresses). The unsubscribe token is an
 * HMAC of the subscription's id, so every alert e-mail can carry it while the table keeps only its hash.
 */

const EMAIL_PURPOSE = 'alert-subscription-email';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function subscriberEmailHash(keyring: Keyring, email: string): string {
  return createHmac('sha256', keyring.derivedKey('alert-subscription-email-lookup')).update(normalizeEmail(email)).digest('hex');
}

export function sealSubscriberEmail(keyring: Keyring, subscriptionId: string, email: string): string {
  return keyring.sealPersonal(subscriptionId, EMAIL_PURPOSE, normalizeEmail(email));
}

export function openSubscriberEmail(keyring: Keyring, subscription: { id: string; email_sealed: string }): string {
  return keyring.openPersonal(subscription.id, EMAIL_PURPOSE, subscription.email_sealed);
}

export function unsubscribeToken(keyring: Keyring, subscriptionId: string): string {
  return createHmac('sha256', keyring.derivedKey('alert-subscription-unsubscribe')).update(subscriptionId).digest('base64url');
}

/** What the table stores of a token (confirmation or unsubscribe). */
export function tokenHash(token: string): string {
  return sha256Hex(token);
}
