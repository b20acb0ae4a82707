import type { RequestHandler } from 'express';

/**
 * Security headers for the EHR's own pages. They are applied to the host's routes only: the plugin
 * mounted beside them sets its own, and its pages have needs of their own.
 * Framing is forbidden twice (X-Frame-Options for old browsers, frame-ancestors for current ones),
 * because a chart in a hidden frame is a clickjacking target. PHI pages are never cached.
 */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy':
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  next();
};
