import type { FhirResource } from '../../../src/index.ts';
import { addressOf, telecomOf } from './directory-contact.ts';
import { usCoreProfile } from './search-parameters.ts';

/** Where the sample's medical record numbers come from: a stable system URI for identifier search. */
export const mrnSystem = 'https://riverside.example/fhir/sid/mrn';

/** CDC Race & Ethnicity code system, which the US Core race and ethnicity extensions bind to. */
const cdcRaceEthnicity = 'urn:oid:2.16.840.1.113883.6.238';

const languageNames: Record<string, string> = { en: 'English', es: 'Spanish' };

/** The `ehr_patients` columns a Patient is built from. */
export const patientColumns = [
  'p.id', 'p.mrn', 'p.given_name', 'p.family_name', 'p.birth_date', 'p.sex', 'p.address_line', 'p.city', 'p.state',
  'p.postal_code', 'p.phone', 'p.email', 'p.race_code', 'p.race_display', 'p.ethnicity_code', 'p.ethnicity_display',
  'p.language', 'p.primary_provider_id',
];

/** An `ehr_patients` row as a US Core 6.1 Patient. */
export function patientResource(row: Record<string, unknown>): FhirResource {
  const language = String(row.language);
  return {
    resourceType: 'Patient',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-patient')] },
    extension: [
      ombExtension('us-core-race', row.race_code, row.race_display),
      ombExtension('us-core-ethnicity', row.ethnicity_code, row.ethnicity_display),
    ],
    identifier: [{
      use: 'usual',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
      system: mrnSystem,
      value: String(row.mrn),
    }],
    name: [{ use: 'official', family: String(row.family_name), given: [String(row.given_name)] }],
    telecom: telecomOf(row.phone, row.email, 'home'),
    gender: String(row.sex),
    birthDate: String(row.birth_date),
    address: [addressOf(row, 'home')],
    communication: [{
      language: {
        coding: [{ system: 'urn:ietf:bcp:47', code: language, ...(languageNames[language] ? { display: languageNames[language] } : {}) }],
        ...(languageNames[language] ? { text: languageNames[language] } : {}),
      },
      preferred: true,
    }],
    ...(row.primary_provider_id != null ? { generalPractitioner: [{ reference: `Practitioner/${String(row.primary_provider_id)}` }] } : {}),
  };
}

/** The US Core race or ethnicity extension: the table holds one OMB category code per patient. */
function ombExtension(name: 'us-core-race' | 'us-core-ethnicity', code: unknown, display: unknown): Record<string, unknown> {
  return {
    url: `http://hl7.org/fhir/us/core/StructureDefinition/${name}`,
    extension: [
      { url: 'ombCategory', valueCoding: { system: cdcRaceEthnicity, code: String(code), display: String(display) } },
      { url: 'text', valueString: String(display) },
    ],
  };
}
