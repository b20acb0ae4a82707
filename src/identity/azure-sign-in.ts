import type { Passport } from 'passport';
import type { AzureTenantOptions, ResolvedAzureOptions } from '../config/options.ts';
import type { PluginSession } from '../http/plugin-session.ts';
import { AzureHttpClient } from './azure-http-client.ts';
import { createAzureStrategy } from './passport-azure-ad-adapter.ts';

export type AzureTenant = ResolvedAzureOptions['tenants'][number];

/** An Azure AD sign-in under way: which authorization it belongs to and which strategy must finish it. */
export interface AzureFlow {
  transactionId: string;
  strategy: string;
  method: 'azure-b2b' | 'azure-b2c';
  /** B2B: the tenant whose id the token must carry. */
  tenantId?: string;
  expiresAt: number;
}

const MAX_FLOWS = 5;

/**
 * The configured Azure AD sign-ins of one plugin instance: a strategy per B2B tenant and one for B2C,
 * registered on the plugin's own Passport instance, and the sign-ins each browser session has started.
 */
export class AzureSignIn {
  readonly tenants: readonly AzureTenant[];
  readonly policies: readonly string[];
  /** Origins the sign-in page's email form may end up at after the start route's redirect (CSP form-action). */
  readonly formTargets: readonly string[];
  private readonly lifetimeSeconds: number;

  constructor(
    private readonly options: ResolvedAzureOptions,
    passport: InstanceType<typeof Passport>,
    settings: { callbackUrl: string; development: boolean; stateLifetimeSeconds: number },
  ) {
    this.tenants = options.tenants;
    this.policies = options.b2c?.policies ?? [];
    this.formTargets = [...new Set(options.tenants.map((tenant) => new URL(tenant.metadataUrl).origin))];
    this.lifetimeSeconds = settings.stateLifetimeSeconds;
    const http = new AzureHttpClient({ trustedCa: options.trustedCa, timeoutMs: options.requestTimeoutMs });
    const common = { redirectUrl: settings.callbackUrl, allowHttpRedirect: settings.development, stateLifetimeSeconds: settings.stateLifetimeSeconds, http };
    for (const tenant of options.tenants) {
      passport.use(createAzureStrategy({ ...common, name: strategyOf(tenant), metadataUrl: tenant.metadataUrl, clientId: tenant.clientId, clientSecret: tenant.clientSecret, isB2C: false }));
    }
    if (options.b2c) {
      const { metadataUrl, clientId, clientSecret } = options.b2c;
      passport.use(createAzureStrategy({ ...common, name: B2C_STRATEGY, metadataUrl, clientId, clientSecret, isB2C: true }));
    }
  }

  get enabled(): boolean {
    return this.tenants.length > 0 || this.policies.length > 0;
  }

  /** With one tenant, its staff need not say who they are; with several, their email domain picks the tenant. */
  tenantFor(email: string | undefined): AzureTenant | undefined {
    const domain = email?.trim().toLowerCase().split('@')[1];
    const byDomain = domain ? this.tenants.find((tenant) => tenant.domains.includes(domain)) : undefined;
    if (byDomain) return byDomain;
    const only = this.tenants.length === 1 ? this.tenants[0] : undefined;
    return only && (!domain || only.domains.length === 0) ? only : undefined;
  }

  /** A configured policy named by the request (any case), or the first one. */
  policyFor(requested: string | undefined): string | undefined {
    if (requested === undefined || requested === '') return this.policies[0];
    return this.policies.find((policy) => policy.toLowerCase() === requested.toLowerCase());
  }

  strategyFor(tenant: AzureTenant): string {
    return strategyOf(tenant);
  }

  get b2cStrategy(): string {
    return B2C_STRATEGY;
  }

  /** Remembers a started sign-in under its OAuth state, in this browser's plugin session. */
  async remember(session: PluginSession, state: string, flow: Omit<AzureFlow, 'expiresAt'>): Promise<void> {
    const flows = flowsOf(session);
    flows[state] = { ...flow, expiresAt: Date.now() + this.lifetimeSeconds * 1000 };
    const newestFirst = Object.keys(flows).sort((a, b) => (flows[b]?.expiresAt ?? 0) - (flows[a]?.expiresAt ?? 0));
    for (const old of newestFirst.slice(MAX_FLOWS)) delete flows[old];
    await session.save();
  }

  /** The sign-in a callback's state names, used once: undefined when unknown here, expired or already used. */
  take(session: PluginSession, state: unknown): AzureFlow | undefined {
    if (typeof state !== 'string' || state === '') return undefined;
    const flows = flowsOf(session);
    const flow = Object.hasOwn(flows, state) ? flows[state] : undefined;
    delete flows[state];
    return flow && flow.expiresAt > Date.now() ? flow : undefined;
  }
}

const B2C_STRATEGY = 'azure-b2c';

function strategyOf(tenant: Pick<AzureTenantOptions, 'tenantId'>): string {
  return `azure-b2b:${tenant.tenantId}`;
}

function flowsOf(session: PluginSession): Record<string, AzureFlow> {
  const bag = (session.data.azure ??= {});
  bag.flows ??= {};
  return bag.flows as Record<string, AzureFlow>;
}
