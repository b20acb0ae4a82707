import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { demoB2cTenant } from '../host-ehr/database/demo-identities.ts';
import { devIdpApp } from './app.ts';
import { devCertificate } from './certificate.ts';
import { devTenants } from './directory.ts';
import { signingKeys } from './id-token.ts';

export interface DevIdp {
  /** `https://127.0.0.1:<port>` */
  origin: string;
  /** PEM of the CA that signed its certificate: pass it as the plugin's `azure.trustedCa`. */
  ca: string;
  /** For Chromium's --ignore-certificate-errors-spki-list (trusts this one key, nothing else). */
  spkiSha256: string;
  /** The plugin's `azure` option for the seeded tenants (contoso, fabrikam, and the B2C tenant). */
  azureOptions(tenants?: Array<'contoso' | 'fabrikam'>): {
    b2b: { tenants: Array<{ name: string; tenantId: string; clientId: string; clientSecret: string; metadataUrl: string; domains: string[] }> };
    b2c: { clientId: string; clientSecret: string; metadataUrl: string; policies: string[] };
    trustedCa: string;
  };
  close(): Promise<void>;
}

export interface DevIdpSettings {
  port?: number;
  /** Keep the CA and certificate here between runs (so a browser can be told to trust it once). Default: new each start. */
  certificateDirectory?: string;
  /** Accept the `tamper` field that makes bad id_tokens (tests only). */
  testKnobs?: boolean;
}

/** Starts the Azure AD stand-in on 127.0.0.1 (never another interface) over HTTPS. */
export async function startDevIdp(settings: DevIdpSettings = {}): Promise<DevIdp> {
  const certificate = devCertificate(settings.certificateDirectory);
  const keys = await signingKeys();
  let origin = '';
  const app = devIdpApp({ origin: () => origin, keys, testKnobs: settings.testKnobs ?? false });
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    ca: certificate.ca,
    spkiSha256: certificate.spkiSha256,
    azureOptions: (which = ['contoso', 'fabrikam']) => {
      const b2c = devTenants.find((tenant) => tenant.b2c)!;
      return {
        b2b: {
          tenants: devTenants.filter((tenant) => (which as string[]).includes(tenant.key)).map((tenant) => ({
            name: tenant.key === 'contoso' ? 'Contoso Health' : 'Fabrikam Clinics', tenantId: tenant.tenantId, clientId: tenant.clientId,
            clientSecret: tenant.clientSecret, metadataUrl: `${origin}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`, domains: [tenant.aliases[1]!],
          })),
        },
        b2c: {
          clientId: b2c.clientId, clientSecret: b2c.clientSecret, policies: [...demoB2cTenant.policies],
          metadataUrl: `${origin}/${b2c.aliases[1]}/v2.0/.well-known/openid-configuration`,
        },
        trustedCa: certificate.ca,
      };
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}


