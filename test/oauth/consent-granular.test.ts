import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  authorizeUrl, codeFrom, exchangeCode, follow, hiddenFields, pickPatient, pkce, signIn, startSmartServer, type Agent, type SmartServer,
} from '../support/smart-server.ts';

const CONDITION = 'http://terminology.hl7.org/CodeSystem/condition-category';
const OBSERVATION = 'http://terminology.hl7.org/CodeSystem/observation-category';
const PROBLEMS = `patient/Condition.rs?category=${CONDITION}|problem-list-item`;
const LABS = `patient/Observation.rs?category=${OBSERVATION}|laboratory`;
const VITALS = `patient/Observation.rs?category=${OBSERVATION}|vital-signs`;

/** A new browser: authorize, sign in as a provider, pick the patient; the consent page (shown: not yet approved for that patient). */
async function consentPageFor(
  server: SmartServer, scope: string, challenge: string, [given, family] = ['Leo', 'Lopez'],
): Promise<{ agent: Agent; page: request.Response }> {
  const agent = request.agent(server.app);
  const picker = await signIn(agent, await follow(agent, await agent.get(authorizeUrl({ scope, challenge }))), 'provider');
  const page = await pickPatient(agent, picker, family, `${given} ${family}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Allow access\?<\/h1>/);
  return { agent, page };
}

function allow(agent: Agent, page: request.Response, scopes: string[]) {
  const body = new URLSearchParams({ ...hiddenFields(page.text), decision: 'allow' });
  for (const scope of scopes) body.append('scope', scope);
  return agent.post('/smart/auth/consent').type('form').send(body.toString());
}

/** Each checkbox's value (entities decoded) and whether it is checked. */
function checkboxes(page: string): [string, boolean][] {
  return [...page.matchAll(/<input type="checkbox" id="[^"]+" name="scope" value="([^"]+)"([^>]*)>/g)]
    .map((m) => [(m[1] as string).replace(/&#124;/g, '|').replace(/&amp;/g, '&'), (m[2] as string).includes(' checked')]);
}

describe(`granular scope selection on the consent page on ${process.env.TEST_DB ?? 'sqlite'} (ONC (g)(10) 9.26)`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('offers the categories of Condition and Observation unchecked, and grants only the chosen ones instead of the whole types', async () => {
    const { verifier, challenge } = pkce();
    const { agent, page } = await consentPageFor(server, 'launch/patient patient/Condition.rs patient/Observation.rs', challenge);
    const boxes = checkboxes(page.text);
    assert.deepEqual(boxes.filter(([, checked]) => checked).map(([value]) => value), ['launch/patient', 'patient/Condition.rs', 'patient/Observation.rs']);
    const offered = boxes.filter(([value]) => value.includes('?category=')).map(([value]) => value.replace(/^.*[|]/, ''));
    assert.deepEqual(offered, [
      'problem-list-item', 'encounter-diagnosis', 'health-concern', 'laboratory', 'vital-signs', 'social-history', 'survey', 'sdoh', 'procedure',
    ]);
    assert.equal(page.text.split('<legend>Or only:</legend>').length - 1, 2);
    assert.match(page.text, /Choosing any of these grants only the kinds chosen\./);
    assert.match(page.text, /<label for="scope-2-0">Read and search Leo Lopez&#39;s lab results<\/label>/);

    // The whole-type lines stay checked, as a user who only ticks categories would leave them.
    const back = await allow(agent, page, ['launch/patient', 'patient/Condition.rs', 'patient/Observation.rs', VITALS, PROBLEMS, LABS]);
    const token = await exchangeCode(server.app, codeFrom(back).code, verifier);
    assert.equal(token.status, 200, token.text);
    // Request order, each whole type replaced by its chosen categories in the page's order.
    const expected = `launch/patient ${PROBLEMS} ${LABS} ${VITALS}`;
    assert.equal(token.body.scope, expected);
    assert.equal((jwt.decode(token.body.access_token) as jwt.JwtPayload).scope, expected);
  });

  it('grants the whole type when no category is chosen', async () => {
    const { verifier, challenge } = pkce();
    const { agent, page } = await consentPageFor(server, 'launch/patient patient/Condition.read patient/Observation.rs', challenge);
    const back = await allow(agent, page, ['launch/patient', 'patient/Condition.read', 'patient/Observation.rs']);
    const token = await exchangeCode(server.app, codeFrom(back).code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, 'launch/patient patient/Condition.read patient/Observation.rs');
  });

  it('ignores granular values that were not offered for a requested scope', async () => {
    const { verifier, challenge } = pkce();
    const { agent, page } = await consentPageFor(server, 'launch/patient patient/Observation.rs patient/Immunization.rs', challenge);
    const back = await allow(agent, page, [
      'launch/patient', LABS,
      PROBLEMS, // Condition was not requested
      'patient/Observation.rs?category=http://example.org/codes|laboratory', // not a category the page offers
      'patient/Observation.cruds?category=http://terminology.hl7.org/CodeSystem/observation-category|survey', // more than requested
      'patient/Immunization.rs?category=x', // Immunization has no categories to choose
    ]);
    const token = await exchangeCode(server.app, codeFrom(back).code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, `launch/patient ${LABS}`);
  });

  it('accepts v1 granular values for a v1 request', async () => {
    const { verifier, challenge } = pkce();
    // Leo Lopez's whole-type Condition.read was approved above, so this asks for Pat Jones.
    const { agent, page } = await consentPageFor(server, 'launch/patient patient/Condition.read', challenge, ['Pat', 'Jones']);
    const v1Problems = `patient/Condition.read?category=${CONDITION}|problem-list-item`;
    assert.ok(checkboxes(page.text).some(([value, checked]) => value === v1Problems && !checked));
    const back = await allow(agent, page, ['launch/patient', v1Problems, PROBLEMS]);
    const token = await exchangeCode(server.app, codeFrom(back).code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, `launch/patient ${v1Problems}`);
  });
});
