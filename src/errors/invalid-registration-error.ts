/** A client registration the plugin refuses; `field` names the offending property. */
export class InvalidRegistrationError extends Error {
  override readonly name = 'InvalidRegistrationError';
  constructor(readonly field: string, reason: string) {
    super(`Invalid client registration "${field}": ${reason}`);
  }
}

/** The client id is taken already. */
export class DuplicateClientError extends Error {
  override readonly name = 'DuplicateClientError';
  constructor(readonly clientId: string) {
    super(`A client with id "${clientId}" is registered already`);
  }
}
