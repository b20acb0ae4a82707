import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * The host EHR's own password hash format: `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`.
 * The plugin's default verifier understands the same format, so staff sign in to SMART apps with the
 * password they use in the EHR; the plugin never stores or re-hashes it.
 */
const cost = { N: 16384, r: 8, p: 1 } as const;
const saltBytes = 16;
const keyBytes = 32;
// Refuse absurd parameters from a tampered row rather than burning memory and CPU on them.
const maxCost = { N: 1 << 17, r: 16, p: 4 };

function deriveKey(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  // Asynchronous, so a sign-in does not block the event loop for the ~50 ms scrypt takes.
  return new Promise((resolve, reject) => {
    const maxmem = 256 * (options.N ?? cost.N) * (options.r ?? cost.r) + 1024 * 1024;
    scrypt(password, salt, keylen, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await deriveKey(password, salt, keyBytes, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await deriveKey(password, parsed.salt, parsed.hash.length, parsed.options);
  return timingSafeEqual(actual, parsed.hash);
}

function parseHash(stored: string | null | undefined) {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d+$/.test(part) ? Number(part) : NaN)) as [number, number, number];
  if (!(N > 1 && N <= maxCost.N && (N & (N - 1)) === 0 && r >= 1 && r <= maxCost.r && p >= 1 && p <= maxCost.p)) {
    return undefined;
  }
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const hash = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { options: { N, r, p }, salt, hash };
}

/**
 * A well-formed hash of no one's password. Checking a password against it when the login name is
 * unknown makes "no such user" take as long as "wrong password", so timing does not reveal logins.
 */
export const unknownUserHash =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
