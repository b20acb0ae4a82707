import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { FhirResource } from './provider.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * Sends FHIR JSON (an object, or its serialised form). PHI never goes into a shared or disk cache (REQ-POST-4).
 * Written with `end` rather than Express's `send`: the plugin sets its own ETags where they mean something
 * (reads), and a search Bundle must not get one computed and compared behind its back.
 */
export function sendFhir(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  res.status(status).set({ 'Content-Type': FHIR_JSON, 'Cache-Control': 'no-store', ...headers });
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(res.req.method === 'HEAD' ? undefined : json);
}

/** A resource serialised once, with its weak ETag over exactly the bytes served. */
export function serialised(resource: FhirResource): { json: string; etag: string } {
  const json = JSON.stringify(resource);
  return { json, etag: etagOfJson(json) };
}

/** A weak ETag over the resource as served, so a reader can revalidate and a writer can say which version it read. */
export function etagOf(resource: FhirResource): string {
  return etagOfJson(JSON.stringify(resource));
}

function etagOfJson(json: string): string {
  return `W/"${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"`;
}

/** `If-None-Match` (RFC 9110 §13.1.2, weak comparison): true when the client's copy is current. */
export function notModified(req: Request, etag: string): boolean {
  const header = req.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => bare(tag) === bare(etag));
}
