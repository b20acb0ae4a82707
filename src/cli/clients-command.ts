import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClientRegistrationInput } from '../store/client-registration.ts';
import type { ClientsStore } from '../store/clients-store.ts';
import type { CliOutput } from './cli-output.ts';
import { UsageError } from './cli-output.ts';

/** `smart-ehr-plugin clients add|list|remove`: the CLI face of the ClientsStore. */
export async function clientsCommand(args: string[], clients: ClientsStore, out: CliOutput): Promise<void> {
  const [action, ...rest] = args;
  if (action === 'add') return addClient(rest, clients, out);
  if (action === 'list') return listClients(rest, clients, out);
  if (action === 'remove') return removeClient(rest, clients, out);
  throw new UsageError('clients needs one of: add, list, remove');
}

async function addClient(args: string[], clients: ClientsStore, out: CliOutput): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      'auth-method': { type: 'string', default: 'none' },
      'redirect-uri': { type: 'string', multiple: true },
      scope: { type: 'string' },
      'grant-type': { type: 'string', multiple: true },
      'launch-url': { type: 'string' },
      'jwks-file': { type: 'string' },
      'jwks-uri': { type: 'string' },
      'service-user': { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'refresh-token-ttl': { type: 'string' },
    },
  });
  if (!values.id) throw new UsageError('clients add needs --id');
  const input: ClientRegistrationInput = {
    clientId: values.id,
    authMethod: values['auth-method'] as ClientRegistrationInput['authMethod'],
    redirectUris: values['redirect-uri'] ?? [],
    scopes: (values.scope ?? '').split(/\s+/).filter(Boolean),
    grantTypes: (values['grant-type'] ?? ['authorization_code', 'refresh_token']) as ClientRegistrationInput['grantTypes'],
  };
  if (values.name) input.name = values.name;
  if (values['launch-url']) input.launchUrl = values['launch-url'];
  if (values['jwks-file']) input.jwks = JSON.parse(readFileSync(values['jwks-file'], 'utf8'));
  if (values['jwks-uri']) input.jwksUri = values['jwks-uri'];
  if (values['service-user']) input.serviceUserId = values['service-user'];
  if (values['access-token-ttl']) input.accessTokenLifetimeSeconds = Number(values['access-token-ttl']);
  if (values['refresh-token-ttl']) input.refreshTokenLifetimeSeconds = Number(values['refresh-token-ttl']);
  const { client, clientSecret } = await clients.register(input);
  out.line(`Registered client ${client.clientId} (${client.authMethod}).`);
  if (clientSecret) {
    out.line(`Client secret (shown once; only its hash is stored): ${clientSecret}`);
  }
}

async function listClients(args: string[], clients: ClientsStore, out: CliOutput): Promise<void> {
  const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean', default: false } } });
  const all = await clients.list();
  if (values.json) {
    out.line(JSON.stringify(all, null, 2));
    return;
  }
  if (all.length === 0) {
    out.line('No clients registered.');
    return;
  }
  out.line(['CLIENT ID', 'AUTH METHOD', 'GRANT TYPES', 'REDIRECT URIS'].join('\t'));
  for (const c of all) {
    out.line([c.clientId, c.authMethod, c.grantTypes.join(','), c.redirectUris.join(' ')].join('\t'));
  }
}

async function removeClient(args: string[], clients: ClientsStore, out: CliOutput): Promise<void> {
  const { values } = parseArgs({ args, strict: true, options: { id: { type: 'string' } } });
  if (!values.id) throw new UsageError('clients remove needs --id');
  if (!(await clients.remove(values.id))) throw new UsageError(`no client with id ${values.id}`, 1);
  out.line(`Removed client ${values.id}.`);
}
