import { createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { ConfigurationError } from '../errors/configuration-error.ts';
import { DEFAULTS } from './defaults.ts';
import { booleanAt, functionAt, integerAt, nonEmptyStringAt, objectAt, onlyKeys } from './option-checks.ts';
import type { ResolvedOptions, SignInLimits, SmartPluginOptions, TokenLifetimes } from './options.ts';

type AuthOptions = Pick<ResolvedOptions, 'secret' | 'tokens' | 'signIn' | 'currentHostUser' | 'allowClientCredentialsWithSecret' | 'vendorCredentials'>;

/** The authorization server's options: secret, lifetimes, sign-in limits, host session hook. */
export function resolveAuthOptions(options: Partial<SmartPluginOptions>, development: boolean): AuthOptions {
  if (options.currentHostUser !== undefined) functionAt('currentHostUser', options.currentHostUser);
  return {
    secret: resolveSecret(options.secret, development),
    tokens: resolveNumbers('tokens', options.tokens, DEFAULTS.tokens, {
      accessTokenSeconds: [60, 86_400],
      offlineRefreshTokenSeconds: [300, 366 * 86_400],
      onlineRefreshTokenSeconds: [300, 7 * 86_400],
      codeSeconds: [10, 600],
      launchSeconds: [30, 3600],
      sessionSeconds: [60, 86_400],
    }),
    signIn: resolveNumbers('signIn', options.signIn, DEFAULTS.signIn, {
      maxFailuresPerAccount: [1, 100],
      maxFailuresPerAddress: [1, 10_000],
      windowSeconds: [10, 86_400],
      lockoutSeconds: [10, 86_400],
    }),
    currentHostUser: options.currentHostUser,
    allowClientCredentialsWithSecret: booleanAt('allowClientCredentialsWithSecret', options.allowClientCredentialsWithSecret, false),
    vendorCredentials: resolveVendorCredentials(options.vendorCredentials),
  };
}

function resolveVendorCredentials(value: unknown): ResolvedOptions['vendorCredentials'] {
  if (value === undefined) return undefined;
  const given = objectAt('vendorCredentials', value);
  onlyKeys('vendorCredentials', given, ['certificate', 'issuer']);
  const issuer = nonEmptyStringAt('vendorCredentials.issuer', given.issuer);
  const pem = nonEmptyStringAt('vendorCredentials.certificate', given.certificate);
  try {
    const publicKey = pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    return { publicKey, issuer };
  } catch {
    throw new ConfigurationError('vendorCredentials.certificate', 'a PEM certificate or public key');
  }
}

function resolveSecret(value: unknown, development: boolean): Buffer {
  if (value === undefined) {
    if (development) return randomBytes(32);
    throw new ConfigurationError('secret', 'at least 32 characters of secret, the same on every instance (required unless development is true)');
  }
  if (typeof value !== 'string' || value.length < 32) {
    throw new ConfigurationError('secret', 'a string of at least 32 characters');
  }
  return Buffer.from(value, 'utf8');
}

function resolveNumbers<T extends TokenLifetimes | SignInLimits>(
  path: string, value: unknown, defaults: T, ranges: Record<keyof T, [number, number]>,
): T {
  const given = objectAt(path, value);
  onlyKeys(path, given, Object.keys(defaults));
  const resolved = { ...defaults };
  for (const [key, [min, max]] of Object.entries(ranges) as [keyof T & string, [number, number]][]) {
    (resolved as unknown as Record<string, number>)[key] = integerAt(`${path}.${key}`, given[key], defaults[key] as number, min, max);
  }
  return resolved;
}
