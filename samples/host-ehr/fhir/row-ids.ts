/**
 * The sample's FHIR ids are its integer row ids, with a prefix for types served from several tables. Anything
 * else is an id the sample never issued: it matches nothing, which the plugin answers as 404 or an empty search.
 */

/** The sample's ids are integers; any other id matches nothing (the plugin answers 404 as for a missing row). */
export function numericId(id: string): number | undefined {
  return /^[1-9][0-9]{0,9}$/.test(id) && Number(id) <= 2_147_483_647 ? Number(id) : undefined;
}

/** A prefixed id (`lab-12`) for resources served from several tables; undefined when the prefix differs. */
export function prefixedId(id: string, prefix: string): number | undefined {
  return id.startsWith(`${prefix}-`) ? numericId(id.slice(prefix.length + 1)) : undefined;
}
