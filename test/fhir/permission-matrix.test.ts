import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FhirResource } from '../../src/index.ts';
import { fhirGet, searchAll, serviceToken, userToken } from '../support/fhir-requests.ts';
import { portalToken, startPortalServer, type PortalServer } from '../support/portal-sign-in.ts';
import { demoPatientId } from '../support/smart-server.ts';

type Caller = 'provider' | 'frontdesk' | 'admin' | 'sensitive-provider' | 'svc-portal' | 'svc-scheduling' | 'maria-for-leo';
const CALLERS: Caller[] = ['provider', 'frontdesk', 'admin', 'sensitive-provider', 'svc-portal', 'svc-scheduling', 'maria-for-leo'];

// Written out from the seed's roles (samples/host-ehr/database/seed-directory.ts) and DESIGN §5, not computed by
// the code under test: which callers may search each resource type (everyone else gets 403).
const CHART = ['provider', 'sensitive-provider', 'svc-portal', 'maria-for-leo'] as const;
const REGISTRATION = ['provider', 'frontdesk', 'sensitive-provider', 'svc-portal', 'svc-scheduling', 'maria-for-leo'] as const;
const SCHEDULE = REGISTRATION;
const EVERYONE = CALLERS;
const ALLOWED: Record<string, readonly Caller[]> = {
  AllergyIntolerance: CHART, Condition: CHART, Observation: CHART, MedicationRequest: CHART, Immunization: CHART,
  Procedure: CHART, DiagnosticReport: CHART, DocumentReference: CHART, Encounter: CHART, CarePlan: CHART,
  CareTeam: CHART, Goal: CHART, Device: CHART, Provenance: CHART,
  Patient: REGISTRATION, Appointment: SCHEDULE, Schedule: SCHEDULE, Slot: SCHEDULE,
  Practitioner: EVERYONE, PractitionerRole: EVERYONE, Organization: EVERYONE, Medication: EVERYONE,
  Location: ['admin'],
};

/** Every `Patient/…` reference in a resource, and the resource itself when it is a Patient. */
function patientsOf(resource: FhirResource): Set<string> {
  const found = new Set<string>();
  if (resource.resourceType === 'Patient') found.add(String(resource.id));
  JSON.stringify(resource, (key, value: unknown) => {
    if (key === 'reference' && typeof value === 'string' && /^Patient\/[^/]+$/.test(value)) found.add(value.slice('Patient/'.length));
    return value;
  });
  return found;
}

/** Issue 4's allow and deny matrix, per resource type and seeded caller, through the real HTTP surface. */
describe(`FHIR permission matrix per resource type on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: PortalServer;
  const tokens = new Map<Caller, string>();
  let leo = '';
  let sam = '';

  before(async () => {
    server = await startPortalServer();
    leo = await demoPatientId(server, 'Leo', 'Lopez');
    sam = await demoPatientId(server, 'Sam', 'Rivera');
    for (const login of ['provider', 'frontdesk', 'admin', 'sensitive-provider'] as const) {
      tokens.set(login, (await userToken(server, { login, scope: 'openid fhirUser user/*.rs' })).token);
    }
    tokens.set('svc-portal', await serviceToken(server, 'user/*.rs', 'svc-portal'));
    tokens.set('svc-scheduling', await serviceToken(server, 'user/*.rs', 'svc-scheduling'));
    tokens.set('maria-for-leo', (await portalToken(server, 'maria@example.com', leo, 'patient/*.rs')).token);
  });
  after(() => server.close());

  it('covers every searchable type the sample serves', async () => {
    const metadata = await fhirGet(server, 'metadata', undefined);
    const searchable = (metadata.body.rest[0].resource as Array<{ type: string; interaction: Array<{ code: string }> }>)
      .filter((r) => r.interaction.some((i) => i.code === 'search-type')).map((r) => r.type).sort();
    assert.deepEqual(searchable, Object.keys(ALLOWED).sort());
  });

  for (const [type, allowed] of Object.entries(ALLOWED)) {
    it(`${type}: ${allowed.join(', ')} may search; the others get 403`, async () => {
      const seen = new Map<Caller, FhirResource[]>();
      for (const caller of CALLERS) {
        const token = tokens.get(caller) as string;
        if (!allowed.includes(caller)) {
          const res = await fhirGet(server, `${type}?_count=5`, token);
          assert.equal(res.status, 403, `${caller} on ${type}: ${res.text}`);
          assert.equal(res.body.issue[0].code, 'forbidden');
          continue;
        }
        const { matches } = await searchAll(server, type, '_count=200', token);
        seen.set(caller, matches);
        const patients = new Set(matches.flatMap((r) => [...patientsOf(r)]));
        // Sensitive charts are for the one user holding Sensitive Charts; the representative stays in Leo's chart.
        if (caller !== 'sensitive-provider') assert.ok(!patients.has(sam), `${caller} sees Sam's chart through ${type}`);
        if (caller === 'maria-for-leo') assert.deepEqual([...patients].filter((p) => p !== leo), [], `Maria's token leaves Leo's chart through ${type}`);
      }
      // Whoever may read the chart sees at least as much as a user without Sensitive Charts, never less.
      if (seen.has('sensitive-provider') && seen.has('provider')) {
        assert.ok((seen.get('sensitive-provider') ?? []).length >= (seen.get('provider') ?? []).length);
      }
    });
  }

  it('Sam\'s chart shows up for sensitive-provider alone, in every clinical type where Sam has data', async () => {
    const token = tokens.get('sensitive-provider') as string;
    const withSam: string[] = [];
    for (const type of Object.keys(ALLOWED).filter((t) => ALLOWED[t] === CHART)) {
      const { matches } = await searchAll(server, type, '_count=200', token);
      if (matches.some((r) => patientsOf(r).has(sam))) withSam.push(type);
    }
    for (const type of ['Condition', 'Observation', 'MedicationRequest', 'DocumentReference', 'Encounter', 'CarePlan']) {
      assert.ok(withSam.includes(type), `sensitive-provider sees Sam's ${type}`);
    }
  });
});
