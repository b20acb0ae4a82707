const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/**
 * A FHIR `date` (YYYY, YYYY-MM or YYYY-MM-DD, FHIR R4 §2.24.0.1) in words, e.g. "22 July 1986".
 * The string is read field by field rather than through `Date`, so the server's time zone can never
 * move a birthday by a day. A value that is not a FHIR date is returned as it is.
 */
export function formatBirthDate(value: string): string {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (match === null) return value;
  const [, year, month, day] = match;
  if (month === undefined) return year ?? value;
  const monthName = MONTHS[Number(month) - 1];
  if (monthName === undefined) return value;
  if (day === undefined) return `${monthName} ${year}`;
  const dayNumber = Number(day);
  if (dayNumber < 1 || dayNumber > daysInMonth(Number(year), Number(month))) return value;
  return `${dayNumber} ${monthName} ${year}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
