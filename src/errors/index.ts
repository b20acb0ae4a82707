export { ConfigurationError } from './configuration-error.ts';
export { DuplicateClientError, InvalidRegistrationError } from './invalid-registration-error.ts';
