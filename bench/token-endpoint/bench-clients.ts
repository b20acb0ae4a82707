/**
 * The clients both servers know, with the same credentials: the demo clients of samples/host-ehr.
 * Demo only: these secrets and keys are public in this repository.
 */
export const CONFIDENTIAL_CLIENT = 'demo-confidential';
export const CONFIDENTIAL_SECRET = 'demo-confidential-secret';
export const BACKEND_CLIENT = 'backend-client';
export const BACKEND_KID = 'backend-client-1';
export const BACKEND_PRIVATE_KEY_FILE = new URL('../../samples/keys/backend-client.private.pem', import.meta.url);
export const REDIRECT_URI = 'http://127.0.0.1:8765/callback';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What the interactive flow asks for on both servers: an id_token (openid fhirUser) and a refresh token. */
export const USER_SCOPE = 'openid fhirUser offline_access user/Patient.rs user/Condition.rs';
/** What the backend service asks for (SMART Backend Services). */
export const SYSTEM_SCOPE = 'system/Patient.rs';
/** Lifetimes both servers use: long enough that nothing minted expires between minting and its timed run. */
export const CODE_SECONDS = 600;
export const ACCESS_TOKEN_SECONDS = 3600;
export const BACKEND_ACCESS_TOKEN_SECONDS = 300;

/** `Authorization: Basic` for a client (RFC 6749 §2.3.1: both parts form-urlencoded first). */
export function basicAuthorization(clientId: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** The message a server process sends its parent once it listens. */
export interface ServerReady {
  ready: true;
  /** Origin the server listens on, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** Path of the token endpoint, authorization endpoint, and the FHIR base (the access token audience). */
  tokenPath: string;
  authorizePath: string;
  fhirBaseUrl: string;
  /** The token endpoint URL as its issuer names it: the audience of client assertions. */
  tokenEndpoint: string;
}
