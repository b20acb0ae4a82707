import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT, importPKCS8, type CryptoKey, type KeyObject } from 'jose';
import { keepAliveAgent } from '../support/http-load.ts';
import {
  BACKEND_CLIENT, BACKEND_KID, BACKEND_PRIVATE_KEY_FILE, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, JWT_BEARER, REDIRECT_URI,
  SYSTEM_SCOPE, basicAuthorization, type ServerReady,
} from './bench-clients.ts';
import type { CodeMinter } from './mint-codes.ts';
import { mapConcurrent, postToken, type PreparedRequest } from './token-load.ts';

export const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantName = (typeof GRANTS)[number];

/** One server under test, with what it takes to prepare requests for it. */
export interface Side {
  label: 'ours' | 'peer';
  server: ServerReady;
  tokenUrl: URL;
  codes: CodeMinter;
}

const CONFIDENTIAL_BASIC = { authorization: basicAuthorization(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET) };

/** `size` single-use token requests of one grant for one side, everything minted and signed beforehand. */
export async function preparePool(grant: GrantName, side: Side, size: number, concurrency: number): Promise<PreparedRequest[]> {
  switch (grant) {
    case 'authorization_code':
      return (await side.codes.mint(size)).map(codeExchange);
    case 'refresh_token':
      return (await refreshTokens(side, size, concurrency)).map((token) => ({
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(), headers: CONFIDENTIAL_BASIC, presented: token,
      }));
    case 'client_credentials':
      return clientCredentialRequests(side, size);
  }
}

/** Whether a 200 answer is the token response the grant must give; a problem to report otherwise. */
export function checkAnswer(grant: GrantName): (json: Record<string, unknown>, prepared: PreparedRequest) => string | undefined {
  return (json, prepared) => {
    if (typeof json.access_token !== 'string' || json.token_type !== 'Bearer') return `no Bearer access_token: ${JSON.stringify(json).slice(0, 200)}`;
    if (grant === 'client_credentials') return json.refresh_token === undefined ? undefined : 'a refresh_token for client_credentials';
    if (typeof json.refresh_token !== 'string') return 'no refresh_token';
    if (grant === 'authorization_code' && typeof json.id_token !== 'string') return 'no id_token';
    if (grant === 'refresh_token' && json.refresh_token === prepared.presented) return 'the refresh token was not rotated';
    return undefined;
  };
}

function codeExchange({ code, verifier }: { code: string; verifier: string }): PreparedRequest {
  return {
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
    headers: CONFIDENTIAL_BASIC,
  };
}

/** Fresh refresh tokens: codes exchanged at the side's own token endpoint (not timed). */
async function refreshTokens(side: Side, size: number, concurrency: number): Promise<string[]> {
  const agent = keepAliveAgent(concurrency);
  try {
    return await mapConcurrent(await side.codes.mint(size), concurrency, async (code) => {
      const answer = await postToken(agent, side.tokenUrl, codeExchange(code), 10_000);
      const token = answer.status === 200 ? (JSON.parse(answer.text) as { refresh_token?: unknown }).refresh_token : undefined;
      if (typeof token !== 'string') throw new Error(`${side.label}: minting a refresh token failed: ${answer.status} ${answer.text.slice(0, 200)}`);
      return token;
    });
  } finally {
    agent.destroy();
  }
}

let backendKey: Promise<CryptoKey | KeyObject> | undefined;

/**
 * SMART Backend Services token requests, each with its own `private_key_jwt` assertion (RFC 7523 §3):
 * RS384 with the demo key, aud = the side's token endpoint, a fresh jti, valid four minutes from now.
 */
async function clientCredentialRequests(side: Side, size: number): Promise<PreparedRequest[]> {
  backendKey ??= readFile(BACKEND_PRIVATE_KEY_FILE, 'utf8').then((pem) => importPKCS8(pem, 'RS384'));
  const key = await backendKey;
  const now = Math.floor(Date.now() / 1000);
  const pool: PreparedRequest[] = [];
  for (let i = 0; i < size; i++) {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS384', kid: BACKEND_KID, typ: 'JWT' })
      .setIssuer(BACKEND_CLIENT).setSubject(BACKEND_CLIENT).setAudience(side.server.tokenEndpoint)
      .setIssuedAt(now).setExpirationTime(now + 240).setJti(randomUUID())
      .sign(key);
    pool.push({
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: SYSTEM_SCOPE, client_assertion_type: JWT_BEARER, client_assertion: assertion }).toString(),
      headers: {},
    });
  }
  return pool;
}
