/** What the FHIR benchmark's server process and its parent say to each other over the fork IPC channel. */

/** Sent once the server listens: where it is, and the demo ids the benchmarked requests use. */
export interface FhirServerReady {
  ready: true;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Path of the plugin's FHIR base (`/smart/fhir`) and of the bare baseline (`/bare`). */
  pluginBase: string;
  bareBase: string;
  tokenPath: string;
  /** Pat Jones's Patient id, and one of his lab results as an Observation id (`lab-<row id>`). */
  patientId: string;
  labObservationId: string;
  /** What the provider itself answers to Observation?patient=<Pat>&category=laboratory with the bare side's restrictions. */
  labSearchTotal: number;
  /** The restrictions the bare routes pass the providers, for the report. */
  bareRestrictions: string;
}

/** Parent → child requests; each is answered by a message with the same `id`. */
export type ServerRequest =
  | { id: number; kind: 'cpu' }
  | { id: number; kind: 'profile-start' }
  | { id: number; kind: 'profile-stop'; file: string };

export interface ServerReply {
  id: number;
  /** `process.cpuUsage()` of the server for `cpu`; nothing for the others. */
  cpu?: NodeJS.CpuUsage;
  /** For `cpu`: how many SQL queries knex has sent so far (both sides, plugin tables and providers). */
  queries?: number;
  error?: string;
}
