import { ConfigurationError } from '../errors/configuration-error.ts';

/** Small typed checks that throw a ConfigurationError naming the option path. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(path: string, value: unknown, optional = true): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (!isPlainObject(value)) throw new ConfigurationError(path, 'an object', value);
  return value;
}

/** Refuses keys the option type does not know, so a typo is not silently ignored. */
export function onlyKeys(path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ConfigurationError(path ? `${path}.${key}` : key, `one of the known options (${allowed.join(', ')})`);
    }
  }
}

export function booleanAt(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigurationError(path, 'true or false', value);
  return value;
}

export function integerAt(path: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(path, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** SQL identifiers we splice into DDL: letters, digits and underscores, starting with a letter. */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export function identifierAt(path: string, value: unknown, fallback: string | undefined, maxLength = 63): string | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !IDENTIFIER.test(value) || value.length > maxLength) {
    throw new ConfigurationError(path, `an SQL identifier (a letter, then letters, digits or underscores, at most ${maxLength} characters)`, value);
  }
  return value;
}

export function nonEmptyStringAt(path: string, value: unknown, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigurationError(path, 'a non-empty string', value);
  return value;
}

export function functionAt(path: string, value: unknown): void {
  if (typeof value !== 'function') throw new ConfigurationError(path, 'a function', value);
}
