import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FhirRequestError, type FhirResource, type ResourceProvider } from '../../src/index.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { compartment, directoryFixture, everything, staff, type DirectoryFixture } from './providers-directory-fixture.ts';

let fixture: DirectoryFixture;
let patients: ResourceProvider;

before(async () => {
  fixture = await directoryFixture();
  patients = fixture.provider('Patient');
});
after(() => fixture.drop());

/** The patient as read, with changes applied: how a client edits a resource before PUT. */
async function edited(id: string, change: (patient: Record<string, any>) => void): Promise<FhirResource> {
  const current = structuredClone((await patients.read(id, { restrictions: everything }))!.resource) as Record<string, any>;
  change(current);
  return current as FhirResource;
}

async function rejected(id: string, resource: FhirResource, status: number, issue: string, message: RegExp): Promise<void> {
  await assert.rejects(patients.update!(id, resource, { restrictions: everything }), (error: unknown) => {
    assert.ok(error instanceof FhirRequestError, String(error));
    assert.equal(error.status, status);
    assert.equal(error.issue, issue);
    assert.match(error.message, message);
    return true;
  });
}

describe('Patient provider: update', () => {
  it('changes the demographics the table holds and returns the updated Patient', async () => {
    const id = fixture.patients.pat;
    const before = await fixture.db.knex('ehr_patients').where('id', Number(id)).first();
    const resource = await edited(id, (patient) => {
      patient.name = [{ use: 'official', family: 'Jones-Smith', given: ['Patrick', 'J'] }];
      patient.telecom = [{ system: 'phone', value: '(217) 555-0199', use: 'mobile' }];
      patient.address = [{ use: 'home', line: ['9 Maple Court', 'Unit 2'], city: 'Chatham', state: 'il', postalCode: '62629' }];
      patient.gender = 'other';
      patient.birthDate = '1958-03-15';
      patient.communication = [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }] }, preferred: true }];
    });
    const updated = await patients.update!(id, resource, { restrictions: everything });
    assert.ok(updated);
    assertValidR4(updated.resource);
    assert.equal(updated.patientId, id);
    const row = await fixture.db.knex('ehr_patients').where('id', Number(id)).first();
    assert.deepEqual(
      { ...row, is_sensitive: Boolean(row.is_sensitive) },
      {
        ...before, is_sensitive: Boolean(before.is_sensitive), given_name: 'Patrick J', family_name: 'Jones-Smith',
        phone: '(217) 555-0199', email: null, address_line: '9 Maple Court, Unit 2', city: 'Chatham', state: 'IL',
        postal_code: '62629', sex: 'other', birth_date: '1958-03-15', language: 'es',
      },
    );
    const result = updated.resource as Record<string, any>;
    assert.deepEqual(result.name, [{ use: 'official', family: 'Jones-Smith', given: ['Patrick J'] }]);
    assert.equal(result.identifier[0].value, before.mrn);
    assert.deepEqual(await patients.read(id, { restrictions: everything }), updated);
  });

  it('keeps the recorded language when the Patient has no communication', async () => {
    const id = fixture.patients.maria;
    const updated = await patients.update!(id, await edited(id, (patient) => { delete patient.communication; }), { restrictions: everything });
    assert.equal((updated!.resource as Record<string, any>).communication[0].language.coding[0].code, 'es');
  });

  it('refuses a body that is not this Patient with 400', async () => {
    const id = fixture.patients.maria;
    await rejected(id, { ...(await edited(id, () => {})), resourceType: 'Practitioner' }, 400, 'invalid', /Expected a Patient/);
    await rejected(id, await edited(id, (patient) => { patient.id = fixture.patients.leo; }), 400, 'invalid', /must match the id in the URL/);
    await rejected(id, await edited(id, (patient) => { delete patient.id; }), 400, 'invalid', /must match/);
  });

  it('refuses content the table cannot hold with 422, changing nothing', async () => {
    const id = fixture.patients.leo;
    const before = await fixture.db.knex('ehr_patients').where('id', Number(id)).first();
    await rejected(id, await edited(id, (patient) => { delete patient.name; }), 422, 'required', /Patient\.name/);
    await rejected(id, await edited(id, (patient) => { patient.name = [{ family: 'Lopez' }]; }), 422, 'required', /given name/);
    await rejected(id, await edited(id, (patient) => { patient.gender = 'boy'; }), 422, 'value', /Patient\.gender must be/);
    await rejected(id, await edited(id, (patient) => { delete patient.gender; }), 422, 'required', /Patient\.gender is required/);
    await rejected(id, await edited(id, (patient) => { patient.birthDate = '2015-02-30'; }), 422, 'value', /Patient\.birthDate/);
    await rejected(id, await edited(id, (patient) => { patient.birthDate = '2015'; }), 422, 'value', /full date/);
    await rejected(id, await edited(id, (patient) => { patient.birthDate = '2999-01-01'; }), 422, 'value', /future/);
    await rejected(id, await edited(id, (patient) => { patient.telecom = [{ system: 'email', value: 'a@b.example' }]; }), 422, 'required', /phone/);
    await rejected(id, await edited(id, (patient) => { patient.address[0].state = 'Illinois'; }), 422, 'value', /longer than 2/);
    await rejected(id, await edited(id, (patient) => { patient.name[0].family = 'x'.repeat(101); }), 422, 'value', /longer than 100/);
    await rejected(id, await edited(id, (patient) => { patient.communication[0].language = { text: 'English' }; }), 422, 'value', /BCP 47/);
    assert.deepEqual(await fixture.db.knex('ehr_patients').where('id', Number(id)).first(), before);
  });

  it('answers undefined, changing nothing, for hidden, out-of-compartment and unknown patients', async () => {
    const sam = fixture.patients.sam;
    const samBefore = await fixture.db.knex('ehr_patients').where('id', Number(sam)).first();
    const renamed = await edited(sam, (patient) => { patient.name[0].family = 'Changed'; });
    assert.equal(await patients.update!(sam, renamed, { restrictions: staff }), undefined);
    assert.equal(await patients.update!(sam, renamed, { restrictions: compartment(fixture.patients.pat) }), undefined);
    assert.deepEqual(await fixture.db.knex('ehr_patients').where('id', Number(sam)).first(), samBefore);
    assert.equal(await patients.update!('999999', { ...renamed, id: '999999' }, { restrictions: everything }), undefined);
    const own = await patients.update!(sam, renamed, { restrictions: { ...compartment(sam), sensitiveCharts: true } });
    assert.equal((own!.resource as Record<string, any>).name[0].family, 'Changed');
  });
});
