import type { Knex } from 'knex';
import type { RegisteredClient } from '../store/client-registration.ts';
import { ClientsStore } from '../store/clients-store.ts';
import type { TableNames } from '../store/table-names.ts';
import { clientFromVendorJwt, looksLikeJwt, vendorSecretMatches, type VendorCredentialSettings } from './vendor-credentials.ts';

/**
 * Finds clients for the OAuth endpoints: registered ones in the clients table, and, when the vendor's
 * certificate is configured, applications whose client id and secret are JWTs from the vendor's
 * developer portal. A vendor client is known by `vendor:<application id>`; its registration is read
 * from the client id JWT each time the app presents it (the authorization flow keeps that JWT with its
 * transaction), so nothing about it is stored or remembered between requests.
 */
export class ClientResolver extends ClientsStore {
  constructor(knex: Knex, tables: TableNames, private readonly vendor: VendorCredentialSettings | undefined) {
    super(knex, tables);
  }

  override async get(clientId: string): Promise<RegisteredClient | undefined> {
    if (this.vendor && looksLikeJwt(clientId)) return clientFromVendorJwt(this.vendor, clientId);
    if (clientId.startsWith('vendor:')) return undefined;
    return super.get(clientId);
  }

  override async verifySecret(clientId: string, secret: string): Promise<boolean> {
    if (clientId.startsWith('vendor:')) return this.vendor ? vendorSecretMatches(this.vendor, clientId, secret) : false;
    return super.verifySecret(clientId, secret);
  }
}
