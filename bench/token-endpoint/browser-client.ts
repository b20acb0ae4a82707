import http from 'node:http';

/** A response as a browser sees it, without following redirects. */
export interface PageAnswer {
  status: number;
  location: string | undefined;
  text: string;
}

/**
 * The few things of a browser the authorization front channel needs (used only to mint codes, never
 * timed): a cookie jar by name, GET and form POST, no redirect following, a bounded wait.
 */
export class BrowserClient {
  private readonly cookies: Map<string, string>;

  constructor(private readonly origin: string, private readonly agent: http.Agent, cookies?: Map<string, string>) {
    this.cookies = new Map(cookies);
  }

  /** A second browser tab: the same cookies from now on kept apart. */
  fork(): BrowserClient {
    return new BrowserClient(this.origin, this.agent, this.cookies);
  }

  get(pathOrUrl: string): Promise<PageAnswer> {
    return this.send('GET', pathOrUrl);
  }

  postForm(path: string, form: URLSearchParams): Promise<PageAnswer> {
    return this.send('POST', path, form.toString());
  }

  private send(method: string, pathOrUrl: string, body?: string): Promise<PageAnswer> {
    const url = new URL(pathOrUrl, this.origin);
    if (url.origin !== this.origin) throw new Error(`refusing to leave ${this.origin} for ${url.origin}`);
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) });
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, agent: this.agent, headers }, (res) => {
        this.remember(res.headers['set-cookie'] ?? []);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${url.pathname}: no answer within 10 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  private remember(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The hidden fields of a server-rendered form, as a browser would submit them. */
export function hiddenFormFields(page: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    form.append(match[1] as string, (match[2] as string).replace(/&amp;/g, '&'));
  }
  return form;
}
