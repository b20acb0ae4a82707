import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import knexFactory, { type Knex } from 'knex';
import { ConfigurationError, createSmartPlugin } from '../../src/index.ts';

/** `fhirResources` and `fhir` are checked at construction, like every option; errors name the path. */
describe('FHIR option validation', () => {
  let knex: Knex;
  before(() => {
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  });
  after(() => knex.destroy());

  const base = () => ({ knex, publicUrl: 'https://ehr.example.org/smart', secret: 'test-secret-0123456789-0123456789-abcdef' });
  const provider = (overrides: Record<string, unknown> = {}) => ({
    resourceType: 'Patient', searchParameters: [], read: async () => undefined, search: async () => ({ resources: [], total: 0 }), ...overrides,
  });

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['providers that are not a list', { fhirResources: {} }, 'Invalid option "fhirResources": expected an array of resource providers, got an object'],
    ['a lower-case resource type', { fhirResources: [provider({ resourceType: 'patient' })] },
      'Invalid option "fhirResources[0].resourceType": expected a FHIR resource type name such as "Patient", got "patient"'],
    ['two providers of one type', { fhirResources: [provider(), provider()] },
      'Invalid option "fhirResources[1].resourceType": expected a type served by one provider only (Patient is registered twice)'],
    ['a provider without search', { fhirResources: [provider({ search: undefined })] }, 'Invalid option "fhirResources[0].search": expected a function'],
    ['a search parameter of an unknown type', { fhirResources: [provider({ searchParameters: [{ name: 'x', type: 'number' }] })] },
      'Invalid option "fhirResources[0].searchParameters[0].type": expected one of token, reference, date, string, got "number"'],
    ['a search parameter the plugin owns', { fhirResources: [provider({ searchParameters: [{ name: '_count', type: 'token' }] })] },
      'Invalid option "fhirResources[0].searchParameters[0].name": expected a name other than the result parameters the plugin handles, got "_count"'],
    ['a page size above the maximum', { fhir: { maxPageSize: 10, defaultPageSize: 20 } },
      'Invalid option "fhir.defaultPageSize": expected an integer from 1 to 10, got number 20'],
    ['an unknown fhir setting', { fhir: { pageSize: 10 } },
      'Invalid option "fhir.pageSize": expected one of the known options (defaultPageSize, maxPageSize, tokenCheckTtlMs, documentTypeSystem)'],
    ['a relative label system', { fhir: { documentTypeSystem: 'doc-types' } },
      'Invalid option "fhir.documentTypeSystem": expected an absolute URI, got "doc-types"'],
  ];
  for (const [name, options, message] of cases) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(createSmartPlugin({ ...base(), ...options } as never), (error: unknown) => {
        assert.ok(error instanceof ConfigurationError, String(error));
        assert.equal(error.message, message);
        return true;
      });
    });
  }

  it('accepts a valid provider, and serves no FHIR types without any', async () => {
    const plugin = await createSmartPlugin({ ...base(), fhirResources: [provider() as never] });
    await plugin.close();
  });
});
