import type { RequestHandler } from 'express';

export interface CorsOptions {
  /** Request headers a browser may send besides the default ones. Default: Authorization, Content-Type, Accept. */
  allowHeaders?: string;
  /** Response headers a browser app may read (e.g. ETag, Location). */
  exposeHeaders?: string;
}

/**
 * CORS for endpoints a browser app calls directly (discovery, jwks, token, introspect, revoke, the FHIR API):
 * any origin, never credentials, since none of these reads a cookie. Preflights are answered here.
 */
export function openCors(methods: string, options: CorsOptions = {}): RequestHandler {
  const allowHeaders = options.allowHeaders ?? 'Authorization, Content-Type, Accept';
  return (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (options.exposeHeaders) res.set('Access-Control-Expose-Headers', options.exposeHeaders);
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      res.set({
        'Access-Control-Allow-Methods': methods,
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': '600',
      });
      res.status(204).end();
      return;
    }
    next();
  };
}
