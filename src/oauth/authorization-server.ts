import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { Passport } from 'passport';
import type { PluginManifest } from '../config/manifest.ts';
import type { ResolvedOptions } from '../config/options.ts';
import type { HostDirectory } from '../host/host-directory.ts';
import { pluginSessionMiddleware } from '../http/plugin-session.ts';
import { EhrCredentialsStrategy } from '../identity/ehr-credentials-strategy.ts';
import { AzureSignIn } from '../identity/azure-sign-in.ts';
import { EhrSignIn } from '../identity/ehr-sign-in.ts';
import { AssertionJtiStore } from '../store/assertion-jti-store.ts';
import { AuthorizationCodesStore } from '../store/authorization-codes-store.ts';
import type { ClientsStore } from '../store/clients-store.ts';
import { GrantsStore } from '../store/grants-store.ts';
import { deriveKey } from '../store/key-protection.ts';
import { LaunchContextsStore } from '../store/launch-contexts-store.ts';
import { LoginAttemptsStore } from '../store/login-attempts-store.ts';
import { SessionsStore } from '../store/sessions-store.ts';
import { SigningKeyStore } from '../store/signing-keys.ts';
import type { TableNames } from '../store/table-names.ts';
import { TokensStore } from '../store/tokens-store.ts';
import { AccessTokenVerifier } from './access-token-verifier.ts';
import { ClientAssertionVerifier } from './client-assertion.ts';
import { authorizeEndpoint, parseCheckedRequest } from './endpoints/authorize-endpoint.ts';
import { azureSignInStep } from './endpoints/azure-sign-in-step.ts';
import { consentStep } from './endpoints/consent-step.ts';
import { authDiscoveryRoutes } from './endpoints/discovery.ts';
import type { FlowDeps } from './endpoints/flow-deps.ts';
import { introspectionEndpoint } from './endpoints/introspection-endpoint.ts';
import { patientPickerStep } from './endpoints/patient-picker-step.ts';
import { revocationEndpoint } from './endpoints/revocation-endpoint.ts';
import { signInStep } from './endpoints/sign-in-step.ts';
import { tokenEndpoint } from './endpoints/token-endpoint.ts';
import { openCors } from '../http/cors.ts';
import { createOAuth2Server } from './oauth2-server.ts';
import { PAGES_STYLESHEET } from './pages/index.ts';
import { TokenIssuer } from './token-issuer.ts';
import { SessionTransactionStore } from './transaction-store.ts';

export interface AuthorizationServerParts {
  /** Routes under `{mount}/auth`. */
  router: Router;
  keys: SigningKeyStore;
  grants: GrantsStore;
  tokens: TokensStore;
  launches: LaunchContextsStore;
  verifier: AccessTokenVerifier;
}

/** Builds the authorization server of one plugin instance (DESIGN §4) from its stores and options. */
export function createAuthorizationServer(input: {
  knex: Knex; tables: TableNames; options: ResolvedOptions; manifest: PluginManifest; directory: HostDirectory;
  clients: ClientsStore; urls: { publicUrl: string; issuer: string; fhirBaseUrl: string }; roles: { patient: string; apiServerUser: string };
}): AuthorizationServerParts {
  const { knex, tables, options, directory, clients, urls } = input;
  const keys = new SigningKeyStore(knex, tables, deriveKey(options.secret, 'signing-keys'), options.tokens.accessTokenSeconds);
  const grants = new GrantsStore(knex, tables);
  const tokens = new TokensStore(knex, tables);
  const launches = new LaunchContextsStore(knex, tables);
  const codes = new AuthorizationCodesStore(knex, tables);
  const signIn = new EhrSignIn(directory, new LoginAttemptsStore(knex, tables, options.signIn), options.signIn);
  const issuer = new TokenIssuer(keys, tokens, urls, `${urls.issuer}/smart-style.json`);
  const verifier = new AccessTokenVerifier(keys, tokens, grants, urls, clients);
  const assertions = new ClientAssertionVerifier(new AssertionJtiStore(knex, tables), [`${urls.issuer}/token`, urls.issuer]);
  const store = new SessionTransactionStore(clients, options.tokens.sessionSeconds);
  const resources = input.manifest.permissions.resources;
  const server = createOAuth2Server({
    store, requestParser: parseCheckedRequest, allowClientCredentialsWithSecret: options.allowClientCredentialsWithSecret,
    codes: { codes, grants, directory, codeSeconds: options.tokens.codeSeconds },
    exchanges: {
      codes, grants, tokens, issuer, directory, signIn, lifetimes: options.tokens, resources, roles: input.roles,
      sensitiveChartPermissions: input.manifest.permissions.sensitiveCharts,
    },
  });
  const passport = new Passport();
  passport.use(new EhrCredentialsStrategy(signIn));
  const authPath = `${new URL(urls.issuer).pathname}`;
  // Its routes exist whether or not Azure AD is configured (plugin.json lists them); without it they only refuse.
  const azure = new AzureSignIn(options.azure, passport, {
    callbackUrl: `${urls.issuer}/azure/callback`, development: options.development, stateLifetimeSeconds: options.tokens.sessionSeconds,
  });
  const deps: FlowDeps = {
    server, clients, store, directory, passport, csrfKey: deriveKey(options.secret, 'csrf'), fhirBaseUrl: urls.fhirBaseUrl, authPath,
    currentHostUser: options.currentHostUser, logger: options.logger, azure,
    session: pluginSessionMiddleware({
      store: new SessionsStore(knex, tables), signingKey: deriveKey(options.secret, 'session-cookie'), cookiePath: authPath,
      secure: !options.development, lifetimeSeconds: options.tokens.sessionSeconds,
    }),
    interaction: {
      directory, grants, launches, resources, patientRole: input.roles.patient,
      sensitiveChartPermissions: input.manifest.permissions.sensitiveCharts,
    },
  };
  const assetsPath = authPath;
  const router = express.Router();
  router.get('/pages.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(PAGES_STYLESHEET);
  });
  router.use(authDiscoveryRoutes(urls, keys));
  router.use(authorizeEndpoint(deps, assetsPath), signInStep(deps, assetsPath), azureSignInStep(deps, assetsPath),
    patientPickerStep(deps, assetsPath), consentStep(deps, assetsPath));
  const backChannel = { clients, assertions, logger: options.logger };
  router.use(['/token', '/introspect', '/revoke'], openCors('POST'));
  router.use(tokenEndpoint({ ...backChannel, exchange: server.token() as never }));
  router.use(introspectionEndpoint({ ...backChannel, verifier, issuer: urls.issuer, styleUrl: issuer.styleUrl }));
  router.use(revocationEndpoint({ ...backChannel, verifier, tokens }));
  return { router, keys, grants, tokens, launches, verifier };
}
