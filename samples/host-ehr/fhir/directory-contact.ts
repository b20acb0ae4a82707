/**
 * Addresses and telecom as the sample's tables hold them (one line, city, two-letter state, ZIP; a phone and
 * an optional email), shaped as FHIR R4 Address and ContactPoint for every directory resource.
 */

/** The NPI identifier system US Core requires for Practitioner and Organization. */
export const npiSystem = 'http://hl7.org/fhir/sid/us-npi';

/** Columns `address_line`, `city`, `state`, `postal_code` (all required by the schema), prefixed by `prefix`. */
export function addressOf(row: Record<string, unknown>, use: 'home' | 'work', prefix = ''): Record<string, unknown> {
  return {
    use,
    line: [String(row[`${prefix}address_line`])],
    city: String(row[`${prefix}city`]),
    state: String(row[`${prefix}state`]),
    postalCode: String(row[`${prefix}postal_code`]),
    country: 'US',
  };
}

/** A phone number and, when there is one, an email. */
export function telecomOf(phone: unknown, email: unknown, use: 'home' | 'work'): Array<Record<string, unknown>> {
  const points: Array<Record<string, unknown>> = [{ system: 'phone', value: String(phone), use }];
  if (typeof email === 'string' && email !== '') points.push({ system: 'email', value: email, use });
  return points;
}

/** The columns the FHIR `address` string parameter searches (any part of the address, R4 Address search). */
export function addressColumns(alias: string): string[] {
  return ['address_line', 'city', 'state', 'postal_code'].map((column) => `${alias}.${column}`);
}
