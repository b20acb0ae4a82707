import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';

/** Where the sample EHR serves the demo SMART app; its registered redirect URI is `{origin}/apps/demo/`. */
export const smartAppPath = '/apps/demo';

/**
 * The app's own Content-Security-Policy. No inline script or style anywhere in the app; it talks only to
 * its own origin (the EHR serving it, whose FHIR API and token endpoint are there too) and is never framed.
 */
export const smartAppContentSecurityPolicy = "default-src 'self'; connect-src 'self'; frame-ancestors 'none'";

export interface SmartAppRouterOptions {
  /** The EHR's FHIR base URL, written into the standalone page. Without it the page reads `?iss=`. */
  fhirBaseUrl?: string | undefined;
}

const appFile = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The browser build of `fhirclient` (a devDependency): defines `window.FHIR`. */
function fhirClientBundle(): string {
  try {
    return createRequire(import.meta.url).resolve('fhirclient/build/fhir-client.min.js');
  } catch (error) {
    throw new Error('samples/smart-app needs the fhirclient package (npm install): its browser build was not found', { cause: error });
  }
}

const types = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

/**
 * The demo SMART app as static files, no bundler: `launch` (EHR launch), `standalone` (standalone launch),
 * `` (the redirect URI: index.html) and their scripts, plus the fhirclient bundle at `vendor/fhir-client.js`.
 * The router holds full paths under `/apps/demo` and is strict about the trailing slash, because the
 * pages use relative URLs and the redirect URI is registered with the slash.
 */
export function smartAppRouter(options: SmartAppRouterOptions = {}): Router {
  const router = express.Router({ strict: true });
  const vendorBundle = fhirClientBundle();
  const standalonePage = renderStandalonePage(options.fhirBaseUrl ?? '');

  router.use(smartAppPath, appHeaders);
  // Keep the query: a redirect URI visited without its slash still carries code and state.
  router.get(smartAppPath, (req, res) => {
    const query = req.originalUrl.indexOf('?');
    res.redirect(301, `${smartAppPath}/${query < 0 ? '' : req.originalUrl.slice(query)}`);
  });

  const files: Array<[path: string, file: string, type: string]> = [
    ['/', appFile('index.html'), types.html],
    ['/launch', appFile('launch.html'), types.html],
    ['/page-messages.js', appFile('page-messages.js'), types.js],
    ['/app.js', appFile('app.js'), types.js],
    ['/launch.js', appFile('launch.js'), types.js],
    ['/standalone.js', appFile('standalone.js'), types.js],
    ['/app.css', appFile('app.css'), types.css],
    ['/vendor/fhir-client.js', vendorBundle, types.js],
  ];
  for (const [path, file, type] of files) {
    router.get(`${smartAppPath}${path}`, (_req, res, next) => {
      res.type(type);
      res.sendFile(file, { dotfiles: 'deny', cacheControl: false }, (error) => {
        if (error) next(error);
      });
    });
  }
  router.get(`${smartAppPath}/standalone`, (_req, res) => {
    res.type(types.html).send(standalonePage);
  });
  return router;
}

/** Headers for every response of the app (its 404s fall through to the EHR's own). */
const appHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': smartAppContentSecurityPolicy,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    // The redirect page's address holds the authorization code until fhirclient replaces it.
    'Referrer-Policy': 'no-referrer',
    // Static and PHI-free, but revalidated so an updated app or library is picked up at once.
    'Cache-Control': 'no-cache',
  });
  next();
};

const fhirBasePlaceholder = '<meta name="fhir-base" content="">';

function renderStandalonePage(fhirBaseUrl: string): string {
  const template = readFileSync(appFile('standalone.html'), 'utf8');
  if (!template.includes(fhirBasePlaceholder)) throw new Error(`samples/smart-app/standalone.html lost its ${fhirBasePlaceholder}`);
  return template.replace(fhirBasePlaceholder, () => `<meta name="fhir-base" content="${escapeAttribute(fhirBaseUrl)}">`);
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
