import https from 'node:https';
import { rootCertificates } from 'node:tls';

/** Why a request to Azure AD failed, without the response body (which may echo codes or secrets). */
export class AzureRequestError extends Error {
  override readonly name = 'AzureRequestError';
  /** False when no HTTP answer came back at all (refused, timed out, TLS failure). */
  constructor(message: string, readonly answered = false) {
    super(message);
  }
}

export interface AzureHttpOptions {
  /** PEM trusted besides the public roots, for these requests only. */
  trustedCa: string | undefined;
  timeoutMs: number;
}

const MAX_BODY = 1024 * 1024;

/**
 * The only HTTP client the Azure AD sign-in uses (metadata, signing keys, code redemption). Each request
 * carries its own trust list and a deadline: passport-azure-ad's own requests have neither, so an
 * unreachable or stalled identity provider would hang the sign-in, and a private CA could only be
 * trusted process-wide.
 */
export class AzureHttpClient {
  private readonly ca: string[] | undefined;

  constructor(private readonly options: AzureHttpOptions) {
    this.ca = options.trustedCa ? [...rootCertificates, options.trustedCa] : undefined;
  }

  getJson(url: string): Promise<Record<string, unknown>> {
    return this.send(url, 'GET');
  }

  postForm(url: string, form: Record<string, string>): Promise<Record<string, unknown>> {
    return this.send(url, 'POST', new URLSearchParams(form).toString());
  }

  private send(url: string, method: 'GET' | 'POST', body?: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') return reject(new AzureRequestError(`not an https URL: ${target.origin}`));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      // agent: false, so the trust list is this request's own and no pooled socket outlives it.
      const request = https.request(target, { method, headers, agent: false, ...(this.ca ? { ca: this.ca } : {}), timeout: this.options.timeoutMs });
      const deadline = setTimeout(() => request.destroy(new AzureRequestError(`no answer from ${target.origin} within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      request.on('timeout', () => request.destroy(new AzureRequestError(`no answer from ${target.origin} within ${this.options.timeoutMs} ms`)));
      request.on('error', (error) => {
        clearTimeout(deadline);
        reject(error instanceof AzureRequestError ? error : new AzureRequestError(`${target.origin} unreachable (${(error as NodeJS.ErrnoException).code ?? error.message})`));
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) request.destroy(new AzureRequestError(`response from ${target.origin} too large`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(deadline);
          const status = response.statusCode ?? 0;
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new AzureRequestError(`${target.origin}${target.pathname} answered ${status} without JSON`, true));
          }
          if (status !== 200 || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            const code = typeof (parsed as { error?: unknown })?.error === 'string' ? ` (${(parsed as { error: string }).error})` : '';
            return reject(new AzureRequestError(`${target.origin}${target.pathname} answered ${status}${code}`, true));
          }
          resolve(parsed as Record<string, unknown>);
        });
        response.on('error', (error) => {
          clearTimeout(deadline);
          reject(new AzureRequestError(`reading ${target.origin} failed (${error.message})`));
        });
      });
      request.end(body);
    });
  }
}
