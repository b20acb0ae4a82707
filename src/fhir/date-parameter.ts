import type { DateValue } from './provider.ts';

const COMPARATORS = ['eq', 'ne', 'gt', 'lt', 'ge', 'le'] as const;
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A date search value (FHIR R4 search §3.1.1.4.4): an optional comparator, then a date or dateTime whose
 * precision defines an implicit range [start, end). Returns undefined for anything malformed, and for the
 * comparators this server does not support (`sa`, `eb`, `ap`).
 */
export function parseDateValue(raw: string): DateValue | undefined {
  const prefix = /^[a-z]{2}/.exec(raw)?.[0];
  let comparator: DateValue['comparator'] = 'eq';
  let text = raw;
  if (prefix !== undefined) {
    if (!(COMPARATORS as readonly string[]).includes(prefix)) return undefined;
    comparator = prefix as DateValue['comparator'];
    text = raw.slice(2);
  }
  const range = dateRange(text) ?? dateTimeRange(text);
  return range && { kind: 'date', comparator, ...range };
}

function dateRange(text: string): { start: string; end: string } | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]);
  const day = match[3] === undefined ? undefined : Number(match[3]);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (month === undefined) return { start: day10(Date.UTC(year, 0, 1)), end: day10(Date.UTC(year + 1, 0, 1)) };
  if (day === undefined) return { start: day10(Date.UTC(year, month - 1, 1)), end: day10(Date.UTC(year, month, 1)) };
  const start = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026-02-30 over into March: such a date does not exist.
  if (new Date(start).getUTCDate() !== day) return undefined;
  return { start: day10(start), end: day10(Date.UTC(year, month - 1, day + 1)) };
}

function dateTimeRange(text: string): { start: string; end: string } | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, zone] = match;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  // A time without an offset is read as UTC, the zone every instant of this API is given in.
  const offset = zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (new Date(local).getUTCDate() !== Number(d)) return undefined;
  const start = local - offset * 60_000;
  const step = s === undefined ? 60_000 : 1_000;
  return { start: instant(start), end: instant(start + step) };
}

function day10(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function instant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
