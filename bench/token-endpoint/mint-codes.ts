import { createHash, randomBytes } from 'node:crypto';
import { keepAliveAgent } from '../support/http-load.ts';
import { BrowserClient, hiddenFormFields, type PageAnswer } from './browser-client.ts';
import { CONFIDENTIAL_CLIENT, REDIRECT_URI, USER_SCOPE, type ServerReady } from './bench-clients.ts';
import { mapConcurrent } from './token-load.ts';

/** A fresh authorization code and the PKCE verifier of its request (RFC 7636). */
export interface MintedCode {
  code: string;
  verifier: string;
}

export type Dialect = 'plugin' | 'oidc-provider';

/**
 * Mints authorization codes through a server's real front channel (never timed). The first code signs
 * the demo user in and consents; the rest reuse that browser session, `concurrency` flows at a time.
 * - plugin: consent is on file after the first, so /authorize answers with the code at once.
 * - oidc-provider: `prompt=consent` is needed for `offline_access` (OIDC Core §11), so each code passes
 *   through a consent interaction that the server answers by itself (three requests per code).
 */
export class CodeMinter {
  private readonly agent;
  private session: BrowserClient | undefined;

  constructor(private readonly dialect: Dialect, private readonly server: ServerReady, private readonly concurrency: number) {
    this.agent = keepAliveAgent(concurrency);
  }

  async mint(count: number): Promise<MintedCode[]> {
    const minted: MintedCode[] = [];
    if (!this.session) {
      this.session = new BrowserClient(this.server.origin, this.agent);
      minted.push(await this.mintOne(this.session));
    }
    const tabs = Array.from({ length: this.concurrency }, () => (this.session as BrowserClient).fork());
    const perTab = Array.from({ length: this.concurrency }, (_, tab) => Math.floor((count - minted.length + this.concurrency - 1 - tab) / this.concurrency));
    const batches = await mapConcurrent(tabs, this.concurrency, async (browser, tab) => {
      const codes: MintedCode[] = [];
      for (let i = 0; i < (perTab[tab] as number); i++) codes.push(await this.mintOne(browser));
      return codes;
    });
    return [...minted, ...batches.flat()];
  }

  close(): void {
    this.agent.destroy();
  }

  private async mintOne(browser: BrowserClient): Promise<MintedCode> {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code', client_id: CONFIDENTIAL_CLIENT, redirect_uri: REDIRECT_URI, scope: USER_SCOPE,
      state: randomBytes(8).toString('base64url'), code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...(this.dialect === 'plugin' ? { aud: this.server.fhirBaseUrl } : { prompt: 'consent' }),
    });
    let answer = await browser.get(`${this.server.authorizePath}?${query}`);
    for (let step = 0; step < 12; step++) {
      if (answer.location?.startsWith(REDIRECT_URI)) return { code: codeOf(answer.location), verifier };
      answer = await this.nextStep(browser, answer);
    }
    throw new Error(`${this.dialect}: no code after 12 steps (last ${answer.status} ${answer.location ?? answer.text.slice(0, 200)})`);
  }

  /** One step of the flow: follow a redirect inside the server, or fill in the page shown. */
  private nextStep(browser: BrowserClient, answer: PageAnswer): Promise<PageAnswer> {
    if ((answer.status === 302 || answer.status === 303) && answer.location) return browser.get(answer.location);
    if (answer.status === 200 && /<h1>Sign in<\/h1>/.test(answer.text)) {
      const form = hiddenFormFields(answer.text);
      form.set('username', 'provider');
      form.set('password', 'demo-password');
      return browser.postForm(`${this.authPath()}/sign-in`, form);
    }
    if (answer.status === 200 && /name="decision"/.test(answer.text)) {
      // Every requested scope left checked, as a user who approves everything sends them.
      const form = hiddenFormFields(answer.text);
      form.set('decision', 'allow');
      for (const scope of USER_SCOPE.split(' ')) form.append('scope', scope);
      return browser.postForm(`${this.authPath()}/consent`, form);
    }
    throw new Error(`${this.dialect}: unexpected ${answer.status} in the front channel: ${answer.location ?? answer.text.slice(0, 300)}`);
  }

  /** The plugin's pages sit beside its authorization endpoint. */
  private authPath(): string {
    return this.server.authorizePath.replace(/\/authorize$/, '');
  }
}

function codeOf(location: string): string {
  const params = new URL(location).searchParams;
  const code = params.get('code');
  if (!code) throw new Error(`redirected without a code: ${params.get('error')} ${params.get('error_description')}`);
  return code;
}
