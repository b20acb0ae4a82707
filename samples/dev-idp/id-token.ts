import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import type { DevIdentity, DevTenant } from './directory.ts';

/**
 * Test-only distortions of an id_token, honoured only when the dev-idp was started with `testKnobs: true`,
 * so the tests can prove the plugin refuses each one.
 */
export type Tamper = 'issuer' | 'audience' | 'nonce' | 'expired' | 'signature' | 'other-tenant';
export const TAMPERS: readonly Tamper[] = ['issuer', 'audience', 'nonce', 'expired', 'signature', 'other-tenant'];
/** The `tid` an `other-tenant` token carries: a tenant the plugin is not configured for. */
export const OTHER_TENANT_ID = '0e4e0000-0000-4000-8000-0000000e4e00';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  /** Signs `signature`-tampered tokens under the same kid. */
  wrongKey: CryptoKey;
  jwks: { keys: JWK[] };
}

export async function signingKeys(): Promise<SigningKeys> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const wrong = await generateKeyPair('RS256');
  return { kid, privateKey, wrongKey: wrong.privateKey, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' }] } };
}

export interface IdTokenInput {
  tenant: DevTenant;
  identity: DevIdentity;
  issuer: string;
  clientId: string;
  nonce: string;
  policy: string | undefined;
  tamper: Tamper | undefined;
}

/** An Azure-shaped v2.0 id_token: `tid`, `oid`, `preferred_username` (B2B) or `emails`, `tfp`, `acr` (B2C). */
export async function idToken(keys: SigningKeys, input: IdTokenInput): Promise<string> {
  const { tenant, identity, tamper } = input;
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = tamper === 'expired' ? now - 7200 : now;
  const claims: Record<string, unknown> = {
    oid: identity.objectId, name: identity.name, nonce: tamper === 'nonce' ? 'not-the-nonce-you-sent' : input.nonce, auth_time: issuedAt,
    tid: tamper === 'other-tenant' ? OTHER_TENANT_ID : tenant.tenantId, ver: tenant.b2c ? '1.0' : '2.0',
    ...(tenant.b2c
      ? { emails: [identity.email], tfp: input.policy, acr: input.policy?.toLowerCase() }
      : { preferred_username: identity.email, email: identity.email }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: keys.kid, typ: 'JWT' })
    .setIssuer(tamper === 'issuer' ? 'https://login.example.invalid/not-this-tenant/v2.0' : input.issuer)
    .setAudience(tamper === 'audience' ? 'another-application' : input.clientId)
    .setSubject(identity.objectId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + 3600)
    .sign(tamper === 'signature' ? keys.wrongKey : keys.privateKey);
}
