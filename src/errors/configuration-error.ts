/** Thrown at construction when an option or the manifest is invalid; `path` names the offending option. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  readonly path: string;
  readonly expected: string;

  constructor(path: string, expected: string, actual?: unknown) {
    const shown = actual === undefined || SECRET_PATH.test(path) ? '' : `, got ${describe(actual)}`;
    super(`Invalid option "${path}": expected ${expected}${shown}`);
    this.path = path;
    this.expected = expected;
  }
}

// Values of secret-bearing options are never echoed into an error message (which may be logged).
const SECRET_PATH = /secret|password|key|token|connection|^knex/i;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
