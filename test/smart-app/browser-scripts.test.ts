import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import vm from 'node:vm';

/**
 * The app's browser scripts run here against a stand-in for the few DOM pieces they touch and a stub of
 * fhirclient's `FHIR.oauth2`, to check what they render and what they ask fhirclient for. The real
 * library, authorization server and browser are exercised by the end-to-end suite.
 */

class FakeElement {
  textContent = '';
  hidden = false;
  children: FakeElement[] = [];
  constructor(readonly tag: string, readonly content = '') {}
  replaceChildren(...children: FakeElement[]): void {
    this.children = children;
  }
}

interface Page {
  elements: Record<string, FakeElement>;
  document: { title: string };
  authorizeCalls: unknown[];
  requests: Array<{ url: string; options: unknown }>;
}

async function run(script: string, options: {
  ids: string[];
  search?: string;
  metaFhirBase?: string;
  ready?: () => Promise<unknown>;
  authorize?: (options: unknown) => Promise<unknown>;
}): Promise<Page> {
  const source = await readFile(new URL(`../../samples/smart-app/${script}`, import.meta.url), 'utf8');
  const elements = Object.fromEntries(options.ids.map((id) => {
    const element = new FakeElement('p');
    // As in the HTML: the alert and the conditions start hidden.
    element.hidden = ['error', 'conditions-section', 'no-conditions'].includes(id);
    return [id, element];
  }));
  const page: Page = { elements, document: { title: '' }, authorizeCalls: [], requests: [] };
  const document = {
    get title() { return page.document.title; },
    set title(value: string) { page.document.title = value; },
    getElementById: (id: string) => elements[id] ?? null,
    querySelector: (selector: string) => (selector === 'meta[name="fhir-base"]' && options.metaFhirBase !== undefined
      ? { content: options.metaFhirBase } : null),
    createElement: (tag: string) => new FakeElement(tag),
  };
  const FHIR = {
    oauth2: {
      authorize: (authorizeOptions: unknown) => {
        // A plain copy: objects made inside the script's context have that context's prototypes.
        page.authorizeCalls.push(JSON.parse(JSON.stringify(authorizeOptions)));
        return options.authorize ? options.authorize(authorizeOptions) : new Promise(() => {});
      },
      ready: options.ready ?? (() => Promise.reject(new Error('not expected'))),
    },
  };
  const window = { FHIR, location: { search: options.search ?? '' } };
  // As in the HTML: the shared page-messages.js runs first, in the same window.
  const context = vm.createContext({ window, document, URLSearchParams, console });
  vm.runInContext(await readFile(new URL('../../samples/smart-app/page-messages.js', import.meta.url), 'utf8'), context);
  vm.runInContext(source, context);
  // Let the script's promise chains settle.
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
  return page;
}

const appIds = ['patient-name', 'status', 'error', 'conditions-section', 'conditions', 'no-conditions'];

function fakeClient(patient: object, conditions: unknown, page?: { requests: Array<{ url: string; options: unknown }> }) {
  return {
    patient: { id: 'p 1', read: () => Promise.resolve(patient) },
    request: (url: string, options: unknown) => {
      page?.requests.push({ url, options: JSON.parse(JSON.stringify(options)) });
      return conditions instanceof Error ? Promise.reject(conditions) : Promise.resolve(conditions);
    },
  };
}

