import { X509Certificate } from 'node:crypto';
import { ConfigurationError } from '../errors/configuration-error.ts';
import { DEFAULTS } from './defaults.ts';
import { integerAt, nonEmptyStringAt, objectAt, onlyKeys } from './option-checks.ts';
import type { AzureB2cOptions, ResolvedAzureOptions } from './options.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// passport-azure-ad's own policy pattern (lib/constants.js POLICY_REGEX): user flows and custom policies.
const POLICY = /^b2c_1a?_[0-9a-z._-]+$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The `azure` option (DESIGN §3): B2B organization tenants, the B2C tenant, and what to trust. */
export function resolveAzureOptions(value: unknown): ResolvedAzureOptions {
  const azure = objectAt('azure', value);
  onlyKeys('azure', azure, ['b2b', 'b2c', 'trustedCa', 'requestTimeoutMs']);
  return {
    tenants: resolveTenants(azure.b2b),
    b2c: azure.b2c === undefined ? undefined : resolveB2c(azure.b2c),
    trustedCa: azure.trustedCa === undefined ? undefined : resolveTrustedCa(azure.trustedCa),
    requestTimeoutMs: integerAt('azure.requestTimeoutMs', azure.requestTimeoutMs, DEFAULTS.azureRequestTimeoutMs, 100, 60_000),
  };
}

function resolveTenants(value: unknown): ResolvedAzureOptions['tenants'] {
  if (value === undefined) return [];
  const b2b = objectAt('azure.b2b', value);
  onlyKeys('azure.b2b', b2b, ['tenants']);
  if (!Array.isArray(b2b.tenants) || b2b.tenants.length === 0) {
    throw new ConfigurationError('azure.b2b.tenants', 'a non-empty array of organization tenants', b2b.tenants);
  }
  const tenants = b2b.tenants.map((item: unknown, index) => {
    const path = `azure.b2b.tenants[${index}]`;
    const tenant = objectAt(path, item, false);
    onlyKeys(path, tenant, ['name', 'tenantId', 'clientId', 'clientSecret', 'metadataUrl', 'domains']);
    const tenantId = guidAt(`${path}.tenantId`, tenant.tenantId);
    return {
      name: nonEmptyStringAt(`${path}.name`, tenant.name),
      tenantId,
      clientId: nonEmptyStringAt(`${path}.clientId`, tenant.clientId),
      clientSecret: nonEmptyStringAt(`${path}.clientSecret`, tenant.clientSecret),
      metadataUrl: httpsUrlAt(`${path}.metadataUrl`, tenant.metadataUrl
        ?? `https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration`),
      domains: domainsAt(`${path}.domains`, tenant.domains),
    };
  });
  const ids = new Set(tenants.map((t) => t.tenantId.toLowerCase()));
  if (ids.size !== tenants.length) throw new ConfigurationError('azure.b2b.tenants', 'each tenantId at most once');
  if (tenants.length > 1) {
    tenants.forEach((tenant, index) => {
      if (tenant.domains.length === 0) {
        throw new ConfigurationError(`azure.b2b.tenants[${index}].domains`, 'the email domains of its staff (required when several tenants are configured)');
      }
    });
    const domains = tenants.flatMap((t) => t.domains);
    if (new Set(domains).size !== domains.length) throw new ConfigurationError('azure.b2b.tenants', 'each email domain in one tenant only');
  }
  return tenants;
}

function resolveB2c(value: unknown): AzureB2cOptions {
  const b2c = objectAt('azure.b2c', value, false);
  onlyKeys('azure.b2c', b2c, ['clientId', 'clientSecret', 'metadataUrl', 'policies']);
  if (!Array.isArray(b2c.policies) || b2c.policies.length === 0) {
    throw new ConfigurationError('azure.b2c.policies', 'a non-empty array of policy names such as "B2C_1_signin"', b2c.policies);
  }
  const policies = b2c.policies.map((policy: unknown, index) => {
    if (typeof policy !== 'string' || !POLICY.test(policy)) {
      throw new ConfigurationError(`azure.b2c.policies[${index}]`, 'a B2C policy name (B2C_1_… or B2C_1A_…)', policy);
    }
    return policy;
  });
  return {
    clientId: nonEmptyStringAt('azure.b2c.clientId', b2c.clientId),
    clientSecret: nonEmptyStringAt('azure.b2c.clientSecret', b2c.clientSecret),
    metadataUrl: httpsUrlAt('azure.b2c.metadataUrl', b2c.metadataUrl),
    policies,
  };
}

function guidAt(path: string, value: unknown): string {
  if (typeof value !== 'string' || !GUID.test(value)) throw new ConfigurationError(path, 'a directory (tenant) id GUID', value);
  return value.toLowerCase();
}

/** Metadata is fetched over https only; a query would collide with the one passport-azure-ad appends. */
function httpsUrlAt(path: string, value: unknown): string {
  const text = nonEmptyStringAt(path, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(path, 'an absolute https URL', value);
  }
  if (url.protocol !== 'https:' || url.search || url.hash) throw new ConfigurationError(path, 'an https URL without query or fragment', value);
  // The v2.0 endpoints put every claim in the id_token; with v1 the package would call userinfo itself.
  if (!url.pathname.includes('/v2.0/')) throw new ConfigurationError(path, 'the v2.0 metadata URL (…/v2.0/.well-known/openid-configuration)', value);
  return url.href;
}

function domainsAt(path: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigurationError(path, 'an array of email domains', value);
  return value.map((domain: unknown, index) => {
    if (typeof domain !== 'string' || !DOMAIN.test(domain)) throw new ConfigurationError(`${path}[${index}]`, 'an email domain such as contoso.org', domain);
    return domain.toLowerCase();
  });
}

function resolveTrustedCa(value: unknown): string {
  const pem = nonEmptyStringAt('azure.trustedCa', value);
  try {
    new X509Certificate(pem);
  } catch {
    throw new ConfigurationError('azure.trustedCa', 'one or more PEM certificates');
  }
  return pem;
}
