import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

/**
 * Verifies a password against the host's stored hash, in the two self-describing formats the plugin
 * understands out of the box:
 *   scrypt$N$r$p$<salt base64>$<hash base64>
 *   pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>
 * Any other format is refused (false): a host with its own scheme replaces `hostDirectory.verifyPassword`.
 */
export async function verifyPasswordHash(password: string, stored: string | null): Promise<boolean> {
  if (!stored || typeof password !== 'string' || password.length === 0 || password.length > 1024) return false;
  const parts = stored.split('$');
  try {
    if (parts[0] === 'scrypt' && parts.length === 6) return await checkScrypt(password, parts);
    if (parts[0] === 'pbkdf2-sha256' && parts.length === 4) return await checkPbkdf2(password, parts);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
  return false;
}

async function checkScrypt(password: string, parts: string[]): Promise<boolean> {
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every(Number.isInteger) || N < 2 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (expected.length < 16) return false;
  const actual = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

async function checkPbkdf2(password: string, parts: string[]): Promise<boolean> {
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1_000 || iterations > 10_000_000) return false;
  const salt = Buffer.from(parts[2] as string, 'base64');
  const expected = Buffer.from(parts[3] as string, 'base64');
  if (expected.length < 16) return false;
  const actual = await pbkdf2Async(password, salt, iterations, expected.length, 'sha256');
  return timingSafeEqual(actual, expected);
}
