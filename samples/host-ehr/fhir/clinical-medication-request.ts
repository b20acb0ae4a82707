import type { Knex } from 'knex';
import type { FhirResource, ResourceProvider } from '../../../src/index.ts';
import { categoryRestriction } from './category-restriction.ts';
import { concept, decimal, encounterOf, patientReference } from './chart-elements.ts';
import { chartTable } from './chart-table.ts';
import { chartResource } from './provided-resource.ts';
import { referenceInclude } from './reference-include.ts';
import {
  codeSetParameter, dateParameter, patientParameter, referenceParameter, tokenParameter, usCoreProfile, usCoreSearchParameters,
} from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const profile = usCoreProfile('us-core-medicationrequest');
const usCore = usCoreSearchParameters('MedicationRequest');
const statusSystem = 'http://hl7.org/fhir/CodeSystem/medicationrequest-status';
const intentSystem = 'http://hl7.org/fhir/CodeSystem/medicationrequest-intent';
const categorySystem = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';

/** The categories `ehr_medication_orders.category` holds (FHIR medicationrequest-category). */
const medicationRequestCategories = [
  { system: categorySystem, code: 'community', display: 'Community' },
  { system: categorySystem, code: 'outpatient', display: 'Outpatient' },
] as const;

const category = codeSetParameter(usCore, 'category', 'mo.category', medicationRequestCategories, 'community | outpatient');

/** `_include=MedicationRequest:medication`: the formulary entry, served as Medication by the directory providers. */
const medicationInclude = referenceInclude('medication', ['Medication'], 'medicationReference');

/**
 * MedicationRequest from `ehr_medication_orders` (US Core 6.1). SHALL `patient+intent` and `patient+intent+status`
 * (both multipleOr); SHOULD authoredon and encounter. The medication is a reference to the formulary row.
 */
export function medicationRequestProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'MedicationRequest',
    profiles: [profile],
    ...chartTable('ehr_medication_orders', 'mo', (rows) => rows
      .join('ehr_medications as med', 'med.id', 'mo.medication_id').select('med.display as medication_display')),
    // Granular scopes rarely name MedicationRequest categories, but one that does must narrow what is seen.
    restrict: categoryRestriction(category),
    searchParameters: [
      patientParameter(usCore, 'mo.patient_id'),
      tokenParameter(usCore, 'intent', { code: 'mo.intent', fixedSystem: intentSystem }, 'order | plan | ...'),
      tokenParameter(usCore, 'status', { code: 'mo.status', fixedSystem: statusSystem }, 'active | completed | stopped | ...'),
      dateParameter(usCore, 'authoredon', 'mo.authored_on', 'When the prescription was written.'),
      referenceParameter(usCore, 'encounter', 'mo.encounter_id', 'Encounter', 'The encounter the resource was recorded in.'),
      category,
    ],
    order: [{ column: 'mo.authored_on', order: 'desc' }],
    includes: [medicationInclude],
    toResources: async (rows) => rows.map((row) => chartResource(row, medicationRequest(row))),
  });
}

function medicationRequest(row: Record<string, unknown>): FhirResource {
  const category = medicationRequestCategories.find((known) => known.code === row.category);
  const quantity = decimal(row.quantity);
  return {
    resourceType: 'MedicationRequest',
    id: String(row.id),
    meta: { profile: [profile] },
    status: String(row.status),
    intent: String(row.intent),
    ...(category ? { category: [concept(category.system, category.code, category.display)] } : {}),
    // Orders are written by the prescriber in the EHR, never transcribed from another source.
    reportedBoolean: false,
    medicationReference: { reference: `Medication/${String(row.medication_id)}`, display: String(row.medication_display) },
    subject: patientReference(row),
    ...encounterOf(row),
    authoredOn: String(row.authored_on),
    requester: { reference: `Practitioner/${String(row.prescriber_id)}` },
    dosageInstruction: [{ text: String(row.dosage_text) }],
    ...dispenseRequest(quantity, row.refills),
  };
}

function dispenseRequest(quantity: number | undefined, refills: unknown): Record<string, unknown> {
  if (quantity === undefined && refills == null) return {};
  return {
    dispenseRequest: {
      ...(refills == null ? {} : { numberOfRepeatsAllowed: Number(refills) }),
      ...(quantity === undefined ? {} : { quantity: { value: quantity } }),
    },
  };
}
