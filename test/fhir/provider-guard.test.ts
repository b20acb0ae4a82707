import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import type { PluginLogger, ProvidedResource, ResourceProvider } from '../../src/index.ts';
import { createSampleProviders } from '../../samples/host-ehr/fhir/index.ts';
import { fhirGet, searchAll } from '../support/fhir-requests.ts';
import { portalToken, startPortalServer, type PortalServer } from '../support/portal-sign-in.ts';
import { demoPatientId } from '../support/smart-server.ts';

/**
 * A Patient provider that ignores the restrictions it is given, as a host's buggy query would: every row, for
 * every caller, and labels of its own. The plugin's re-check must still show a caller only what it may see.
 */
function carelessPatients(knex: Knex): ResourceProvider {
  const asResource = (row: { id: number; family_name: string }): ProvidedResource => ({
    resource: {
      resourceType: 'Patient', id: String(row.id), name: [{ family: row.family_name }],
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'U' }] },
    },
    patientId: String(row.id), confidentialDocumentType: null,
  });
  return {
    resourceType: 'Patient',
    searchParameters: [{ name: 'family', type: 'string' }],
    async read(id) {
      const row = await knex('ehr_patients').where('id', Number(id)).first();
      return row ? asResource(row) : undefined;
    },
    async search({ offset, count }) {
      const rows = await knex('ehr_patients').orderBy('id');
      return { resources: rows.slice(offset, offset + count).map(asResource), total: rows.length };
    },
  };
}

describe(`the plugin re-checks what a provider returns, on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: PortalServer;
  const warnings: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
  const logger: PluginLogger = { info: () => {}, error: () => {}, warn: (message, fields) => warnings.push({ message, fields }) };

  before(async () => {
    server = await startPortalServer({ logger }, (knex) => [
      carelessPatients(knex), ...createSampleProviders(knex).filter((p) => p.resourceType !== 'Patient'),
    ]);
  });
  after(() => server.close());

  it('withholds, counts out and logs (without ids) what lies outside the token\'s compartment, and sets the labels itself', async () => {
    const leo = await demoPatientId(server, 'Leo', 'Lopez');
    const mia = await demoPatientId(server, 'Mia', 'Lopez');
    const { token } = await portalToken(server, 'maria@example.com', leo, 'patient/Patient.rs');
    const found = await searchAll(server, 'Patient', '', token);
    assert.deepEqual(found.matches.map((p) => p.id), [leo]);
    assert.equal(found.total, 1, 'the total leaves out what was withheld');
    assert.deepEqual(found.matches[0]?.meta?.security, [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N', display: 'normal' }]);
    assert.equal((await fhirGet(server, `Patient/${mia}`, token)).status, 404);
    assert.ok(warnings.length >= 5);
    for (const warning of warnings) {
      assert.equal(warning.message, 'smart-ehr-plugin: a FHIR provider returned a resource the caller may not see; it was withheld');
      assert.deepEqual(Object.keys(warning.fields ?? {}).sort(), ['reason', 'resourceType']);
    }
    const reasons = new Set(warnings.map((w) => w.fields?.reason));
    assert.ok(reasons.has('outside the patient compartment'));
  });
});
