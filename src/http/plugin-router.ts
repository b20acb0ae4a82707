import express, { type Router } from 'express';
import type { Knex } from 'knex';
import type { PluginManifest } from '../config/manifest.ts';
import type { PluginLogger } from '../config/options.ts';
import type { TableNames } from '../store/table-names.ts';
import { renderUnexpectedError } from './render-error.ts';
import { statusRoute, type PluginUrls } from './status-route.ts';

/**
 * The router the host mounts. It installs nothing on the host app, and leaves requests for paths it
 * does not serve untouched (no body parsing, no headers) so a host may mount it beside its own routes.
 * Body parsers belong on the sub-routers that read bodies, never on this router as a whole.
 */
export function createPluginRouter(deps: {
  knex: Knex; tables: TableNames; manifest: PluginManifest; urls: PluginUrls; logger: PluginLogger;
  authRouter: Router; fhirRouter: Router;
}): Router {
  const router = express.Router();
  router.get('/status', securityHeaders, statusRoute(deps));
  router.use('/auth', securityHeaders, deps.authRouter);
  router.use('/fhir', securityHeaders, deps.fhirRouter);
  router.use(renderUnexpectedError(deps.logger));
  return router;
}

const securityHeaders: express.RequestHandler = (_req, res, next) => {
  res.set('X-Content-Type-Options', 'nosniff');
  next();
};
