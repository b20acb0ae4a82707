import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets, codes and refresh tokens are long random values, so a fast SHA-256 digest is the right
 * store (DESIGN §2): nothing of the value itself is kept, and look-ups stay cheap.
 */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored digest in constant time. */
export function matchesDigest(secret: string, digest: string | null | undefined): boolean {
  if (!digest) return false;
  const presented = Buffer.from(secretDigest(secret), 'hex');
  const stored = Buffer.from(digest, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** A new random secret: 256 bits, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
