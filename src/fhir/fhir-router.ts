import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import { loggableError } from '../errors/loggable-error.ts';
import { asyncRoute } from '../http/async-route.ts';
import { openCors } from '../http/cors.ts';
import type { FhirContext } from './fhir-context.ts';
import { RESOURCE_TYPE } from './fhir-names.ts';
import { sendFhir } from './fhir-response.ts';
import { createInstance, readInstance, updateInstance } from './instance-handlers.ts';
import { FhirHttpError, operationOutcome } from './operation-outcome.ts';
import { FhirRequestError, type ResourceProvider } from './provider.ts';
import { formEntries, searchType } from './search-handler.ts';


/**
 * The FHIR R4 REST surface under `{mount}/fhir` (DESIGN §6). Paths are matched here rather than with route
 * patterns, so the same code runs in Express 4 and 5 (their pattern syntaxes differ). Every answer is FHIR JSON,
 * every error an OperationOutcome; nothing is logged of a request but unexpected failures, masked.
 */
export function createFhirRouter(context: FhirContext, extras: { discovery: Router; metadata: () => unknown; development: boolean }): Router {
  const router = express.Router();
  router.use(fhirCors);
  router.use(extras.discovery);
  if (!extras.development) router.use(httpsOnly);
  router.get('/metadata', (_req, res) => sendFhir(res, 200, extras.metadata(), { 'Cache-Control': 'no-cache' }));
  router.use(withBody(express.json({ type: ['application/fhir+json', 'application/json'], limit: '1mb' })));
  router.use(withBody(express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' })));
  router.use(asyncRoute((req, res) => dispatch(context, req, res)));
  router.use(fhirErrors(context));
  return router;
}

async function dispatch(context: FhirContext, req: Request, res: Response): Promise<void> {
  const segments = pathSegments(req.path);
  const [type, second, ...rest] = segments;
  const accept = req.get('accept');
  // Most clients ask for JSON or anything; only an Accept that might exclude JSON needs negotiating. A Binary is
  // also served as its own content (see `readInstance`).
  if (accept !== undefined && type !== 'Binary' && !/json|\*\/\*/.test(accept) && !req.accepts(['application/fhir+json', 'application/json'])) {
    throw new FhirHttpError(406, 'not-supported', 'Only JSON is served (Accept: application/fhir+json).');
  }
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (type === undefined || rest.length > 0) throw new FhirHttpError(404, 'not-found', 'There is no FHIR endpoint at this path.');
  const provider = providerOf(context, type);
  if (second === undefined) {
    if (method === 'GET') return searchType(context, provider, await context.authenticator.authenticate(req), req, res, []);
    if (method === 'POST' && provider.create) {
      const caller = await context.authenticator.authenticate(req);
      return createInstance(context, provider, caller, req, res);
    }
    throw notAllowed(provider, 'type', method);
  }
  if (second === '_search') {
    if (method !== 'POST') throw notAllowed(provider, '_search', method);
    const caller = await context.authenticator.authenticate(req);
    // Express 4's body parsers leave `{}` when no body was sent; parameters may then be in the URL alone.
    const body: unknown = req.body;
    const empty = body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
    if (!empty && typeof body !== 'string') {
      throw new FhirHttpError(415, 'not-supported', 'POST _search takes a form body (application/x-www-form-urlencoded).');
    }
    return searchType(context, provider, caller, req, res, formEntries(typeof body === 'string' ? body : ''));
  }
  if (method === 'GET') return readInstance(context, provider, await context.authenticator.authenticate(req), second, req, res);
  if (method === 'PUT' && provider.update) return updateInstance(context, provider, await context.authenticator.authenticate(req), second, req, res);
  throw notAllowed(provider, 'instance', method);
}

/** Body parsers run for the methods that carry a body only; reads skip their work. */
function withBody(parser: RequestHandler): RequestHandler {
  return (req, res, next) => (req.method === 'POST' || req.method === 'PUT' ? parser(req, res, next) : next());
}

function providerOf(context: FhirContext, type: string): ResourceProvider {
  const provider = RESOURCE_TYPE.test(type) ? context.providers.get(type) : undefined;
  if (!provider) throw new FhirHttpError(404, 'not-supported', `The resource type "${type.slice(0, 64)}" is not served here; see ${context.fhirBaseUrl}/metadata.`);
  return provider;
}

/** 405 with `Allow`, for the interactions the CapabilityStatement does not list (delete, patch, history, ...). */
function notAllowed(provider: ResourceProvider, at: 'type' | 'instance' | '_search', method: string): FhirHttpError {
  const allow = at === '_search' ? ['POST']
    : at === 'type' ? ['GET', 'HEAD', ...(provider.create ? ['POST'] : [])]
      : ['GET', 'HEAD', ...(provider.update ? ['PUT'] : [])];
  return new FhirHttpError(405, 'not-supported', `${method} is not supported here for ${provider.resourceType}.`, { Allow: allow.join(', ') });
}

function pathSegments(path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  if (!path.includes('%')) return segments;
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    throw new FhirHttpError(400, 'invalid', 'The request path could not be read.');
  }
}

// CORS for browser apps: any origin, no cookies (the access token is the credential); ETag and Location are
// exposed so apps can revalidate and follow a create.
const fhirCors = openCors('GET, POST, PUT', {
  allowHeaders: 'Authorization, Content-Type, Accept, If-None-Match, If-Match, Prefer',
  exposeHeaders: 'ETag, Location, WWW-Authenticate',
});

/**
 * Health data only over TLS (ONC (d)(9)). Behind a TLS-terminating proxy the host must tell Express so
 * (`app.set('trust proxy', …)`), which makes `req.secure` true. Development mode allows plain HTTP.
 */
const httpsOnly: RequestHandler = (req, res, next) => {
  if (req.secure) {
    next();
    return;
  }
  sendFhir(res, 403, operationOutcome('security', 'This FHIR API is served over HTTPS only.'));
};

function fhirErrors(context: FhirContext): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof FhirHttpError) {
      sendFhir(res, error.status, operationOutcome(error.issue, error.message), error.headers);
      return;
    }
    if (error instanceof FhirRequestError) {
      sendFhir(res, error.status, operationOutcome(error.issue, error.message));
      return;
    }
    const parserError = bodyParserError(error);
    if (parserError) {
      sendFhir(res, parserError.status, operationOutcome(parserError.issue, parserError.message));
      return;
    }
    context.logger.error('unexpected error in the smart-ehr-plugin FHIR API', loggableError(error));
    sendFhir(res, 500, operationOutcome('exception', 'The server could not complete the request.'));
  };
}

/** body-parser's client errors (malformed JSON, too large, unknown charset), in FHIR's words. */
function bodyParserError(error: unknown): { status: number; issue: 'structure' | 'too-costly' | 'not-supported'; message: string } | undefined {
  const e = error as { type?: unknown; status?: unknown };
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  if (e.type === 'entity.parse.failed') return { status: 400, issue: 'structure', message: 'The request body is not valid JSON.' };
  if (e.type === 'entity.too.large') return { status: 413, issue: 'too-costly', message: 'The request body is too large.' };
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return { status: 415, issue: 'not-supported', message: 'The request body\'s encoding is not supported.' };
  return { status: 400, issue: 'structure', message: 'The request body could not be read.' };
}
