import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { staffLoginRoutes } from './auth/staff-login.ts';
import { signedInStaffUserId, staffSession } from './auth/staff-session.ts';
import { html, renderPage, stylesheet } from './pages/html-template.ts';
import { patientPages } from './pages/patient-pages.ts';
import { securityHeaders } from './pages/security-headers.ts';
import { launchDemoAppRoutes, type LaunchDemoApp } from './smart-launch.ts';
import { smartAppRouter } from '../smart-app/routes.ts';

export interface HostAppDependencies {
  knex: Knex;
  /** The SMART plugin's router (`plugin.router`); the EHR works without it. */
  pluginRouter?: RequestHandler;
  /** Where the plugin is mounted. Default `/smart`. */
  mountPath?: string;
  /** Send the session cookie over HTTPS only. Default true; the local demo on http sets false. */
  secureCookies?: boolean;
  /** Signs the session cookie. Default: random per process, so sessions end when the process does. */
  sessionSecret?: string;
  /**
   * EHR launch of the sample SMART app (served at /apps/demo/): `plugin.createLaunch`,
   * `plugin.urls.fhirBaseUrl` and the app's launch URL. Without it the chart has no launch button.
   */
  launchDemoApp?: LaunchDemoApp;
}

/**
 * The reference EHR web app: staff sign-in, patient list and chart, with the SMART plugin mounted
 * beside them. It installs no global body parser, so the plugin is proven not to rely on the host's.
 */
export function createHostApp(deps: HostAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  // Before the plugin mount on purpose: the plugin's "who is signed in to the host" hook will read
  // this session (see signedInStaffUserId) so staff signed in here are not asked to sign in again.
  app.use(staffSession({
    secret: deps.sessionSecret ?? randomBytes(32).toString('hex'),
    secureCookies: deps.secureCookies ?? true,
  }));
  if (deps.pluginRouter) app.use(deps.mountPath ?? '/smart', deps.pluginRouter);
  // The sample SMART app, with its own headers (its pages run scripts; the EHR's pages run none).
  app.use(smartAppRouter({ fhirBaseUrl: deps.launchDemoApp?.fhirBaseUrl }));

  app.use(securityHeaders);
  app.get('/assets/ehr.css', (_req, res) => {
    // The one response without PHI, so the one that may be cached.
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(stylesheet);
  });
  app.get('/', (req, res) => res.redirect(302, signedInStaffUserId(req) ? '/patients' : '/login'));
  app.use(staffLoginRoutes(deps.knex));
  if (deps.launchDemoApp) app.use(launchDemoAppRoutes(deps.knex, deps.launchDemoApp));
  app.use(patientPages(deps.knex, { launchDemoApp: Boolean(deps.launchDemoApp) }));
  app.use((_req, res) => {
    res.status(404).send(renderPage('Not found', html`<h1>Not found</h1><p><a href="/">Home</a></p>`));
  });
  app.use(hostErrorPage);
  return app;
}

/** The EHR's last-resort error page: details go to the log, never to the browser. */
const hostErrorPage: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  console.error('host-ehr: request failed', error);
  res.status(500).send(renderPage('Something went wrong', html`<h1>Something went wrong</h1>
<p>The request could not be completed. Please try again.</p>`));
};
