import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { date, everything, openCareFixture, ordinary, read, reference, restrictedTo, search, sortedIds, token, type CareFixture } from './providers-care-fixture.ts';

const planCategory = 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category';
const nucc = 'http://nucc.org/provider-taxonomy';
const noConfidentialTypes = restrictedTo({ documentTypes: new Set() });

let f: CareFixture;
let plans: Array<Record<string, unknown>>;
let goals: Array<Record<string, unknown>>;
let teams: Array<Record<string, unknown>>;

before(async () => {
  f = await openCareFixture();
  plans = (await f.knex('ehr_care_plans').select('*').orderBy('id')) as Array<Record<string, unknown>>;
  goals = (await f.knex('ehr_goals').select('*').orderBy('id')) as Array<Record<string, unknown>>;
  teams = (await f.knex('ehr_care_teams').select('*').orderBy('id')) as Array<Record<string, unknown>>;
});
after(() => f.db.drop());

const rowOf = (rows: Array<Record<string, unknown>>, patient: string, column: string, value: string) =>
  rows.find((row) => String(row.patient_id) === patient && row[column] === value)!;
const idsFor = (rows: Array<Record<string, unknown>>, patient: string) =>
  sortedIds(rows.filter((row) => String(row.patient_id) === patient).map((row) => String(row.id)));

