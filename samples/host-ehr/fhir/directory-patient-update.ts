import type { Knex } from 'knex';
import { FhirRequestError, type FhirResource, type ProvidedResource, type ProviderContext } from '../../../src/index.ts';
import { patientDemographics } from './directory-patient-demographics.ts';
import { patientSource } from './directory-patient.ts';
import { readResource } from './table-provider.ts';

/**
 * `PUT Patient/[id]` (FHIR R4 update, §3.1.0.4): changes the demographics `ehr_patients` holds. The MRN,
 * race and ethnicity are registration facts this sample does not let an API client change, so they are
 * kept as they are. Undefined when the patient does not exist or the caller may not see it (the plugin
 * answers 404 either way), checked in the same transaction as the change.
 */
export async function updatePatient(
  knex: Knex, id: string, resource: FhirResource, { restrictions }: ProviderContext,
): Promise<ProvidedResource | undefined> {
  if (resource.resourceType !== 'Patient') {
    throw new FhirRequestError(400, 'invalid', `Expected a Patient resource, not ${String(resource.resourceType)}`);
  }
  // R4 §3.1.0.4: the body's id is required and must be the id in the URL.
  if (resource.id !== id) {
    throw new FhirRequestError(400, 'invalid', `The resource id (${String(resource.id)}) must match the id in the URL (${id})`);
  }
  const changes = patientDemographics(resource);
  return knex.transaction(async (trx) => {
    if ((await readResource(trx, patientSource, id, restrictions)) === undefined) return undefined;
    await trx('ehr_patients').where('id', Number(id)).update(changes);
    return readResource(trx, patientSource, id, restrictions);
  });
}
