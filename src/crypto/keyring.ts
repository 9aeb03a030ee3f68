import { hkdfSync, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { openBytes, sealBytes, SealError } from './envelope.js';
import type { MasterKey, MasterKeys } from './master-keys.js';

/** A sealed value as stored: `s1.<data key version>.<base64 of iv ‖ ciphertext ‖ tag>`. */
export type Sealed = string;

const SEALED_PATTERN = /^s1\.(\d{1,9})\.([A-Za-z0-9+/]+={0,2})$/;
const PERSONAL_PATTERN = /^p1\.([0-9a-f]{16})\.([A-Za-z0-9+/]+={0,2})$/;

/**
 * Envelope encryption: every organization has its own data keys (random, 256-bit), stored wrapped by the
 * instance master key. Sensitive fields (identities, contacts, exact coordinates) and evidence originals
 * are sealed with the organization's current data key; older versions stay readable. Rotating the master
 * key re-wraps the small data keys only, so no record has to be rewritten and the server keeps running.
 * Unwrapped keys are cached in memory for the life of the process and never written anywhere.
 */
export class Keyring {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly masterKeys: MasterKeys) {}

  /** The id of the master key new wraps use (shown by `vigia keys status`). */
  get currentMasterKeyId(): string {
    return this.masterKeys.current.id;
  }

  /** Every configured master key's id, the current one first. */
  get masterKeyIds(): string[] {
    return [this.masterKeys.current, ...this.masterKeys.previous].map((k) => k.id);
  }

  /**
   * A key for one purpose (e.g. signing proof-of-work challenges), derived from the current master key
   * with HKDF so that every server of an instance agrees on it without storing another secret. Values
   * kept in the database that were derived with it (subscription look-ups and tokens) name the master
   * key they used, and can ask for the key derived from that one while it is still configured.
   */
  derivedKey(purpose: string, masterKeyId: string = this.masterKeys.current.id): Buffer {
    return Buffer.from(hkdfSync('sha256', this.masterKey(masterKeyId).key, Buffer.alloc(0), `vigia/derived/v1|${purpose}`, 32));
  }

  /**
   * The organization's current data key, created (wrapped by the current master key) on first use. Call
   * inside the transaction that will store what it seals, so a key and its first use commit together.
   */
  async currentKey(db: Kysely<DB>, organizationId: string): Promise<{ version: number; key: Buffer }> {
    let row = await db
      .selectFrom('organization_keys')
      .select(['version', 'wrapped_key', 'master_key_id'])
      .where('organization_id', '=', organizationId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) {
      await this.insertDataKey(db, organizationId, 1);
      row = await db
        .selectFrom('organization_keys')
        .select(['version', 'wrapped_key', 'master_key_id'])
        .where('organization_id', '=', organizationId)
        .where('version', '=', 1)
        .executeTakeFirstOrThrow();
    }
    return { version: row.version, key: this.unwrapCached(organizationId, row.version, row.wrapped_key, row.master_key_id) };
  }

  /** A given version of the organization's data key, to open what it sealed. */
  async keyFor(db: Kysely<DB>, organizationId: string, version: number): Promise<Buffer> {
    const cached = this.cache.get(`${organizationId}:${version}`);
    if (cached) return cached;
    const row = await db
      .selectFrom('organization_keys')
      .select(['wrapped_key', 'master_key_id'])
      .where('organization_id', '=', organizationId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new SealError(`Organization ${organizationId} has no data key version ${version}.`);
    return this.unwrapCached(organizationId, version, row.wrapped_key, row.master_key_id);
  }

  /** Seals a JSON value for one place (`context`, e.g. `report:<id>`) in the organization. */
  async sealJson(db: Kysely<DB>, organizationId: string, context: string, value: unknown): Promise<Sealed> {
    return (await this.jsonSealer(db, organizationId))(context, value);
  }

  /**
   * `sealJson` for many values of one organization (an import's rows) with one key lookup: what it seals
   * is exactly what `sealJson` would, each value under its own context and a fresh IV. Use it within the
   * transaction that stores them, as `currentKey` says.
   */
  async jsonSealer(db: Kysely<DB>, organizationId: string): Promise<(context: string, value: unknown) => Sealed> {
    const { version, key } = await this.currentKey(db, organizationId);
    return (context, value) => {
      const sealed = sealBytes(key, Buffer.from(JSON.stringify(value), 'utf8'), dataAad(organizationId, context));
      return `s1.${version}.${sealed.toString('base64')}`;
    };
  }

  /** Opens what `sealJson` sealed for the same organization and context. */
  async openJson<T>(db: Kysely<DB>, organizationId: string, context: string, sealed: Sealed): Promise<T> {
    const match = SEALED_PATTERN.exec(sealed);
    if (!match) throw new SealError('Not a sealed value.');
    const key = await this.keyFor(db, organizationId, Number(match[1]));
    const plaintext = openBytes(key, Buffer.from(match[2]!, 'base64'), dataAad(organizationId, context));
    return JSON.parse(plaintext.toString('utf8')) as T;
  }

  /**
   * Seals a secret that belongs to a person rather than an organization (their authenticator app's key),
   * directly under the master key: `p1.<master key id>.<base64>`, bound to the person and the purpose.
   * `vigia keys rotate` re-seals these under a new master key (`resealPersonalSecrets`).
   */
  sealPersonal(userId: string, purpose: string, value: string): Sealed {
    const master = this.masterKeys.current;
    return `p1.${master.id}.${sealBytes(master.key, Buffer.from(value, 'utf8'), personalAad(userId, purpose)).toString('base64')}`;
  }

  /** Opens what `sealPersonal` sealed for the same person and purpose. */
  openPersonal(userId: string, purpose: string, sealed: Sealed): string {
    const match = PERSONAL_PATTERN.exec(sealed);
    if (!match) throw new SealError('Not a sealed personal secret.');
    return openBytes(this.masterKey(match[1]!).key, Buffer.from(match[2]!, 'base64'), personalAad(userId, purpose)).toString('utf8');
  }

  /** Whether a personal secret is sealed under a master key other than the current one. */
  isPersonalSealedUnderOldKey(sealed: Sealed): boolean {
    return PERSONAL_PATTERN.exec(sealed)?.[1] !== this.masterKeys.current.id;
  }

  /** The id of the master key a personal secret is sealed under. */
  personalSealMasterKeyId(sealed: Sealed): string {
    const match = PERSONAL_PATTERN.exec(sealed);
    if (!match) throw new SealError('Not a sealed personal secret.');
    return match[1]!;
  }

  /**
   * Re-wraps every data key not yet under the current master key (`vigia keys rotate`). Each row is
   * updated on its own, so running servers (which hold unwrapped keys in memory) never notice, and an
   * interrupted rotation is finished by running it again.
   */
  async rewrapAll(db: Kysely<DB>): Promise<{ rewrapped: number; alreadyCurrent: number }> {
    const rows = await db.selectFrom('organization_keys').select(['organization_id', 'version', 'wrapped_key', 'master_key_id']).execute();
    let rewrapped = 0;
    for (const row of rows) {
      if (row.master_key_id === this.masterKeys.current.id) continue;
      const key = this.unwrap(row.organization_id, row.version, row.wrapped_key, row.master_key_id);
      await db
        .updateTable('organization_keys')
        .set({ wrapped_key: wrap(this.masterKeys.current, row.organization_id, row.version, key), master_key_id: this.masterKeys.current.id })
        .where('organization_id', '=', row.organization_id)
        .where('version', '=', row.version)
        .where('master_key_id', '=', row.master_key_id)
        .execute();
      rewrapped += 1;
    }
    return { rewrapped, alreadyCurrent: rows.length - rewrapped };
  }

  /** Gives every organization that has keys a new data key version; new seals use it, old ones stay readable. */
  async addDataKeyVersions(db: Kysely<DB>): Promise<number> {
    const latest = await db
      .selectFrom('organization_keys')
      .select(['organization_id', (eb) => eb.fn.max('version').as('version')])
      .groupBy('organization_id')
      .execute();
    for (const row of latest) await this.insertDataKey(db, row.organization_id, Number(row.version) + 1);
    return latest.length;
  }

  private async insertDataKey(db: Kysely<DB>, organizationId: string, version: number): Promise<void> {
    const key = randomBytes(32);
    await db
      .insertInto('organization_keys')
      .values({
        organization_id: organizationId,
        version,
        wrapped_key: wrap(this.masterKeys.current, organizationId, version, key),
        master_key_id: this.masterKeys.current.id,
      })
      .onConflict((oc) => oc.columns(['organization_id', 'version']).doNothing())
      .execute();
  }

  private unwrapCached(organizationId: string, version: number, wrapped: string, masterKeyId: string): Buffer {
    const cacheKey = `${organizationId}:${version}`;
    let key = this.cache.get(cacheKey);
    if (!key) {
      key = this.unwrap(organizationId, version, wrapped, masterKeyId);
      this.cache.set(cacheKey, key);
    }
    return key;
  }

  private unwrap(organizationId: string, version: number, wrapped: string, masterKeyId: string): Buffer {
    return openBytes(this.masterKey(masterKeyId).key, Buffer.from(wrapped, 'base64'), wrapAad(organizationId, version));
  }

  private masterKey(id: string): MasterKey {
    const master = [this.masterKeys.current, ...this.masterKeys.previous].find((k) => k.id === id);
    if (!master) {
      throw new SealError(`A key or secret is sealed by master key ${id}, which is not configured: add it to VIGIA_PREVIOUS_MASTER_KEYS.`);
    }
    return master;
  }
}

function wrap(master: MasterKey, organizationId: string, version: number, key: Buffer): string {
  return sealBytes(master.key, key, wrapAad(organizationId, version)).toString('base64');
}

function wrapAad(organizationId: string, version: number): string {
  return `vigia/org-key/v1|${organizationId}|${version}`;
}

function personalAad(userId: string, purpose: string): string {
  return `vigia/personal/v1|${userId}|${purpose}`;
}

function dataAad(organizationId: string, context: string): string {
  return `vigia/sealed/v1|${organizationId}|${context}`;
}