describe('CarePlan', () => {
  test('read: narrative, assess-plan category, period and the goal it sets', async () => {
    const plan = rowOf(plans, f.patients.pat, 'title', 'Hypertension management');
    const goal = goals.find((row) => row.care_plan_id === plan.id)!;
    const found = await read(f.provider('CarePlan'), String(plan.id));
    assert.ok(found);
    const resource = found.resource as Record<string, any>;
    assert.equal(resource.text.status, 'generated');
    assert.match(resource.text.div, /^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml">.*Hypertension management.*<\/div>$/);
    assert.deepEqual(resource.category, [{ coding: [{ system: planCategory, code: 'assess-plan' }] }]);
    assert.equal(resource.status, 'active');
    assert.equal(resource.intent, 'plan');
    assert.deepEqual(resource.period, { start: '2026-03-10' });
    assert.deepEqual(resource.goal, [{ reference: `Goal/${String(goal.id)}` }]);
    assert.equal(found.confidentialDocumentType, null);
  });

  test("Sam's depression plan is hidden with his behavioral health note; his heart plan is not", async () => {
    const provider = f.provider('CarePlan');
    const depression = rowOf(plans, f.patients.sam, 'title', 'Depression treatment plan');
    const heart = rowOf(plans, f.patients.sam, 'title', 'Cardiomyopathy follow-up');
    assert.equal((await read(provider, String(depression.id)))?.confidentialDocumentType, 'Behavioral Health');
    assert.equal(await read(provider, String(depression.id), noConfidentialTypes), undefined);
    assert.ok(await read(provider, String(heart.id), noConfidentialTypes));
    assert.equal(await read(provider, String(heart.id), ordinary), undefined);
    const found = await search(provider, [reference('patient', f.patients.sam), token('category', 'assess-plan')], noConfidentialTypes);
    assert.deepEqual(found.ids, [String(heart.id)]);
    assert.equal(found.total, 1);
  });

  test('patient+category (code and system|code), +status (multipleOr), +date comparators', async () => {
    const provider = f.provider('CarePlan');
    const pat = reference('patient', `Patient/${f.patients.pat}`);
    const expected = idsFor(plans, f.patients.pat);
    for (const value of ['assess-plan', `${planCategory}|assess-plan`]) {
      assert.deepEqual(sortedIds((await search(provider, [pat, token('category', value)])).ids), expected);
    }
    assert.equal((await search(provider, [pat, token('category', 'http://snomed.info/sct|assess-plan')])).total, 0);
    const category = token('category', 'assess-plan');
    assert.deepEqual(sortedIds((await search(provider, [pat, category, token('status', 'completed', 'active')])).ids), expected);
    assert.equal((await search(provider, [pat, category, token('status', 'completed')])).total, 0);
    // The plan runs from 2026-03-10 with no end.
    const ids = async (comparator: 'gt' | 'ge' | 'lt' | 'le' | 'eq', day: string) =>
      sortedIds((await search(provider, [pat, category, date('date', comparator, day)])).ids);
    assert.deepEqual(await ids('gt', '2030-01-01'), expected);
    assert.deepEqual(await ids('ge', '2026-03-10'), expected);
    assert.deepEqual(await ids('lt', '2026-03-10'), []);
    assert.deepEqual(await ids('lt', '2026-03-11'), expected);
    assert.deepEqual(await ids('le', '2026-03-10'), expected);
    assert.deepEqual(await ids('le', '2026-03-09'), []);
    assert.deepEqual(await ids('eq', '2026-03-10'), [], 'an open plan is not contained in one day');
  });

  test('granular scope categories', async () => {
    const provider = f.provider('CarePlan');
    const all = sortedIds(plans.map((row) => String(row.id)));
    assert.deepEqual(sortedIds((await search(provider, [], restrictedTo({ categories: [{ system: undefined, code: 'assess-plan' }] }))).ids), all);
    assert.deepEqual(sortedIds((await search(provider, [], restrictedTo({ categories: [{ system: planCategory, code: 'assess-plan' }] }))).ids), all);
    assert.equal((await search(provider, [], restrictedTo({ categories: [{ system: undefined, code: 'laboratory' }] }))).total, 0);
    assert.equal(await read(provider, all[0]!, restrictedTo({ categories: [{ system: 'http://other.example', code: 'assess-plan' }] })), undefined);
  });
});

describe('CareTeam', () => {
  test("read: Sam's team has his psychiatrist and his primary care physician, with NUCC roles", async () => {
    const team = teams.find((row) => String(row.patient_id) === f.patients.sam)!;
    const members = (await f.knex('ehr_care_team_members').where('care_team_id', Number(team.id)).orderBy('provider_id')) as Array<Record<string, unknown>>;
    const found = await read(f.provider('CareTeam'), String(team.id));
    assert.ok(found);
    const resource = found.resource as Record<string, any>;
    assert.equal(resource.status, 'active');
    assert.equal(resource.name, 'Sam Rivera care team');
    assert.deepEqual(resource.participant, members.map((member) => ({
      role: [{ coding: [{ system: nucc, code: member.role_code, display: member.role_display }] }],
      member: { reference: `Practitioner/${String(member.provider_id)}` },
    })));
    assert.deepEqual(sortedIds(resource.participant.map((p: any) => p.role[0].coding[0].code)), ['207Q00000X', '2084P0800X']);
    assert.equal(await read(f.provider('CareTeam'), String(team.id), ordinary), undefined);
  });

  test('patient+status (multipleOr) and patient+role', async () => {
    const provider = f.provider('CareTeam');
    for (const patient of [f.patients.maria, `Patient/${f.patients.maria}`]) {
      assert.deepEqual(sortedIds((await search(provider, [reference('patient', patient), token('status', 'active')])).ids), idsFor(teams, f.patients.maria));
    }
    assert.deepEqual(sortedIds((await search(provider, [reference('patient', f.patients.maria),
      token('status', 'proposed', 'http://hl7.org/fhir/care-team-status|active')])).ids), idsFor(teams, f.patients.maria));
    assert.equal((await search(provider, [reference('patient', f.patients.maria), token('status', 'inactive')])).total, 0);
    const psychiatry = await search(provider, [token('role', `${nucc}|2084P0800X`)]);
    assert.deepEqual(psychiatry.ids, idsFor(teams, f.patients.sam));
    assert.equal((await search(provider, [token('role', `${nucc}|2084P0800X`)], ordinary)).total, 0);
  });

  test('_include=CareTeam:participant follows the members', async () => {
    const provider = f.provider('CareTeam');
    const include = provider.includes?.find((definition) => definition.name === 'participant');
    assert.ok(include);
    assert.deepEqual([...include.targets].sort(), ['Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson']);
    const team = teams.find((row) => String(row.patient_id) === f.patients.sam)!;
    const members = (await f.knex('ehr_care_team_members').where('care_team_id', Number(team.id)).orderBy('provider_id')) as Array<Record<string, unknown>>;
    const found = (await read(provider, String(team.id)))!;
    assert.deepEqual(include.referencesOf(found.resource), members.map((member) => `Practitioner/${String(member.provider_id)}`));
  });

  test('compartment and paging', async () => {
    const provider = f.provider('CareTeam');
    assert.deepEqual((await search(provider, [], restrictedTo({ patientId: f.patients.leo }))).ids, idsFor(teams, f.patients.leo));
    const first = await search(provider, [], everything, { offset: 0, count: 2 });
    const rest = await search(provider, [], everything, { offset: 2, count: 10 });
    assert.equal(first.total, teams.length);
    assert.deepEqual([...first.ids, ...rest.ids], teams.map((row) => String(row.id)));
  });
});

describe('Goal', () => {
  test('read, and the goal of a confidential plan is hidden with it', async () => {
    const provider = f.provider('Goal');
    const goal = rowOf(goals, f.patients.pat, 'description', 'Blood pressure below 130/80 mm Hg');
    const found = await read(provider, String(goal.id));
    assert.ok(found);
    const resource = found.resource as Record<string, any>;
    assert.equal(resource.lifecycleStatus, 'active');
    assert.deepEqual(resource.description, { text: 'Blood pressure below 130/80 mm Hg' });
    assert.equal(resource.startDate, '2026-03-10');
    assert.deepEqual(resource.target, [{ dueDate: '2027-03-10' }]);
    assert.deepEqual(resource.subject, { reference: `Patient/${f.patients.pat}` });
    const phq = rowOf(goals, f.patients.sam, 'description', 'PHQ-9 below 5 within six months');
    assert.equal((await read(provider, String(phq.id)))?.confidentialDocumentType, 'Behavioral Health');
    assert.equal(await read(provider, String(phq.id), noConfidentialTypes), undefined);
    assert.equal((await search(provider, [reference('patient', f.patients.sam)], noConfidentialTypes)).total, 1);
  });

  test('patient, +lifecycle-status, +target-date comparators, +description', async () => {
    const provider = f.provider('Goal');
    const pat = reference('patient', f.patients.pat);
    const expected = idsFor(goals, f.patients.pat);
    assert.deepEqual(sortedIds((await search(provider, [pat])).ids), expected);
    assert.deepEqual(sortedIds((await search(provider, [reference('patient', `Patient/${f.patients.pat}`)])).ids), expected);
    assert.deepEqual(sortedIds((await search(provider, [pat, token('lifecycle-status', 'http://hl7.org/fhir/goal-status|active', 'completed')])).ids), expected);
    assert.equal((await search(provider, [pat, token('lifecycle-status', 'completed')])).total, 0);
    // Target 2027-03-10.
    const ids = async (comparator: 'gt' | 'ge' | 'lt' | 'le', day: string) => sortedIds((await search(provider, [pat, date('target-date', comparator, day)])).ids);
    assert.deepEqual(await ids('gt', '2027-03-09'), expected);
    assert.deepEqual(await ids('gt', '2027-03-10'), []);
    assert.deepEqual(await ids('ge', '2027-03-10'), expected);
    assert.deepEqual(await ids('lt', '2027-03-10'), []);
    assert.deepEqual(await ids('le', '2027-03-10'), expected);
    assert.deepEqual(sortedIds((await search(provider, [pat, token('description', 'Blood pressure below 130/80 mm Hg')])).ids), expected);
    assert.equal((await search(provider, [pat, token('description', 'http://snomed.info/sct|Blood pressure below 130/80 mm Hg')])).total, 0);
  });
});
