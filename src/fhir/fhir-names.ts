/** A FHIR resource type name as this server accepts it (R4: an upper-case letter, then letters). */
export const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** A FHIR logical id (R4 `id` datatype: 1 to 64 letters, digits, `-` and `.`). */
export const RESOURCE_ID = /^[A-Za-z0-9\-.]{1,64}$/;
