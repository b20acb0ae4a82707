import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeSystems } from '../../samples/host-ehr/database/seed-context.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import {
  compartment, directoryFixture, everything, reference, searchIds, sorted, staff, text, token, where, type DirectoryFixture,
} from './providers-directory-fixture.ts';

const npi = 'http://hl7.org/fhir/sid/us-npi';
const nucc = 'http://nucc.org/provider-taxonomy';

let fixture: DirectoryFixture;
let rows: {
  providers: Array<Record<string, any>>;
  organizations: Array<Record<string, any>>;
  locations: Array<Record<string, any>>;
  medications: Array<Record<string, any>>;
  schedules: Array<Record<string, any>>;
};

before(async () => {
  fixture = await directoryFixture();
  const all = (table: string) => fixture.db.knex(table).select('*').orderBy('id') as Promise<Array<Record<string, any>>>;
  rows = {
    providers: await all('ehr_providers'), organizations: await all('ehr_organization'), locations: await all('ehr_locations'),
    medications: await all('ehr_medications'), schedules: await all('ehr_schedules'),
  };
});
after(() => fixture.drop());

const ids = (list: Array<Record<string, any>>) => list.map((row) => String(row.id));

describe('directory providers: shared data', () => {
  it('reads every row of every directory type as valid R4 with its US Core profile, outside any compartment', async () => {
    const types = {
      Practitioner: ['us-core-practitioner', rows.providers], PractitionerRole: ['us-core-practitionerrole', rows.providers],
      Organization: ['us-core-organization', rows.organizations], Location: ['us-core-location', rows.locations],
      Medication: ['us-core-medication', rows.medications],
    } as const;
    for (const [type, [profile, list]] of Object.entries(types)) {
      assert.ok(list.length > 0, type);
      for (const row of list) {
        // Shared data is visible to any signed-in caller, a patient app included.
        const found = await fixture.provider(type).read(String(row.id), { restrictions: compartment(fixture.patients.pat) });
        assert.ok(found, `${type}/${row.id}`);
        assertValidR4(found.resource);
        assert.deepEqual(found.resource.meta, { profile: [`http://hl7.org/fhir/us/core/StructureDefinition/${profile}`] });
        assert.equal(found.patientId, null);
        assert.equal(found.confidentialDocumentType, null);
      }
      assert.equal(await fixture.provider(type).read('999999', { restrictions: everything }), undefined);
      assert.equal((await searchIds(fixture.provider(type), [], staff)).total, list.length);
    }
  });
});

describe('Practitioner provider', () => {
  it('carries the NPI, name, telecom and the practice address', async () => {
    const chen = rows.providers.find((row) => row.family_name === 'Chen')!;
    const practice = rows.organizations.find((row) => row.id === chen.organization_id)!;
    const resource = (await fixture.provider('Practitioner').read(String(chen.id), { restrictions: everything }))!.resource as Record<string, any>;
    assert.deepEqual(resource.identifier, [{ system: npi, value: chen.npi }]);
    assert.deepEqual(resource.name, [{ use: 'official', text: `Dr. ${chen.given_name} ${chen.family_name}`, family: chen.family_name, given: [chen.given_name], prefix: ['Dr.'] }]);
    assert.deepEqual(resource.telecom, [{ system: 'phone', value: chen.phone, use: 'work' }, { system: 'email', value: chen.email, use: 'work' }]);
    assert.equal(resource.address[0].city, practice.city);
    assert.equal(resource.active, true);
  });

  it('searches name (given or family prefix), identifier as code and system|code, and _id', async () => {
    const practitioners = fixture.provider('Practitioner');
    const okafor = rows.providers.find((row) => row.family_name === 'Okafor')!;
    assert.deepEqual((await searchIds(practitioners, [where('name', text('oka'))])).ids, [String(okafor.id)]);
    assert.deepEqual((await searchIds(practitioners, [where('name', text('Daniel'))])).ids, [String(okafor.id)]);
    assert.deepEqual((await searchIds(practitioners, [where('identifier', token(okafor.npi))])).ids, [String(okafor.id)]);
    assert.deepEqual((await searchIds(practitioners, [where('identifier', token(okafor.npi, npi))])).ids, [String(okafor.id)]);
    assert.deepEqual((await searchIds(practitioners, [where('identifier', token(okafor.npi, 'urn:other'))])).ids, []);
    assert.deepEqual((await searchIds(practitioners, [where('_id', token(String(okafor.id)))])).ids, [String(okafor.id)]);
    const page = await searchIds(practitioners, [], everything, { offset: 1, count: 1 });
    assert.deepEqual(page.ids, [ids(rows.providers)[1]]);
    assert.equal(page.total, rows.providers.length);
  });
});

