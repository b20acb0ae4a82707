import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { openPrivateKey, sealPrivateKey } from './key-protection.ts';
import { readDate } from './row-values.ts';
import type { TableNames } from './table-names.ts';

/** A key the plugin signs with (active) or still publishes for verification (retiring). */
export interface SigningKey {
  kid: string;
  alg: 'RS256';
  status: 'active' | 'retiring';
  publicJwk: Record<string, unknown>;
  privateKey: KeyObject | undefined;
  publicKey: KeyObject;
  createdAt: Date;
}

/**
 * The plugin's own token signing keys, stored in `signing_keys` with the private half sealed under a key
 * derived from the plugin secret. Generated on first use; rotated from the CLI (`keys rotate`): the new
 * key signs, the old one stays published until every token it signed has expired.
 */
export class SigningKeyStore {
  private cache: { keys: SigningKey[]; loadedAt: number } | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly tables: TableNames,
    private readonly sealingKey: Buffer,
    /** How long a replaced key stays published: the longest access token lifetime. */
    private readonly retireAfterSeconds: number,
    private readonly reloadMs = 30_000,
  ) {}

  /** The newest active key, generating one when none exists yet. */
  async signingKey(): Promise<SigningKey & { privateKey: KeyObject }> {
    let active = (await this.published()).find((k) => k.status === 'active' && k.privateKey);
    if (!active) {
      // None yet, or only keys sealed under another secret: those retire, a new one signs.
      await this.rotate();
      active = (await this.published(true)).find((k) => k.status === 'active' && k.privateKey);
    }
    if (!active?.privateKey) throw new Error('no usable signing key: was the plugin secret changed?');
    return active as SigningKey & { privateKey: KeyObject };
  }

  /** Keys to publish in `jwks` and to verify with: active and retiring, newest first. */
  async published(reload = false): Promise<SigningKey[]> {
    // A forced reload (an unknown kid) is honoured at most every few seconds, so tokens with made-up
    // kids cannot turn every request into a database read.
    const age = this.cache ? Date.now() - this.cache.loadedAt : Infinity;
    if (this.cache && (reload ? age < 5_000 : age < this.reloadMs)) return this.cache.keys;
    const now = new Date();
    const rows = await this.tables.from(this.knex, 'signing_keys').whereIn('status', ['active', 'retiring'])
      .orderBy('created_at', 'desc').orderBy('kid');
    const keys = rows
      .filter((row: Record<string, unknown>) => row.status === 'active' || (readDate(row.retire_after) ?? now) > now)
      .map((row: Record<string, unknown>) => this.toKey(row));
    this.cache = { keys, loadedAt: Date.now() };
    return keys;
  }

  /** Makes a new key the signing key; the previous ones stay published until their tokens have expired. */
  async rotate(): Promise<string> {
    const retireAfter = new Date(Date.now() + this.retireAfterSeconds * 1000);
    await this.tables.from(this.knex, 'signing_keys').where({ status: 'active' }).update({ status: 'retiring', retire_after: retireAfter });
    const kid = await this.generate();
    this.cache = undefined;
    return kid;
  }

  private async generate(): Promise<string> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomBytes(12).toString('base64url');
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    await this.tables.from(this.knex, 'signing_keys').insert({
      kid,
      alg: 'RS256',
      public_jwk: JSON.stringify(jwk),
      private_key: sealPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, this.sealingKey),
      private_key_protection: 'aes-256-gcm',
      status: 'active',
      created_at: new Date(),
      retire_after: null,
    });
    return kid;
  }

  private toKey(row: Record<string, unknown>): SigningKey {
    const publicJwk = JSON.parse(String(row.public_jwk)) as Record<string, unknown>;
    let privateKey: KeyObject | undefined;
    try {
      privateKey = createPrivateKey(openPrivateKey(String(row.private_key), this.sealingKey));
    } catch {
      // Sealed under another secret: still published for verification, never used to sign.
      privateKey = undefined;
    }
    return {
      kid: String(row.kid),
      alg: 'RS256',
      status: row.status as SigningKey['status'],
      publicJwk,
      privateKey,
      publicKey: createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' }),
      createdAt: readDate(row.created_at) as Date,
    };
  }
}
