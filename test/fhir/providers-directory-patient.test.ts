import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoPatients, type PatientKey } from '../../samples/host-ehr/database/seed-patients.ts';
import { mrnSystem } from '../../samples/host-ehr/fhir/directory-patient-resource.ts';
import type { ResourceProvider } from '../../src/index.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import {
  compartment, date, directoryFixture, everything, searchIds, sorted, staff, text, token, where, type DirectoryFixture,
} from './providers-directory-fixture.ts';

let fixture: DirectoryFixture;
let patients: ResourceProvider;

before(async () => {
  fixture = await directoryFixture();
  patients = fixture.provider('Patient');
});
after(() => fixture.drop());

/** The ids of the seeded patients matching a predicate over their seed rows. */
function seeded(match: (row: Record<string, unknown>, key: PatientKey) => boolean): string[] {
  return sorted(demoPatients.filter((seed) => match(seed.row, seed.key)).map((seed) => fixture.patients[seed.key]));
}

describe('Patient provider: read', () => {
  it('returns a valid US Core Patient with the seeded demographics, in its own compartment', async () => {
    const found = await patients.read(fixture.patients.maria, { restrictions: everything });
    assert.ok(found);
    assertValidR4(found.resource);
    assert.equal(found.patientId, fixture.patients.maria);
    assert.equal(found.confidentialDocumentType, null);
    const chen = (await fixture.db.knex('ehr_providers').where('npi', '1234567893').first('id')) as { id: number };
    const maria = demoPatients.find((seed) => seed.key === 'maria')!.row;
    const resource = found.resource as Record<string, any>;
    assert.deepEqual(resource.meta, { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] });
    assert.deepEqual(resource.identifier[0].system, mrnSystem);
    assert.equal(resource.identifier[0].value, maria.mrn);
    assert.deepEqual(resource.name, [{ use: 'official', family: maria.family_name, given: [maria.given_name] }]);
    assert.equal(resource.gender, maria.sex);
    assert.equal(resource.birthDate, maria.birth_date);
    assert.deepEqual(resource.address, [{ use: 'home', line: [maria.address_line], city: maria.city, state: maria.state, postalCode: maria.postal_code, country: 'US' }]);
    assert.deepEqual(resource.telecom, [{ system: 'phone', value: maria.phone, use: 'home' }, { system: 'email', value: maria.email, use: 'home' }]);
    assert.equal(resource.communication[0].language.coding[0].code, maria.language);
    const [race, ethnicity] = resource.extension;
    assert.equal(race.url, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race');
    assert.equal(race.extension[0].valueCoding.code, maria.race_code);
    assert.equal(ethnicity.url, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity');
    assert.equal(ethnicity.extension[0].valueCoding.code, maria.ethnicity_code);
    assert.deepEqual(resource.generalPractitioner, [{ reference: `Practitioner/${chen.id}` }]);
  });

  it('answers undefined for unknown and non-numeric ids', async () => {
    assert.equal(await patients.read('999999', { restrictions: everything }), undefined);
    assert.equal(await patients.read('pat', { restrictions: everything }), undefined);
  });

  it('hides the sensitive chart unless the caller may open sensitive charts', async () => {
    assert.equal(await patients.read(fixture.patients.sam, { restrictions: staff }), undefined);
    assert.equal((await patients.read(fixture.patients.sam, { restrictions: everything }))?.resource.id, fixture.patients.sam);
  });

  it('hides every other patient from a compartment', async () => {
    assert.equal(await patients.read(fixture.patients.leo, { restrictions: compartment(fixture.patients.maria) }), undefined);
    assert.equal((await patients.read(fixture.patients.maria, { restrictions: compartment(fixture.patients.maria) }))?.resource.id, fixture.patients.maria);
  });
});

describe('Patient provider: US Core searches', () => {
  it('_id', async () => {
    assert.deepEqual((await searchIds(patients, [where('_id', token(fixture.patients.pat))])).ids, [fixture.patients.pat]);
    assert.deepEqual((await searchIds(patients, [where('_id', token('x1'))])).ids, []);
  });

  it('identifier as code and as system|code', async () => {
    const maria = [fixture.patients.maria];
    assert.deepEqual((await searchIds(patients, [where('identifier', token('MRN-1002'))])).ids, maria);
    assert.deepEqual((await searchIds(patients, [where('identifier', token('MRN-1002', mrnSystem))])).ids, maria);
    assert.deepEqual((await searchIds(patients, [where('identifier', token('MRN-1002', 'urn:other'))])).ids, []);
  });

  it('name matches a prefix of the given or the family name, case-insensitively', async () => {
    const lopez = seeded((row) => String(row.family_name).toLowerCase().startsWith('lop'));
    assert.equal(lopez.length, 3);
    assert.deepEqual(sorted((await searchIds(patients, [where('name', text('lOp'))])).ids), lopez);
    assert.deepEqual((await searchIds(patients, [where('name', text('Pat'))])).ids, seeded((row) => row.given_name === 'Pat'));
    assert.deepEqual((await searchIds(patients, [where('name', text('ope', 'contains'))])).total, 3);
    assert.deepEqual((await searchIds(patients, [where('name', text('Lope', 'exact'))])).ids, []);
  });

  it('birthdate+name, with eq and the gt/ge/lt/le comparators', async () => {
    const leo = demoPatients.find((seed) => seed.key === 'leo')!.row;
    const lopez = where('name', text('Lopez'));
    const born = (comparator: 'eq' | 'gt' | 'ge' | 'lt' | 'le') => date(comparator, String(leo.birth_date), '2015-05-10');
    const search = async (comparator: 'eq' | 'gt' | 'ge' | 'lt' | 'le') => sorted((await searchIds(patients, [lopez, where('birthdate', born(comparator))])).ids);
    const lopezBorn = (test: (birth: string) => boolean) => seeded((row) => row.family_name === 'Lopez' && test(String(row.birth_date)));
    assert.deepEqual(await search('eq'), [fixture.patients.leo]);
    assert.deepEqual(await search('gt'), lopezBorn((birth) => birth > '2015-05-09'));
    assert.deepEqual(await search('ge'), lopezBorn((birth) => birth >= '2015-05-09'));
    assert.deepEqual(await search('lt'), lopezBorn((birth) => birth < '2015-05-09'));
    assert.deepEqual(await search('le'), lopezBorn((birth) => birth <= '2015-05-09'));
    assert.deepEqual(await search('gt'), [fixture.patients.mia]);
    assert.deepEqual(await search('lt'), [fixture.patients.maria]);
  });

  it('gender+name, as code and as system|code; family+gender and birthdate+family (SHOULD)', async () => {
    const female = seeded((row) => row.family_name === 'Lopez' && row.sex === 'female');
    assert.deepEqual(female, sorted([fixture.patients.maria, fixture.patients.mia]));
    assert.deepEqual(sorted((await searchIds(patients, [where('name', text('Lopez')), where('gender', token('female'))])).ids), female);
    const system = 'http://hl7.org/fhir/administrative-gender';
    assert.deepEqual(sorted((await searchIds(patients, [where('name', text('Lopez')), where('gender', token('female', system))])).ids), female);
    assert.deepEqual((await searchIds(patients, [where('name', text('Lopez')), where('gender', token('female', 'urn:x'))])).ids, []);
    assert.deepEqual(sorted((await searchIds(patients, [where('family', text('Lopez')), where('gender', token('male'))])).ids), [fixture.patients.leo]);
    assert.deepEqual((await searchIds(patients, [where('family', text('Jones')), where('birthdate', date('eq', '1958-03-14', '1958-03-15'))])).ids, [fixture.patients.pat]);
  });

  it('ORs the values of one parameter and ANDs separate parameters', async () => {
    const either = await searchIds(patients, [where('name', text('Pat'), text('Sam'))]);
    assert.deepEqual(sorted(either.ids), sorted([fixture.patients.pat, fixture.patients.sam]));
    assert.deepEqual((await searchIds(patients, [where('name', text('Pat')), where('name', text('Sam'))])).ids, []);
  });
});

describe('Patient provider: restrictions and paging', () => {
  it('pages in id order with the total of all matches', async () => {
    const all = seeded(() => true);
    const page = await searchIds(patients, [], everything, { offset: 1, count: 2 });
    assert.equal(page.total, all.length);
    assert.deepEqual(page.ids, all.slice(1, 3));
    assert.deepEqual((await searchIds(patients, [], everything, { offset: 10, count: 2 })), { ids: [], total: all.length, resources: [] });
  });

  it('leaves the sensitive chart out of the results and the total', async () => {
    const result = await searchIds(patients, [], staff);
    assert.deepEqual(result.ids, seeded((row) => row.is_sensitive !== true));
    assert.equal(result.total, 4);
    assert.deepEqual((await searchIds(patients, [where('name', text('Sam'))], staff)).total, 0);
  });

  it('finds only the compartment patient', async () => {
    const result = await searchIds(patients, [where('name', text('Lopez'))], compartment(fixture.patients.leo));
    assert.deepEqual(result, { ids: [fixture.patients.leo], total: 1, resources: result.resources });
    assert.equal(result.resources[0]!.patientId, fixture.patients.leo);
    assert.equal((await searchIds(patients, [], compartment('not-a-number'))).total, 0);
  });
});
