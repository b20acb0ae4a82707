import type { Request } from 'express';
import { InvalidClient, InvalidRequest } from '../errors/oauth-errors.ts';
import type { RegisteredClient } from '../store/client-registration.ts';
import type { ClientsStore } from '../store/clients-store.ts';
import { JWT_BEARER, type ClientAssertionVerifier } from './client-assertion.ts';

/** How the client proved itself at this request. */
export type ClientAuthentication = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

export interface AuthenticatedClient {
  client: RegisteredClient;
  method: ClientAuthentication;
}

/**
 * Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3, §3.2.1;
 * RFC 7523 §2.2). A client authenticates with exactly the method it registered; a public client only
 * names itself. Every failure is the same `invalid_client`, so a caller learns nothing about which
 * client ids exist.
 */
export async function authenticateClient(
  req: Request, clients: ClientsStore, assertions: ClientAssertionVerifier,
): Promise<AuthenticatedClient> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const basic = parseBasic(req.headers.authorization);
  const methods = [basic && 'basic', body.client_secret !== undefined && 'post', body.client_assertion !== undefined && 'jwt'].filter(Boolean);
  if (methods.length > 1) throw new InvalidRequest('Use exactly one client authentication method.');
  const clientId = basic?.clientId ?? stringParam(body.client_id) ?? assertionIssuer(body.client_assertion);
  if (!clientId) throw new InvalidClient('Client authentication failed.');
  if (basic && body.client_id !== undefined && body.client_id !== basic.clientId) {
    throw new InvalidRequest('client_id does not match the authenticated client.');
  }
  const client = await clients.get(clientId);
  if (!client || client.disabled) throw new InvalidClient('Client authentication failed.');
  const method = await check(client, body, basic, clients, assertions);
  return { client, method };
}

async function check(
  client: RegisteredClient, body: Record<string, unknown>, basic: Basic | undefined,
  clients: ClientsStore, assertions: ClientAssertionVerifier,
): Promise<ClientAuthentication> {
  const fail = () => new InvalidClient('Client authentication failed.');
  switch (client.authMethod) {
    case 'none':
      if (basic || body.client_secret !== undefined || body.client_assertion !== undefined) throw fail();
      return 'none';
    case 'client_secret_basic':
    case 'client_secret_post': {
      const secret = basic?.secret ?? stringParam(body.client_secret);
      if (!secret || !(await clients.verifySecret(client.clientId, secret))) throw fail();
      return basic ? 'client_secret_basic' : 'client_secret_post';
    }
    case 'private_key_jwt': {
      if (body.client_assertion_type !== JWT_BEARER || typeof body.client_assertion !== 'string') throw fail();
      await assertions.verify(client, body.client_assertion);
      return 'private_key_jwt';
    }
  }
}

interface Basic {
  clientId: string;
  secret: string;
}

/** RFC 6749 §2.3.1: both parts are form-urlencoded before base64. */
function parseBasic(header: string | undefined): Basic | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new InvalidClient('Client authentication failed.');
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClient('Client authentication failed.');
  }
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The client id of an assertion (its unverified `iss`), only to find the keys to verify it with. */
function assertionIssuer(assertion: unknown): string | undefined {
  if (typeof assertion !== 'string') return undefined;
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}
