import type { RequestHandler } from 'express';

/**
 * CORS for endpoints a browser app calls directly (discovery, jwks, token, introspect, revoke): any
 * origin, never credentials, since none of these reads a cookie. Preflights are answered here.
 */
export function openCors(methods: string): RequestHandler {
  return (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      res.set({
        'Access-Control-Allow-Methods': methods,
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
        'Access-Control-Max-Age': '600',
      });
      res.status(204).end();
      return;
    }
    next();
  };
}