describe('PractitionerRole provider', () => {
  it('links the practitioner, organization, schedule locations and NUCC specialty', async () => {
    const natarajan = rows.providers.find((row) => row.family_name === 'Natarajan')!;
    const role = (await fixture.provider('PractitionerRole').read(String(natarajan.id), { restrictions: everything }))!.resource as Record<string, any>;
    assert.equal(role.practitioner.reference, `Practitioner/${natarajan.id}`);
    assert.equal(role.organization.reference, `Organization/${natarajan.organization_id}`);
    assert.deepEqual(role.specialty[0].coding, [{ system: nucc, code: natarajan.specialty_code, display: natarajan.specialty_display }]);
    const locations = [...new Set(rows.schedules.filter((row) => row.provider_id === natarajan.id).map((row) => row.location_id))].sort();
    assert.ok(locations.length > 0);
    assert.deepEqual(role.location, locations.map((id) => ({ reference: `Location/${id}` })));
  });

  it('searches specialty (code and system|code) and practitioner (id and Type/id), and includes the Practitioner', async () => {
    const roles = fixture.provider('PractitionerRole');
    const pediatrics = rows.providers.filter((row) => row.specialty_code === '208000000X');
    assert.equal(pediatrics.length, 1);
    assert.deepEqual((await searchIds(roles, [where('specialty', token('208000000X'))])).ids, ids(pediatrics));
    assert.deepEqual((await searchIds(roles, [where('specialty', token('208000000X', nucc))])).ids, ids(pediatrics));
    assert.deepEqual((await searchIds(roles, [where('specialty', token('208000000X', codeSystems.snomed))])).ids, []);
    const chen = String(rows.providers.find((row) => row.family_name === 'Chen')!.id);
    assert.deepEqual((await searchIds(roles, [where('practitioner', reference(chen))])).ids, [chen]);
    assert.deepEqual((await searchIds(roles, [where('practitioner', reference(chen, 'Practitioner'))])).ids, [chen]);
    assert.deepEqual((await searchIds(roles, [where('practitioner', reference(chen, 'Patient'))])).ids, []);
    const include = roles.includes!.find((candidate) => candidate.name === 'practitioner')!;
    assert.deepEqual(include.targets, ['Practitioner']);
    const found = (await roles.read(chen, { restrictions: everything }))!;
    assert.deepEqual(include.referencesOf(found.resource), [`Practitioner/${chen}`]);
  });
});

describe('Organization and Location providers', () => {
  it('Organization: name and address', async () => {
    const organizations = fixture.provider('Organization');
    const [practice] = rows.organizations;
    const resource = (await organizations.read(String(practice!.id), { restrictions: everything }))!.resource as Record<string, any>;
    assert.deepEqual(resource.identifier, [{ system: npi, value: practice!.npi }]);
    assert.equal(resource.name, practice!.name);
    assert.deepEqual((await searchIds(organizations, [where('name', text('riverside'))])).ids, [String(practice!.id)]);
    assert.deepEqual((await searchIds(organizations, [where('name', text('Family', 'contains'))])).ids, [String(practice!.id)]);
    assert.deepEqual((await searchIds(organizations, [where('address', text(practice!.postal_code))])).ids, [String(practice!.id)]);
    assert.deepEqual((await searchIds(organizations, [where('address', text('Springf'))])).ids, [String(practice!.id)]);
    assert.deepEqual((await searchIds(organizations, [where('address', text('Chicago'))])).ids, []);
  });

  it('Location: name, address, address-city, address-state, address-postalcode', async () => {
    const locations = fixture.provider('Location');
    const pediatrics = rows.locations.find((row) => row.name === 'Riverside Pediatrics')!;
    const resource = (await locations.read(String(pediatrics.id), { restrictions: everything }))!.resource as Record<string, any>;
    assert.equal(resource.status, pediatrics.status);
    assert.equal(resource.managingOrganization.reference, `Organization/${pediatrics.organization_id}`);
    assert.deepEqual(resource.type[0].coding[0].code, pediatrics.type_code);
    assert.deepEqual((await searchIds(locations, [where('name', text('Riverside P'))])).ids, [String(pediatrics.id)]);
    const all = sorted(ids(rows.locations));
    assert.deepEqual(sorted((await searchIds(locations, [where('address', text('100 River'))])).ids), all);
    assert.deepEqual(sorted((await searchIds(locations, [where('address-city', text('springfield'))])).ids), all);
    assert.deepEqual(sorted((await searchIds(locations, [where('address-state', text('IL', 'exact'))])).ids), all);
    assert.deepEqual((await searchIds(locations, [where('address-postalcode', text('99999'))])).ids, []);
    assert.deepEqual((await searchIds(locations, [where('name', text('Pediatrics', 'contains')), where('address-city', text('Springfield'))])).ids, [String(pediatrics.id)]);
  });
});

describe('Medication provider', () => {
  it('reads the RxNorm product and searches _id and code', async () => {
    const medications = fixture.provider('Medication');
    const [first] = rows.medications;
    const resource = (await medications.read(String(first!.id), { restrictions: everything }))!.resource as Record<string, any>;
    assert.deepEqual(resource.code.coding, [{ system: codeSystems.rxnorm, code: first!.rxnorm_code, display: first!.display }]);
    assert.deepEqual((await searchIds(medications, [where('_id', token(String(first!.id)))])).ids, [String(first!.id)]);
    assert.deepEqual((await searchIds(medications, [where('code', token(first!.rxnorm_code, codeSystems.rxnorm))])).ids, [String(first!.id)]);
    assert.deepEqual((await searchIds(medications, [where('code', token(first!.rxnorm_code, codeSystems.snomed))])).ids, []);
  });
});
