import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { SigningKeyStore } from '../store/signing-keys.ts';
import type { TokensStore } from '../store/tokens-store.ts';

/** Launch context and identity carried into a token response (SMART App Launch 2.2 "Launch context"). */
export interface TokenContext {
  patient?: string | null;
  encounter?: string | null;
  fhirUser?: string | null;
  needPatientBanner?: boolean;
  nonce?: string | null;
  authTime?: number | null;
}

export interface IssueRequest {
  clientId: string;
  grantId: string | null;
  familyId: string | null;
  /** The user (or, for backend services, the client) the token acts for. */
  subject: string;
  scope: string[];
  context: TokenContext;
  accessTokenSeconds: number;
  /** An id_token is issued whenever `openid` was granted (OpenID Connect Core §3.1.3.3); `fhirUser` adds the claim. */
  idToken: boolean;
  refresh?: { token: string };
}

/** The token response body (RFC 6749 §5.1, SMART App Launch 2.2 "Response"). */
export type TokenResponse = Record<string, string | number | boolean>;

/**
 * Mints access tokens (JWTs signed with the plugin's own key, recorded for introspection and revocation)
 * and id_tokens (OpenID Connect Core §2), and shapes the token response.
 */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeyStore,
    private readonly tokens: TokensStore,
    private readonly urls: { issuer: string; fhirBaseUrl: string },
    /** The EHR's style sheet for apps (SMART "context-style"), sent with every launch context. */
    readonly styleUrl: string,
  ) {}

  async issue(request: IssueRequest): Promise<TokenResponse> {
    const key = await this.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const tokenId = randomBytes(16).toString('base64url');
    const scope = request.scope.join(' ');
    const { context } = request;
    const claims: Record<string, unknown> = { client_id: request.clientId, scope };
    if (context.patient) claims.patient = context.patient;
    if (context.encounter) claims.encounter = context.encounter;
    // Who the user is belongs in the token only when the app asked to know it (SMART `fhirUser`).
    const identity = request.scope.includes('fhirUser') || request.scope.includes('profile');
    if (context.fhirUser && identity) claims.fhirUser = context.fhirUser;
    // Introspection repeats the launch context of the token response (SMART 2.2 token introspection).
    if (context.patient && context.needPatientBanner !== undefined) claims.need_patient_banner = context.needPatientBanner;
    const accessToken = jwt.sign(claims, key.privateKey, {
      algorithm: 'RS256', keyid: key.kid, issuer: this.urls.issuer, audience: this.urls.fhirBaseUrl,
      subject: request.subject, jwtid: tokenId, expiresIn: request.accessTokenSeconds,
    });
    await this.tokens.recordAccessToken({
      tokenId, grantId: request.grantId, familyId: request.familyId, clientId: request.clientId, subjectId: request.subject,
      patientId: context.patient ?? null, scope: request.scope, issuedAt: new Date(now * 1000),
      expiresAt: new Date((now + request.accessTokenSeconds) * 1000),
    });
    const response: TokenResponse = { access_token: accessToken, token_type: 'Bearer', expires_in: request.accessTokenSeconds, scope };
    if (request.refresh) response.refresh_token = request.refresh.token;
    if (request.idToken) response.id_token = this.idToken(request, key);
    if (context.patient) response.patient = context.patient;
    if (context.encounter) response.encounter = context.encounter;
    if (context.needPatientBanner !== undefined && context.patient) response.need_patient_banner = context.needPatientBanner;
    if (context.patient) response.smart_style_url = this.styleUrl;
    return response;
  }

  private idToken(request: IssueRequest, key: Awaited<ReturnType<SigningKeyStore['signingKey']>>): string {
    const claims: Record<string, unknown> = {};
    if (request.context.fhirUser && (request.scope.includes('fhirUser') || request.scope.includes('profile'))) claims.fhirUser = request.context.fhirUser;
    if (request.context.nonce) claims.nonce = request.context.nonce;
    if (request.context.authTime) claims.auth_time = request.context.authTime;
    return jwt.sign(claims, key.privateKey, {
      algorithm: 'RS256', keyid: key.kid, issuer: this.urls.issuer, audience: request.clientId,
      subject: request.subject, expiresIn: request.accessTokenSeconds, notBefore: 0, header: { alg: 'RS256', kid: key.kid, typ: 'JWT' },
    });
  }
}
