import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { demoB2cTenant } from '../host-ehr/database/demo-identities.ts';
import { findTenant, type DevIdentity, type DevTenant } from './directory.ts';
import { idToken, TAMPERS, type SigningKeys, type Tamper } from './id-token.ts';
import { authorizePage, problemPage } from './pages.ts';

interface PendingCode {
  tenant: DevTenant;
  policy: string | undefined;
  identity: DevIdentity;
  clientId: string;
  redirectUri: string;
  nonce: string;
  tamper: Tamper | undefined;
  expiresAt: number;
}

/** Where a tenant (and B2C policy) lives on the stand-in, in Azure AD's URL shapes. */
export function tenantUrls(origin: string, tenant: DevTenant, policy?: string) {
  const base = tenant.b2c ? `${origin}/${tenant.aliases[1]}/${policy?.toLowerCase()}` : `${origin}/${tenant.tenantId}`;
  return {
    issuer: tenant.b2c ? `${origin}/${tenant.tenantId}/v2.0/` : `${origin}/${tenant.tenantId}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
  };
}

/**
 * The stand-in for Azure AD (B2B tenants and the B2C tenant): OpenID discovery per tenant and policy, a page
 * to pick a seeded identity, the authorization-code token endpoint and the signing keys. Demo and tests only.
 */
export function devIdpApp(settings: { origin: () => string; keys: SigningKeys; testKnobs: boolean }): Express {
  const app = express();
  app.disable('x-powered-by');
  const codes = new Map<string, PendingCode>();
  const context = (req: Request, res: Response): { tenant: DevTenant; policy: string | undefined } | undefined => {
    const tenant = findTenant(String(req.params.tenant));
    const fromPath = typeof req.params.policy === 'string' ? req.params.policy : undefined;
    const asked = fromPath ?? (typeof req.query.p === 'string' ? req.query.p : undefined);
    const policy = asked && demoB2cTenant.policies.find((p) => p.toLowerCase() === asked.toLowerCase());
    if (!tenant || tenant.b2c !== Boolean(policy) || (asked && !policy)) {
      res.status(404).json({ error: 'invalid_tenant', error_description: 'No such tenant or policy on the dev-idp.' });
      return undefined;
    }
    return { tenant, policy: policy || undefined };
  };

  app.get(['/:tenant/v2.0/.well-known/openid-configuration', '/:tenant/:policy/v2.0/.well-known/openid-configuration'], (req, res) => {
    const found = context(req, res);
    if (!found) return;
    res.json({
      ...tenantUrls(settings.origin(), found.tenant, found.policy),
      response_types_supported: ['code', 'id_token', 'code id_token'], response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'], id_token_signing_alg_values_supported: ['RS256'], scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'tid', 'oid', 'preferred_username', 'emails', 'tfp', 'acr'],
    });
  });
  app.get(['/:tenant/discovery/v2.0/keys', '/:tenant/:policy/discovery/v2.0/keys'], (req, res) => {
    if (context(req, res)) res.json(settings.keys.jwks);
  });

  const authorizePaths = ['/:tenant/oauth2/v2.0/authorize', '/:tenant/:policy/oauth2/v2.0/authorize'];
  app.get(authorizePaths, (req, res) => {
    const found = context(req, res);
    if (!found) return;
    const problem = authorizeProblem(found.tenant, req.query as Record<string, unknown>);
    if (problem) return void res.status(400).send(problemPage(problem));
    // The form posts here and is redirected to the app: browsers check both against form-action.
    const app = new URL(String(req.query.redirect_uri)).origin;
    res.set({ 'Content-Security-Policy': `default-src 'none'; form-action 'self' ${app}; frame-ancestors 'none'`, 'Cache-Control': 'no-store' })
      .send(authorizePage(found.tenant, req.query as Record<string, string>, settings.testKnobs));
  });
  app.post(authorizePaths, express.urlencoded({ extended: false, limit: '8kb' }), (req, res) => {
    const found = context(req, res);
    if (!found) return;
    const body = req.body as Record<string, string>;
    const problem = authorizeProblem(found.tenant, body);
    const identity = found.tenant.identities.find((candidate) => candidate.email === body.identity);
    if (problem || !identity) return void res.status(400).send(problemPage(problem ?? 'Pick one of the listed identities.'));
    const tamper = settings.testKnobs && TAMPERS.includes(body.tamper as Tamper) ? body.tamper as Tamper : undefined;
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      ...found, identity, clientId: String(body.client_id), redirectUri: String(body.redirect_uri), nonce: String(body.nonce ?? ''), tamper,
      expiresAt: Date.now() + 60_000,
    });
    const target = new URL(String(body.redirect_uri));
    target.searchParams.set('code', code);
    if (body.state) target.searchParams.set('state', body.state);
    res.redirect(302, target.href);
  });

  app.post(['/:tenant/oauth2/v2.0/token', '/:tenant/:policy/oauth2/v2.0/token'], express.urlencoded({ extended: false, limit: '16kb' }), (req, res, next) => {
    const found = context(req, res);
    if (!found) return;
    const body = req.body as Record<string, string>;
    const pending = codes.get(String(body.code));
    codes.delete(String(body.code));
    const fail = (error: string, description: string) => res.status(400).json({ error, error_description: description });
    if (body.grant_type !== 'authorization_code') return fail('unsupported_grant_type', 'Only authorization_code.');
    if (!pending || pending.expiresAt < Date.now() || pending.tenant !== found.tenant) return fail('invalid_grant', 'Unknown, used or expired code.');
    if (body.client_id !== found.tenant.clientId || body.client_secret !== found.tenant.clientSecret) return fail('invalid_client', 'Wrong client id or secret.');
    if (body.redirect_uri !== pending.redirectUri || body.client_id !== pending.clientId) return fail('invalid_grant', 'The code was issued for another client or redirect URI.');
    const { issuer } = tenantUrls(settings.origin(), found.tenant, pending.policy);
    idToken(settings.keys, { ...pending, issuer }).then((token) => {
      res.set('Cache-Control', 'no-store').json({
        token_type: 'Bearer', access_token: randomBytes(24).toString('base64url'), expires_in: 3600, scope: 'openid', id_token: token,
      });
    }, next);
  });
  return app;
}

/** What is wrong with an authorization request, or undefined. Redirect URIs must be on this machine. */
function authorizeProblem(tenant: DevTenant, params: Record<string, unknown>): string | undefined {
  if (params.client_id !== tenant.clientId) return `Unknown client_id for tenant ${tenant.key}.`;
  if (params.response_type !== 'code') return 'Only response_type=code is supported.';
  if (typeof params.state !== 'string' || typeof params.nonce !== 'string') return 'state and nonce are required.';
  try {
    const uri = new URL(String(params.redirect_uri));
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(uri.hostname)) return 'The dev-idp redirects only to this machine.';
  } catch {
    return 'redirect_uri must be an absolute URL.';
  }
  return undefined;
}
