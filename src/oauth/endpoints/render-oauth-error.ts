import type { ErrorRequestHandler } from 'express';
import type { PluginLogger } from '../../config/options.ts';
import { toOAuthError } from '../../errors/oauth-errors.ts';
import { loggableError } from '../../errors/loggable-error.ts';

/**
 * The one place token, introspection and revocation errors are written (RFC 6749 §5.2): JSON with
 * `error` and `error_description`, 400 for everything but `invalid_client` (401 with a Basic challenge),
 * never cached. Unexpected errors are logged by class and message only, and answered as server_error.
 */
export function renderOAuthError(logger: PluginLogger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const oauth = toOAuthError(error);
    if (oauth.status >= 500) logger.error('token endpoint failed', loggableError(error));
    res.status(oauth.status).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    if (oauth.status === 401) res.set('WWW-Authenticate', 'Basic realm="smart-ehr-plugin", charset="UTF-8"');
    res.json({ error: oauth.code, error_description: oauth.description });
  };
}