describe('demo SMART app: browser scripts', () => {
  it('app.js shows the patient name as the heading and lists the conditions', async () => {
    const requests: Array<{ url: string; options: unknown }> = [];
    const patient = { resourceType: 'Patient', name: [{ use: 'official', family: 'Lopez', given: ['Leo'] }] };
    const conditions = [
      { resourceType: 'Condition', code: { text: 'Asthma' } },
      { resourceType: 'Condition', code: { coding: [{ system: 'http://snomed.info/sct', code: '1', display: 'Peanut allergy' }] } },
      { resourceType: 'OperationOutcome' },
    ];
    const page = await run('app.js', { ids: appIds, ready: () => Promise.resolve(fakeClient(patient, conditions, { requests })) });
    assert.equal(page.elements['patient-name']!.textContent, 'Leo Lopez');
    assert.deepEqual(page.elements.conditions!.children.map((li) => [li.tag, li.textContent]), [['li', 'Asthma'], ['li', 'Peanut allergy']]);
    assert.equal(page.elements['conditions-section']!.hidden, false);
    assert.equal(page.elements['no-conditions']!.hidden, true);
    assert.equal(page.elements.error!.hidden, true);
    assert.equal(page.elements.error!.textContent, '');
    assert.equal(page.document.title, 'Leo Lopez | Demo SMART app');
    assert.equal(page.elements.status!.hidden, true);
    assert.deepEqual(requests, [{ url: 'Condition?patient=p%201', options: { pageLimit: 0, flat: true } }]);
  });

  it('app.js flattens Bundle pages too', async () => {
    const bundle = { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Condition', code: { text: 'Asthma' } } }] };
    const page = await run('app.js', { ids: appIds, ready: () => Promise.resolve(fakeClient({ name: [{ text: 'Leo Lopez' }] }, [bundle, { resourceType: 'Bundle' }])) });
    assert.deepEqual(page.elements.conditions!.children.map((li) => li.textContent), ['Asthma']);
  });

  it('app.js says clearly when sign-in did not complete', async () => {
    const page = await run('app.js', { ids: appIds, ready: () => Promise.reject(new Error('No \'state\' parameter found.')) });
    assert.match(page.elements.error!.textContent, /^Sign-in to the EHR did not complete: No 'state' parameter found\. Launch the app again/);
    assert.equal(page.elements.error!.hidden, false);
    assert.equal(page.elements['conditions-section']!.hidden, true);
    assert.equal(page.elements['patient-name']!.textContent, '');
  });

  it('app.js reports a failed conditions search after showing the patient', async () => {
    const page = await run('app.js', { ids: appIds, ready: () => Promise.resolve(fakeClient({ name: [{ text: 'Leo Lopez' }] }, new Error('403 Forbidden'))) });
    assert.equal(page.elements['patient-name']!.textContent, 'Leo Lopez');
    assert.equal(page.elements.error!.textContent, 'The conditions of Leo Lopez could not be read: 403 Forbidden.');
    assert.equal(page.elements['conditions-section']!.hidden, true);
  });

  it('launch.js starts the EHR launch with the demo-app options', async () => {
    const page = await run('launch.js', { ids: ['status', 'error'], search: '?iss=http%3A%2F%2Flocalhost%2Fsmart%2Ffhir&launch=x' });
    assert.deepEqual(page.authorizeCalls, [{
      clientId: 'demo-app', scope: 'launch openid fhirUser patient/Patient.rs patient/Condition.rs', redirectUri: './', pkceMode: 'required',
    }]);
  });

  it('launch.js refuses to start without iss and launch, and shows authorize errors', async () => {
    const bare = await run('launch.js', { ids: ['status', 'error'] });
    assert.deepEqual(bare.authorizeCalls, []);
    assert.match(bare.elements.error!.textContent, /must be opened by the EHR/);
    const failing = await run('launch.js', {
      ids: ['status', 'error'], search: '?iss=http://x/fhir&launch=y', authorize: () => Promise.reject(new Error('PKCE not supported.')),
    });
    assert.match(failing.elements.error!.textContent, /^The app could not be launched: PKCE not supported\./);
  });

  it('standalone.js uses the server\'s FHIR base before ?iss=, and asks for launch/patient', async () => {
    const page = await run('standalone.js', { ids: ['status', 'error'], metaFhirBase: 'http://localhost:3000/smart/fhir', search: '?iss=https://evil.example/fhir' });
    assert.deepEqual(page.authorizeCalls, [{
      clientId: 'demo-app', scope: 'launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs offline_access',
      iss: 'http://localhost:3000/smart/fhir', redirectUri: './', pkceMode: 'required',
    }]);
    const fromQuery = await run('standalone.js', { ids: ['status', 'error'], metaFhirBase: '', search: '?iss=http%3A%2F%2Fother%2Ffhir' });
    assert.equal((fromQuery.authorizeCalls[0] as { iss: string }).iss, 'http://other/fhir');
    const none = await run('standalone.js', { ids: ['status', 'error'], metaFhirBase: '' });
    assert.deepEqual(none.authorizeCalls, []);
    assert.match(none.elements.error!.textContent, /does not know which FHIR server to use/);
  });
});
