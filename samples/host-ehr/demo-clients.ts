import { readFile } from 'node:fs/promises';
import type { JsonWebKey } from 'node:crypto';
import type { Knex } from 'knex';
import type { ClientRegistrationInput, SmartPlugin } from '../../src/index.ts';

/** The part of the plugin this module needs: its client registry. */
export type DemoClientRegistry = Pick<SmartPlugin, 'clients'>;

/** Client secrets of the demo. Demo only: public in this repository, never use them elsewhere. */
export const demoClientSecrets = {
  'demo-confidential': 'demo-confidential-secret',
  'svc-client': 'svc-client-secret',
} as const;

/** Scopes the interactive demo apps may ask for: SMART v2 (`.rs`) and v1 (`.read`) forms. */
export const demoAppScopes = [
  'launch', 'launch/patient', 'openid', 'fhirUser', 'offline_access', 'online_access',
  'patient/*.rs', 'user/*.rs', 'patient/*.read', 'user/*.read',
];

export const backendClientPublicJwkFile = new URL('../keys/backend-client.public.jwk.json', import.meta.url);

/**
 * Registers the demo clients that do not exist yet, and returns the ids it registered.
 * `origin` is where the EHR is served (e.g. http://localhost:3000): the sample SMART app lives under it.
 */
export async function seedDemoClients(plugin: DemoClientRegistry, options: { origin: string; knex: Knex }): Promise<string[]> {
  const registered: string[] = [];
  for (const registration of await demoClients(options)) {
    // Never overwrite: an operator may have changed a demo client (or its secret) since.
    if (await plugin.clients.get(registration.clientId)) continue;
    await plugin.clients.register(registration);
    registered.push(registration.clientId);
  }
  return registered;
}

async function demoClients({ origin, knex }: { origin: string; knex: Knex }): Promise<ClientRegistrationInput[]> {
  const appPage = `${origin}/apps/demo/`;
  // The second redirect URI serves native and command-line tools that listen on a loopback port.
  const redirectUris = [appPage, 'http://127.0.0.1:8765/callback'];
  const interactive = {
    redirectUris, scopes: demoAppScopes, grantTypes: ['authorization_code', 'refresh_token'] as ClientRegistrationInput['grantTypes'],
    launchUrl: `${appPage}launch`,
  };
  return [
    { clientId: 'demo-app', name: 'Demo SMART app (public)', authMethod: 'none', ...interactive },
    {
      clientId: 'demo-confidential', name: 'Demo SMART app (confidential)', authMethod: 'client_secret_basic',
      clientSecret: demoClientSecrets['demo-confidential'], ...interactive,
    },
    {
      // A service application: signs in as an EHR user holding "API Server User" (password grant).
      clientId: 'svc-client', name: 'Demo service application', authMethod: 'client_secret_basic',
      clientSecret: demoClientSecrets['svc-client'], redirectUris: [],
      scopes: ['openid', 'fhirUser', 'offline_access', 'user/*.rs', 'user/*.read'], grantTypes: ['password', 'refresh_token'],
    },
    {
      // SMART Backend Services: acts as svc-portal, so the EHR's permissions of that user apply.
      clientId: 'backend-client', name: 'Demo backend service', authMethod: 'private_key_jwt', redirectUris: [],
      scopes: ['system/*.rs', 'system/*.read'], grantTypes: ['client_credentials'],
      jwks: { keys: [await backendClientPublicJwk()] }, serviceUserId: await userIdOf(knex, 'svc-portal'),
    },
  ];
}

/** The public half of the committed demo key pair (`samples/keys`); it holds no private member. */
export async function backendClientPublicJwk(): Promise<JsonWebKey> {
  const jwk = JSON.parse(await readFile(backendClientPublicJwkFile, 'utf8')) as JsonWebKey;
  if (jwk.d !== undefined) throw new Error(`${backendClientPublicJwkFile.pathname} must hold a public key only`);
  return jwk;
}

async function userIdOf(knex: Knex, loginName: string): Promise<string> {
  const row: { user_id: unknown } | undefined = await knex('smart_host_users').select('user_id').where('login_name', loginName).first();
  if (!row) throw new Error(`the host has no user ${loginName}; run prepareHostDatabase first`);
  return String(row.user_id);
}
