/**
 * What of an unexpected error may be logged: its class, a driver code, and its message with every quoted
 * value masked and its length capped, since database drivers quote the values a query failed on, and those
 * may be identifiers, tokens' digests or patient data.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const e = error as { name?: unknown; message?: unknown; code?: unknown; number?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return {
    error: typeof e?.name === 'string' ? e.name : typeof error,
    ...(e?.code !== undefined ? { code: String(e.code) } : e?.number !== undefined ? { code: String(e.number) } : {}),
    detail: message.replace(/"[^"]*"|'[^']*'|\([^()]*\)=\([^()]*\)/g, '"…"').slice(0, 300),
  };
}
