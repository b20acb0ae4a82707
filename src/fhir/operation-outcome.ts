import type { IssueType } from './provider.ts';

/** An OperationOutcome with one issue (FHIR R4 §2.1.0.5): the body of every FHIR error this plugin answers. */
export function operationOutcome(issue: IssueType, diagnostics: string, severity: 'error' | 'fatal' | 'warning' | 'information' = 'error') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: issue, diagnostics }] } as const;
}

/** A FHIR error with its HTTP status; the router answers it as an OperationOutcome. */
export class FhirHttpError extends Error {
  constructor(
    readonly status: number,
    readonly issue: IssueType,
    message: string,
    /** Extra response headers, e.g. `WWW-Authenticate` for 401 or `Allow` for 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'FhirHttpError';
  }
}

/** 401 with the challenge RFC 6750 §3 describes; the token is never echoed. */
export function bearerChallenge(realm: string, error: 'invalid_request' | 'invalid_token' | undefined, message: string): FhirHttpError {
  const params = [`realm="${realm}"`, ...(error ? [`error="${error}"`] : [])];
  return new FhirHttpError(401, 'login', message, { 'WWW-Authenticate': `Bearer ${params.join(', ')}` });
}

/**
 * The one "not found" answer. Data of other patients and restricted resources get exactly this, so a caller
 * cannot tell them from ids that do not exist (DESIGN §5; audit-requirements REQ-SL-1).
 */
export function notFound(resourceType: string, id: string): FhirHttpError {
  return new FhirHttpError(404, 'not-found', `${resourceType}/${id} is not known.`);
}
