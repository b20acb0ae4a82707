/**
 * oidc-provider's built-in in-memory adapter keeps everything in one LRU of 1000 entries (quick-lru): a
 * pre-minted pool of more than about a thousand codes would lose its oldest codes (and the grant) before
 * the timed run reached them. The adapter module exports `setStorage`; handing it a plain Map keeps the
 * adapter's own code path (find, upsert, consume, revokeByGrantId) and only lifts the cap. Entries never
 * expired in that LRU either (the adapter passes a number where quick-lru expects `{ maxAge }`).
 */
export async function liftMemoryAdapterCap(): Promise<void> {
  const { setStorage } = await import('oidc-provider/lib/adapters/memory_adapter.js');
  setStorage(new Map());
}
