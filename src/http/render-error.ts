import type { ErrorRequestHandler } from 'express';
import type { PluginLogger } from '../config/options.ts';
import { loggableError } from '../errors/loggable-error.ts';

/**
 * The plugin router's last resort: an unexpected error becomes a 500 JSON body with no stack, no message
 * detail and no request data, and one log line with the error's class and message (never the request).
 * Protocol-specific renderers (OAuth, FHIR OperationOutcome) sit in front of it on their own sub-routers.
 */
export function renderUnexpectedError(logger: PluginLogger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = httpStatusOf(error);
    if (status >= 500) {
      logger.error('unexpected error in smart-ehr-plugin', loggableError(error));
    }
    res.status(status).set('Cache-Control', 'no-store').json(status >= 500
      ? { error: 'server_error', error_description: 'The server could not complete the request.' }
      : { error: 'invalid_request', error_description: 'The request could not be read.' });
  };
}

/** body-parser and friends mark client errors with `status`/`statusCode` 4xx. */
function httpStatusOf(error: unknown): number {
  const e = error as { status?: unknown; statusCode?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  return status >= 400 && status < 600 ? status : 500;
}
