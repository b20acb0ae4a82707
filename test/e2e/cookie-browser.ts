import assert from 'node:assert/strict';

/**
 * A minimal browser for end-to-end flows over real HTTP (Node's fetch, i.e. undici): it keeps cookies the
 * way a browser does across every server on the same host (cookies ignore the port, RFC 6265 §8.5),
 * follows redirects itself so that every hop is recorded, and submits HTML forms as they are on the page.
 * It runs no script: that is what the Chromium suite is for.
 */

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  secure: boolean;
  expiresAt: number | undefined;
}

export interface Page {
  url: URL;
  status: number;
  headers: Headers;
  text: string;
}

export class CookieBrowser {
  private cookies: StoredCookie[] = [];
  /** Every URL requested, redirects included, in order. */
  readonly visited: URL[] = [];

  async get(url: string | URL): Promise<Page> {
    return this.navigate(new URL(url), 'GET', undefined);
  }

  /** Submits `form` (method, action and fields as `formIn` read them), with `changes` applied to the fields. */
  async submit(page: Page, form: HtmlForm, changes: Record<string, string | string[]> = {}): Promise<Page> {
    const fields = new URLSearchParams();
    const names = new Set([...form.fields.map(([name]) => name), ...Object.keys(changes)]);
    for (const name of names) {
      const changed = changes[name];
      const values = changed === undefined ? form.fields.filter(([field]) => field === name).map(([, value]) => value)
        : Array.isArray(changed) ? changed : [changed];
      for (const value of values) fields.append(name, value);
    }
    const action = new URL(form.action || page.url.href, page.url);
    if (form.method === 'GET') {
      action.search = fields.toString();
      return this.navigate(action, 'GET', undefined);
    }
    return this.navigate(action, 'POST', fields);
  }

  /** The cookie header this browser would send to `url`. */
  cookieHeader(url: URL): string {
    const now = Date.now();
    this.cookies = this.cookies.filter((cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now);
    return this.cookies
      .filter((cookie) => cookie.host === url.hostname && pathMatches(url.pathname, cookie.path) && (!cookie.secure || url.protocol === 'https:'))
      .sort((a, b) => b.path.length - a.path.length)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  private async navigate(start: URL, method: 'GET' | 'POST', body: URLSearchParams | undefined): Promise<Page> {
    let url = start;
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; hop < 20; hop += 1) {
      this.visited.push(url);
      const headers: Record<string, string> = { accept: 'text/html,application/json;q=0.9,*/*;q=0.8' };
      const cookie = this.cookieHeader(url);
      if (cookie) headers.cookie = cookie;
      if (currentBody) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(url, {
        method: currentMethod, headers, body: currentBody?.toString(), redirect: 'manual', signal: AbortSignal.timeout(15_000),
      });
      this.store(url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if ([301, 302, 303, 307, 308].includes(response.status) && location) {
        await response.arrayBuffer();
        url = new URL(location, url);
        if (response.status !== 307 && response.status !== 308) {
          currentMethod = 'GET';
          currentBody = undefined;
        }
        continue;
      }
      return { url, status: response.status, headers: response.headers, text: await response.text() };
    }
    throw new Error(`more than 20 redirects from ${start.href}`);
  }

  private store(url: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const cookie: StoredCookie = {
        name: pair.slice(0, equals).trim(), value: pair.slice(equals + 1).trim(), host: url.hostname,
        path: defaultPath(url), secure: false, expiresAt: undefined,
      };
      for (const attribute of attributes) {
        const [rawKey = '', ...rest] = attribute.split('=');
        const key = rawKey.trim().toLowerCase();
        const value = rest.join('=').trim();
        if (key === 'path' && value.startsWith('/')) cookie.path = value;
        else if (key === 'secure') cookie.secure = true;
        else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.expiresAt = Date.now() + Number(value) * 1000;
        else if (key === 'expires' && cookie.expiresAt === undefined && !Number.isNaN(Date.parse(value))) cookie.expiresAt = Date.parse(value);
      }
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path));
      if (cookie.expiresAt === undefined || cookie.expiresAt > Date.now()) this.cookies.push(cookie);
    }
  }
}

function defaultPath(url: URL): string {
  const slash = url.pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : url.pathname.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/** A form on a page as a browser would submit it untouched: hidden fields, checked boxes and radios, text values. */
export interface HtmlForm {
  method: 'GET' | 'POST';
  action: string;
  fields: Array<[name: string, value: string]>;
  /** The whole form's HTML, to read labels and options from. */
  html: string;
}

const FORM = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
const INPUT = /<input\b([^>]*)>/gi;

/** The form on `page` that contains `marker` (a button's text, a field name…). */
export function formIn(page: Page, marker: string): HtmlForm {
  for (const match of page.text.matchAll(FORM)) {
    const [, attributes = '', inner = ''] = match;
    if (!inner.includes(marker)) continue;
    const fields: Array<[string, string]> = [];
    for (const input of inner.matchAll(INPUT)) {
      const attrs = input[1] ?? '';
      const name = attribute(attrs, 'name');
      if (name === undefined || /\bdisabled\b/.test(attrs)) continue;
      const type = (attribute(attrs, 'type') ?? 'text').toLowerCase();
      if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(attrs)) continue;
      if (type === 'submit' || type === 'button') continue;
      fields.push([name, attribute(attrs, 'value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    }
    const method = (attribute(attributes, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
    return { method, action: attribute(attributes, 'action') ?? '', fields, html: inner };
  }
  assert.fail(`no form containing ${JSON.stringify(marker)} on ${page.url.href} (status ${page.status}): ${page.text.slice(0, 400)}`);
}

/** The value of the radio or checkbox whose label reads `label` exactly (after decoding entities). */
export function choiceValue(form: HtmlForm, label: string): string {
  for (const match of form.html.matchAll(/<label for="([^"]+)">([\s\S]*?)<\/label>/g)) {
    if (decodeEntities(match[2] ?? '').trim() !== label) continue;
    for (const input of form.html.matchAll(INPUT)) {
      const attrs = input[1] ?? '';
      if (attribute(attrs, 'id') === match[1]) {
        const value = attribute(attrs, 'value');
        assert.ok(value !== undefined, `the choice "${label}" has a value`);
        return value;
      }
    }
  }
  assert.fail(`no choice labelled ${JSON.stringify(label)} in the form`);
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (entity, body: string) => {
    const lower = body.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? entity;
  });
}

/** The page's first-level heading, decoded. */
export function headingOf(page: Page): string {
  const match = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(page.text);
  return match ? decodeEntities(match[1] ?? '').replace(/<[^>]+>/g, '').trim() : '';
}
