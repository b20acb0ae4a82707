/** smart-ehr-plugin: a SMART on FHIR authorization server and FHIR R4 API for an Express EHR backend. */
export { createSmartPlugin, type SmartPlugin } from './create-plugin.ts';
export type { SmartPluginOptions, HostContractViews, PluginLogger } from './config/options.ts';
export type { PluginManifest, PermissionRequirement, ResourcePermissions } from './config/manifest.ts';
export type { HostDirectory, HostUser, HostPatient, PatientLink } from './host/host-directory.ts';
export { verifyPasswordHash } from './host/password-hash-formats.ts';
export type {
  ClientRegistrationInput, RegisteredClient, AuthMethod, GrantType,
} from './store/client-registration.ts';
export type { RegistrationResult } from './store/clients-store.ts';
export type { MigrationStatus } from './store/migrate.ts';
export { mssqlInstallScript } from './store/mssql-script.ts';
export { ConfigurationError, DuplicateClientError, InvalidRegistrationError } from './errors/index.ts';
export { LaunchError, type LaunchInput } from './oauth/create-launch.ts';
export type { AuthorizedApp, GrantOwner } from './oauth/grants-api.ts';
export type {
  FhirResource, FhirMeta, FhirCoding, CategoryToken, AccessRestrictions, ProvidedResource, SearchParameterType,
  SearchParameterDefinition, TokenValue, ReferenceValue, DateValue, StringValue, SearchValue, SearchCriterion,
  ProviderContext, SearchRequest, SearchResult, IncludeDefinition, ResourceProvider, IssueType,
} from './fhir/provider.ts';
export { FhirRequestError } from './fhir/provider.ts';
