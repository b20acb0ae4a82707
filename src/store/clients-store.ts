import type { Knex } from 'knex';
import { DuplicateClientError } from '../errors/invalid-registration-error.ts';
import {
  checkRegistration, type AuthMethod, type ClientRegistrationInput, type GrantType, type RegisteredClient,
} from './client-registration.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { readBoolean, readDate, readJson, readOptionalString } from './row-values.ts';
import { matchesDigest, newSecret, secretDigest } from './secret-digest.ts';
import type { TableNames } from './table-names.ts';

/** The result of a registration: the secret appears here once and is stored only as a digest. */
export interface RegistrationResult {
  client: RegisteredClient;
  clientSecret?: string;
}

/** Registered OAuth clients in the plugin's `clients` table (JS API and CLI). */
export class ClientsStore {
  constructor(private readonly knex: Knex, private readonly tables: TableNames) {}

  async register(input: ClientRegistrationInput): Promise<RegistrationResult> {
    const checked = checkRegistration(input);
    const usesSecret = checked.authMethod === 'client_secret_basic' || checked.authMethod === 'client_secret_post';
    const clientSecret = usesSecret ? (checked.clientSecret ?? newSecret()) : undefined;
    const now = new Date();
    try {
      await this.tables.from(this.knex, 'clients').insert({
        client_id: checked.clientId,
        name: checked.name,
        auth_method: checked.authMethod,
        secret_hash: clientSecret ? secretDigest(clientSecret) : null,
        redirect_uris: JSON.stringify(checked.redirectUris),
        scopes: JSON.stringify(checked.scopes),
        grant_types: JSON.stringify(checked.grantTypes),
        launch_url: checked.launchUrl ?? null,
        jwks: checked.jwks ? JSON.stringify(checked.jwks) : null,
        jwks_uri: checked.jwksUri ?? null,
        service_user_id: checked.serviceUserId ?? null,
        access_token_ttl: checked.accessTokenLifetimeSeconds ?? null,
        refresh_token_ttl: checked.refreshTokenLifetimeSeconds ?? null,
        disabled: false,
        created_at: now,
        updated_at: now,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DuplicateClientError(checked.clientId);
      throw error;
    }
    const client = (await this.get(checked.clientId)) as RegisteredClient;
    return clientSecret ? { client, clientSecret } : { client };
  }

  async get(clientId: string): Promise<RegisteredClient | undefined> {
    const row = await this.tables.from(this.knex, 'clients').where({ client_id: clientId }).first();
    return row ? toClient(row) : undefined;
  }

  async list(): Promise<RegisteredClient[]> {
    const rows = await this.tables.from(this.knex, 'clients').select('*').orderBy('client_id');
    return rows.map(toClient);
  }

  /** Removes a client; true when it existed. */
  async remove(clientId: string): Promise<boolean> {
    const deleted = await this.tables.from(this.knex, 'clients').where({ client_id: clientId }).delete();
    return Number(deleted) > 0;
  }

  /** Checks a presented client secret against the stored digest, in constant time. */
  async verifySecret(clientId: string, secret: string): Promise<boolean> {
    const row = await this.tables.from(this.knex, 'clients').where({ client_id: clientId }).first('secret_hash', 'disabled');
    return Boolean(row) && !readBoolean(row.disabled) && matchesDigest(secret, row.secret_hash);
  }
}

function toClient(row: Record<string, unknown>): RegisteredClient {
  return {
    clientId: String(row.client_id),
    name: String(row.name),
    authMethod: row.auth_method as AuthMethod,
    hasSecret: row.secret_hash !== null && row.secret_hash !== undefined,
    redirectUris: readJson<string[]>(row.redirect_uris),
    scopes: readJson<string[]>(row.scopes),
    grantTypes: readJson<GrantType[]>(row.grant_types),
    launchUrl: readOptionalString(row.launch_url),
    jwks: row.jwks ? readJson<{ keys: Record<string, unknown>[] }>(row.jwks) : null,
    jwksUri: readOptionalString(row.jwks_uri),
    serviceUserId: readOptionalString(row.service_user_id),
    accessTokenLifetimeSeconds: row.access_token_ttl === null || row.access_token_ttl === undefined ? null : Number(row.access_token_ttl),
    refreshTokenLifetimeSeconds: row.refresh_token_ttl === null || row.refresh_token_ttl === undefined ? null : Number(row.refresh_token_ttl),
    disabled: readBoolean(row.disabled),
    createdAt: readDate(row.created_at) as Date,
  };
}
