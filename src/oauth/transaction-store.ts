import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { pluginSession } from '../http/plugin-session.ts';
import type { ClientsStore } from '../store/clients-store.ts';
import type { AuthorizationRequest } from './authorization-request.ts';

/** What the flow learns between steps: the chosen patient, the launch context used, the user's approval. */
export interface FlowInfo {
  patientId?: string;
  encounterId?: string | null;
  launchUsed?: boolean;
  /** True when the EHR (launch) showed the patient, so the app need not show a banner. */
  fromEhrLaunch?: boolean;
  /** Whom the flow's context (launch, chosen chart) was established for; see `checkFlowUser`. */
  userKey?: string;
  /** Chart ids the picker has shown in this flow: the only ones it accepts. */
  offered?: string[];
  /** The page the flow waits on. */
  step?: 'sign-in' | 'pick-patient' | 'consent';
}

interface StoredTransaction {
  clientId: string;
  redirectURI: string;
  req: { type: string; clientID: string; redirectURI: string; scope: string[]; state: string; smart: AuthorizationRequest };
  info: FlowInfo;
  expiresAt: number;
}

const MAX_PENDING = 8;

/** Thrown when a step names a transaction this browser session does not hold (expired, finished, or forged). */
export class TransactionNotFound extends Error {
  override readonly name = 'TransactionNotFound';
}

/**
 * oauth2orize's transaction store (its non-legacy interface: load, store, update, remove), kept in the
 * plugin's own session. A transaction is only ever found through the browser session that started it,
 * which binds every step (sign-in, picker, consent) to that browser.
 */
export class SessionTransactionStore {
  constructor(private readonly clients: ClientsStore, private readonly lifetimeSeconds: number) {}

  load(req: Request, callback: (error: unknown, txn?: unknown) => void): void {
    this.loadById(req, transactionIdOf(req), callback);
  }

  /** Like `load`, for a transaction named elsewhere than the request (an identity provider's callback). */
  loadById(req: Request, tid: string | undefined, callback: (error: unknown, txn?: unknown) => void): void {
    const stored = tid ? this.pending(req)[tid] : undefined;
    if (!tid || !stored || stored.expiresAt < Date.now()) {
      callback(new TransactionNotFound('no such transaction in this session'));
      return;
    }
    // The client as the app named it: a developer-portal client is read again from its signed client id,
    // so any instance behind a load balancer can continue the flow.
    this.clients.get(stored.req.smart.clientCredential ?? stored.clientId).then((client) => {
      if (!client || client.disabled) return callback(new TransactionNotFound('the client is gone'));
      callback(null, { transactionID: tid, client, redirectURI: stored.redirectURI, req: stored.req, info: stored.info });
    }, callback);
  }

  store(req: Request, txn: Record<string, unknown>, callback: (error: unknown, tid?: string) => void): void {
    const tid = randomBytes(16).toString('base64url');
    this.write(req, tid, txn).then(() => callback(null, tid), callback);
  }

  update(req: Request, tid: string, txn: Record<string, unknown>, callback: (error: unknown, tid?: string) => void): void {
    this.write(req, tid, txn).then(() => callback(null, tid), callback);
  }

  remove(req: Request, tid: string, callback: (error?: unknown) => void): void {
    const pending = this.pending(req);
    delete pending[tid];
    pluginSession(req).save().then(() => callback(), callback);
  }

  /**
   * Ends a transaction for good before its outcome (code or error) is sent, so a form posted twice, or
   * replayed, cannot finish the same authorization again. The claim is a row of its own: a stale copy
   * of the session saved by a concurrent request cannot bring the transaction back.
   */
  async claim(req: Request, tid: string): Promise<void> {
    if (!(await pluginSession(req).claimOnce(`transaction:${tid}`))) throw new TransactionNotFound('the transaction was completed already');
    delete this.pending(req)[tid];
    await pluginSession(req).save();
  }

  private async write(req: Request, tid: string, txn: Record<string, unknown>): Promise<void> {
    const client = txn.client as { clientId: string };
    const pending = this.pending(req);
    pending[tid] = {
      clientId: client.clientId,
      redirectURI: String(txn.redirectURI),
      req: txn.req as StoredTransaction['req'],
      info: (txn.info ?? {}) as FlowInfo,
      expiresAt: pending[tid]?.expiresAt ?? Date.now() + this.lifetimeSeconds * 1000,
    };
    // Abandoned flows do not pile up: keep the newest few.
    const ids = Object.keys(pending).sort((a, b) => (pending[b] as StoredTransaction).expiresAt - (pending[a] as StoredTransaction).expiresAt);
    for (const old of ids.slice(MAX_PENDING)) delete pending[old];
    await pluginSession(req).save();
  }

  private pending(req: Request): Record<string, StoredTransaction> {
    const data = pluginSession(req).data;
    data.transactions ??= {};
    return data.transactions as Record<string, StoredTransaction>;
  }
}

/** The transaction id a step names: in the query (GET pages) or the form body (POST). */
export function transactionIdOf(req: Request): string | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const value = req.method === 'POST' ? body.transaction_id : req.query.transaction_id;
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value) ? value : undefined;
}
