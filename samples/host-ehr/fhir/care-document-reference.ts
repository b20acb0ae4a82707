import type { Knex } from 'knex';
import type { FhirResource, ProvidedResource, ResourceProvider } from '../../../src/index.ts';
import { codeSystems } from '../database/seed-context.ts';
import { categoryRestriction } from './category-restriction.ts';
import { chartResource } from './provided-resource.ts';
import {
  constantParameter, dateParameter, patientParameter, periodParameter, tokenParameter, usCoreProfile, usCoreSearchParameters,
} from './search-parameters.ts';
import { tableProvider, type TableSource } from './table-provider.ts';

const usCore = usCoreSearchParameters('DocumentReference');

/** US Core DocumentReference category of every note in the sample: a clinical note. */
const clinicalNoteCategory = {
  system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note', display: 'Clinical Note',
} as const;
const category = constantParameter(usCore, 'category', clinicalNoteCategory);

/**
 * The documents of the charts with their type (a document's own type decides whether it is confidential) and
 * visit. DocumentReference searches them; Binary reads the same rows under the same restrictions.
 */
export const documents: Omit<TableSource, 'toResources'> = {
  resourceType: 'DocumentReference',
  rows: (knex) => knex('ehr_documents as d')
    .join('ehr_document_types as ct', 'ct.id', 'd.document_type_id')
    .leftJoin('ehr_encounters as e', 'e.id', 'd.encounter_id')
    .select('d.*', 'ct.name as doc_type_name', 'ct.is_confidential as doc_type_confidential',
      'ct.loinc_code', 'ct.loinc_display', 'e.start_at as encounter_start', 'e.end_at as encounter_end'),
  idColumn: 'd.id',
  chart: { patient: 'd.patient_id', document: 'd.id' },
  restrict: categoryRestriction(category),
  searchParameters: [
    patientParameter(usCore, 'd.patient_id'),
    category,
    tokenParameter(usCore, 'type', { code: 'ct.loinc_code', fixedSystem: codeSystems.loinc }),
    dateParameter(usCore, 'date', 'd.document_date'),
    tokenParameter(usCore, 'status', { code: 'd.status', fixedSystem: 'http://hl7.org/fhir/document-reference-status' }),
    periodParameter(usCore, 'period', { start: 'e.start_at', end: 'e.end_at' }),
  ],
};

/**
 * US Core DocumentReference (6.1) over `ehr_documents`: a clinical note whose content is served as
 * `Binary/<document id>`. A document of a confidential type hides itself (and what was recorded in it).
 */
export function documentReferenceProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    ...documents,
    profiles: [usCoreProfile('us-core-documentreference')],
    idDefinition: usCore('id'),
    order: [{ column: 'd.document_date', order: 'desc' }],
    toResources: async (rows) => rows.map(toDocumentReference),
  });
}

function toDocumentReference(row: Record<string, unknown>): ProvidedResource {
  const id = String(row.id);
  const context: Record<string, unknown> = {};
  if (row.encounter_id != null) {
    context.encounter = [{ reference: `Encounter/${String(row.encounter_id)}` }];
    context.period = { start: String(row.encounter_start), ...(row.encounter_end != null ? { end: String(row.encounter_end) } : {}) };
  }
  const resource: FhirResource = {
    resourceType: 'DocumentReference',
    id,
    meta: { profile: [usCoreProfile('us-core-documentreference')] },
    status: String(row.status),
    type: { coding: [{ system: codeSystems.loinc, code: String(row.loinc_code), display: String(row.loinc_display) }], text: String(row.doc_type_name) },
    category: [{ coding: [{ ...clinicalNoteCategory }] }],
    subject: { reference: `Patient/${String(row.patient_id)}` },
    date: String(row.document_date),
    author: [{ reference: `Practitioner/${String(row.author_provider_id)}` }],
    description: String(row.title),
    content: [{
      attachment: { contentType: String(row.content_type), url: `Binary/${id}`, title: String(row.title), creation: String(row.document_date) },
    }],
    ...(Object.keys(context).length > 0 ? { context } : {}),
  };
  return chartResource(row, resource);
}
