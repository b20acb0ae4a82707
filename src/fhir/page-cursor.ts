import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a paging link stands for: the search as asked (where the page starts travels beside it). */
export interface SealedSearch {
  resourceType: string;
  /** The search parameters as the client sent them (query string and form body), without paging ones. */
  entries: Array<[string, string]>;
}

/**
 * Paging links of searchset Bundles carry an opaque cursor (`?_page=…`) instead of the search parameters, so
 * names, birth dates and identifiers searched for never appear in a URL, a proxy log or a browser history
 * (audit-requirements REQ-POST-2). The cursor is sealed with AES-256-GCM under a key derived from the plugin
 * secret and bound to the access token that made the search: it works on every instance, means nothing to
 * anyone else, and expires with that token. A search is sealed once, on its first page; later pages reuse the
 * seal, and only the offset (no PHI, and harmless to change: it stays within the caller's own search) differs.
 */
export class PageCursors {
  constructor(private readonly key: Buffer) {}

  seal(state: SealedSearch, tokenId: string, expiresAt: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(tokenId));
    const body = JSON.stringify({ t: state.resourceType, e: state.entries, x: expiresAt });
    const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The search, or undefined for a seal that was altered, made for another token, or expired. */
  open(cursor: string, tokenId: string): SealedSearch | undefined {
    try {
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length < 29) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(tokenId));
      decipher.setAuthTag(raw.subarray(12, 28));
      const body = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as {
        t: string; e: Array<[string, string]>; x: number;
      };
      if (typeof body.x !== 'number' || body.x <= Date.now()) return undefined;
      return { resourceType: body.t, entries: body.e };
    } catch {
      return undefined;
    }
  }
}
