import type { Knex } from 'knex';
import type { ClientsStore } from '../store/clients-store.ts';
import type { Grant, GrantsStore, SubjectType } from '../store/grants-store.ts';
import type { TokensStore } from '../store/tokens-store.ts';

/** An app a user has authorized, as a patient portal or an administrator lists it. */
export interface AuthorizedApp {
  grantId: string;
  clientId: string;
  clientName: string;
  patientId: string | null;
  scope: string[];
  authorizedAt: Date;
  lastChangedAt: Date;
}

/** Who the grants belong to: an EHR user (staff or service) or a patient-portal identity. */
export type GrantOwner = { userId: string } | { portalIdentity: string };

/**
 * The host's API over stored approvals (DESIGN §4; the seed's "activate or deactivate the 3rd party
 * application access ... at any time"): list a person's authorized apps, and revoke one, which
 * stops every token issued under it.
 */
export class GrantsApi {
  constructor(
    private readonly knex: Knex,
    private readonly grants: GrantsStore,
    private readonly tokens: TokensStore,
    private readonly clients: ClientsStore,
  ) {}

  async list(owner: GrantOwner): Promise<AuthorizedApp[]> {
    const [type, id] = ownerKey(owner);
    const grants = await this.grants.listActive(type, id);
    return Promise.all(grants.map(async (grant) => this.toApp(grant)));
  }

  /** Revokes a grant and its tokens; false when it does not exist, is revoked already, or belongs to someone else. */
  async revoke(grantId: string, options: { owner?: GrantOwner; reason?: string } = {}): Promise<boolean> {
    const grant = await this.grants.get(grantId);
    if (!grant || grant.revokedAt) return false;
    if (options.owner) {
      const [type, id] = ownerKey(options.owner);
      if (grant.subjectType !== type || grant.subjectId !== id) return false;
    }
    return this.knex.transaction(async (trx) => {
      const changed = await this.grants.revoke(grantId, options.reason ?? 'revoked-by-host', trx);
      await this.tokens.revokeGrant(grantId, trx);
      return changed;
    });
  }

  private async toApp(grant: Grant): Promise<AuthorizedApp> {
    const client = await this.clients.get(grant.clientId);
    return {
      grantId: grant.grantId, clientId: grant.clientId, clientName: client?.name ?? grant.clientId, patientId: grant.patientId,
      scope: grant.scope, authorizedAt: grant.createdAt, lastChangedAt: grant.updatedAt,
    };
  }
}

function ownerKey(owner: GrantOwner): [SubjectType, string] {
  return 'userId' in owner ? ['user', owner.userId] : ['portal', owner.portalIdentity];
}
