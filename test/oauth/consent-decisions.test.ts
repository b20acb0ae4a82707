import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  authorizeUrl, clientRedirect, codeFrom, consent, demoPatientId, exchangeCode, follow, hiddenFields, pickPatient, pkce, REDIRECT_URI, signIn,
  startSmartServer, type Agent, type SmartServer,
} from '../support/smart-server.ts';

const BASE = 'launch/patient openid fhirUser';
/** BASE as the consent page's checkboxes carry it: `openid` and `fhirUser` are one line. */
const BASE_LINES = ['launch/patient', 'openid fhirUser'];

/** A new browser: authorize, sign in, pick `patient` (searched by family name); the page after the picker. */
async function throughPicker(
  server: SmartServer, login: string, scope: string, patient: [string, string], challenge = pkce().challenge,
): Promise<{ agent: Agent; page: request.Response }> {
  const agent = request.agent(server.app);
  const picker = await signIn(agent, await follow(agent, await agent.get(authorizeUrl({ scope, challenge }))), login);
  return { agent, page: await pickPatient(agent, picker, patient[1], patient.join(' ')) };
}

/** The scopes a consent page offers, checked or not, and the disabled ones. */
function consentItems(page: string): { checked: string[]; unchecked: string[]; disabled: string[] } {
  const items = [...page.matchAll(/<input type="checkbox" id="scope-\d+" name="scope" value="([^"]+)"([^>]*)>/g)];
  const pick = (test: (attrs: string) => boolean) => items.filter((m) => test(m[2] as string)).map((m) => m[1] as string);
  return {
    checked: pick((a) => a.includes(' checked')),
    unchecked: pick((a) => !a.includes(' checked') && !a.includes(' disabled')),
    disabled: pick((a) => a.includes(' disabled')),
  };
}

function decide(agent: Agent, page: request.Response, decision: string, scopes: string[], fields = hiddenFields(page.text)) {
  const body = new URLSearchParams({ ...fields, decision });
  for (const scope of scopes) body.append('scope', scope);
  return agent.post('/smart/auth/consent').type('form').send(body.toString());
}

describe(`consent page on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('lists the requested scopes in plain language, checked, and what the client may not have as not available', async () => {
    const scope = `${BASE} patient/Patient.rs patient/Condition.rs system/*.rs`;
    const { page } = await throughPicker(server, 'provider', scope, ['Pat', 'Jones']);
    assert.match(page.text, /<h1>Allow access\?<\/h1>/);
    assert.match(page.text, /<p>Demo SMART app \(public\) is asking to:<\/p>/);
    assert.deepEqual(consentItems(page.text), {
      checked: [...BASE_LINES, 'patient/Patient.rs', 'patient/Condition.rs'], unchecked: [], disabled: [],
    });
    assert.match(page.text, /<label for="scope-3">Read and search Pat Jones&#39;s conditions \(problems\)<\/label>/);
    assert.match(page.text, /<h2 id="not-available">Not available<\/h2>\s*<p>This was asked for but will not be given:<\/p>\s*<ul>\s*<li>Read and search all health records of all patients<\/li>/);
  });

  it('leaves an unchecked scope out of the code and the token', async () => {
    const { verifier, challenge } = pkce();
    const scope = `${BASE} patient/Patient.rs patient/Condition.rs patient/Observation.rs`;
    const { agent, page } = await throughPicker(server, 'provider', scope, ['Leo', 'Lopez'], challenge);
    const { code, state } = codeFrom(await consent(agent, page, ['patient/Condition.rs']));
    assert.equal(state, 'state-123');
    const token = await exchangeCode(server.app, code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, `${BASE} patient/Patient.rs patient/Observation.rs`);
    assert.equal((jwt.decode(token.body.access_token) as jwt.JwtPayload).scope, `${BASE} patient/Patient.rs patient/Observation.rs`);
  });

  it('offers openid and fhirUser as one "Know who you are" checkbox; unchecking it leaves both out of the token', async () => {
    const { verifier, challenge } = pkce();
    // Scopes no earlier test consented to for Leo, so the page is shown.
    const { agent, page } = await throughPicker(server, 'provider', `${BASE} patient/Immunization.rs`, ['Leo', 'Lopez'], challenge);
    assert.equal(page.text.split('>Know who you are</label>').length - 1, 1, 'one "Know who you are" line');
    assert.match(page.text, /<input type="checkbox" id="scope-1" name="scope" value="openid fhirUser" checked>\s*<label for="scope-1">Know who you are<\/label>/);
    const token = await exchangeCode(server.app, codeFrom(await consent(agent, page, ['openid fhirUser'])).code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, 'launch/patient patient/Immunization.rs');
    assert.equal(token.body.id_token, undefined, 'no openid, so no id_token');
  });

  it('phrases patient scopes with the chosen patient\'s name for staff', async () => {
    const scope = `${BASE} patient/Patient.rs patient/Condition.rs patient/*.rs`;
    const { page } = await throughPicker(server, 'provider', scope, ['Leo', 'Lopez']);
    assert.deepEqual([...page.text.matchAll(/<label for="scope-\d+">([^<]*)<\/label>/g)].map((m) => m[1]), [
      'Know which patient&#39;s record you opened', 'Know who you are', 'Read and search Leo Lopez&#39;s demographics and contact details',
      'Read and search Leo Lopez&#39;s conditions (problems)', 'Read and search all of Leo Lopez&#39;s health record',
    ]);
    assert.match(page.text, /<p class="patient">Patient: Leo Lopez<\/p>/);
  });

  it('splits a posted line into its scopes and keeps only those that were requested', async () => {
    const { verifier, challenge } = pkce();
    const { agent, page } = await throughPicker(server, 'provider', `${BASE} patient/Goal.rs`, ['Leo', 'Lopez'], challenge);
    const back = await decide(agent, page, 'allow', ['launch/patient', 'openid fhirUser patient/Observation.rs', 'patient/Goal.rs system/*.rs']);
    const token = await exchangeCode(server.app, codeFrom(back).code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, `${BASE} patient/Goal.rs`);
  });

  it('redirects a denial with error=access_denied and state, and stores nothing', async () => {
    const { agent, page } = await throughPicker(server, 'frontdesk', `${BASE} patient/Patient.rs`, ['Mia', 'Lopez']);
    const denied = await decide(agent, page, 'deny', ['patient/Patient.rs']);
    const { target, params } = clientRedirect(denied);
    assert.equal(target, REDIRECT_URI);
    assert.deepEqual(params, { error: 'access_denied', state: 'state-123' });
    assert.deepEqual(await server.plugin.grants.list({ userId: await server.userId('frontdesk') }), []);
    // The transaction is finished: posting again finds nothing.
    const again = await decide(agent, page, 'allow', ['patient/Patient.rs']);
    assert.equal(again.status, 400);
    assert.match(again.text, /<h1>This sign-in has expired<\/h1>/);
  });

  it('echoes state byte for byte with the code and with a denial', async () => {
    const state = 'a b+c/d?e=f&g%h é 🙂';
    for (const decision of ['allow', 'deny']) {
      const agent = request.agent(server.app);
      const picker = await signIn(agent, await follow(agent, await agent.get(authorizeUrl({ scope: `${BASE} patient/Patient.rs`, state }))), 'frontdesk');
      const page = await pickPatient(agent, picker, 'lopez', 'Leo Lopez');
      const { params } = clientRedirect(await decide(agent, page, decision, ['patient/Patient.rs']));
      assert.equal(params.state, state, decision);
      assert.ok(decision === 'allow' ? params.code : params.error === 'access_denied');
    }
  });

  it('finishes an authorization once: a form posted twice at once, or again later, gets one code', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { agent, page } = await throughPicker(server, 'frontdesk', `${BASE} patient/Patient.rs`, ['Maria', 'Lopez']);
      const twice = await Promise.all([0, 1].map(() => decide(agent, page, 'allow', ['patient/Patient.rs'])));
      const later = await decide(agent, page, 'allow', ['patient/Patient.rs']);
      const responses = [...twice, later];
      assert.equal(responses.filter((r) => r.status === 302 && clientRedirect(r).params.code).length, 1, `round ${round}`);
      for (const refused of responses.filter((r) => r.status !== 302)) {
        assert.equal(refused.status, 400);
        assert.match(refused.text, /<h1>This sign-in has expired<\/h1>/);
      }
    }
  });

  it('treats allowing with nothing checked, or with no resource scope checked, as a denial', async () => {
    for (const checked of [[], ['openid', 'fhirUser', 'launch/patient']]) {
      const { agent, page } = await throughPicker(server, 'frontdesk', `${BASE} patient/Patient.rs`, ['Mia', 'Lopez']);
      assert.deepEqual(clientRedirect(await decide(agent, page, 'allow', checked)).params, { error: 'access_denied', state: 'state-123' });
    }
  });

  it('shows a scope the user\'s EHR permissions do not allow as disabled, and never grants it', async () => {
    const { verifier, challenge } = pkce();
    const scope = `${BASE} patient/Patient.rs patient/Condition.rs`;
    const { agent, page } = await throughPicker(server, 'frontdesk', scope, ['Pat', 'Jones'], challenge);
    assert.deepEqual(consentItems(page.text), {
      checked: [...BASE_LINES, 'patient/Patient.rs'], unchecked: [], disabled: ['patient/Condition.rs'],
    });
    assert.match(page.text, /<label for="scope-3">Read and search Pat Jones&#39;s conditions \(problems\)<\/label>\s*<span class="reason" id="scope-3-reason">Your EHR account does not allow this\.<\/span>/);
    // Even posted by hand, the disabled scope is not granted.
    const back = await decide(agent, page, 'allow', ['launch/patient', 'openid', 'fhirUser', 'patient/Patient.rs', 'patient/Condition.rs']);
    const token = await exchangeCode(server.app, codeFrom(back).code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, `${BASE} patient/Patient.rs`);
  });

  it('refuses a decision without a valid CSRF token with 403 and keeps the page', async () => {
    const { agent, page } = await throughPicker(server, 'provider', `${BASE} patient/Patient.rs`, ['Maria', 'Lopez']);
    const fields = hiddenFields(page.text);
    for (const csrf of [undefined, 'forged']) {
      const { csrf_token: _dropped, ...rest } = fields;
      const refused = await decide(agent, page, 'allow', ['patient/Patient.rs'], csrf === undefined ? rest : { ...rest, csrf_token: csrf });
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.location, undefined);
      assert.match(refused.text, /<p class="alert" role="alert" id="page-error">The form expired\. Please decide again\.<\/p>/);
      assert.match(refused.text, /<h1>Allow access\?<\/h1>/);
    }
    codeFrom(await consent(agent, page));
  });

  it('does not decide while the flow still waits on the picker: no code without a patient', async () => {
    const agent = request.agent(server.app);
    const picker = await signIn(agent, await follow(agent, await agent.get(authorizeUrl({ scope: `${BASE} patient/*.rs` }))), 'provider');
    const tid = hiddenFields(picker.text).transaction_id;
    const page = await agent.get(`/smart/auth/consent?transaction_id=${tid}`);
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, `/smart/auth/pick-patient?transaction_id=${tid}`);
    const decided = await decide(agent, picker, 'allow', ['launch/patient', 'patient/*.rs']);
    assert.equal(decided.status, 303);
    assert.equal(decided.headers.location, `/smart/auth/pick-patient?transaction_id=${tid}`);
  });

  describe('a consent on file', () => {
    const scope = `${BASE} patient/Patient.rs patient/Condition.rs`;

    it('is not asked again for the same or fewer scopes of the same patient', async () => {
      const first = await throughPicker(server, 'sensitive-provider', scope, ['Maria', 'Lopez']);
      codeFrom(await consent(first.agent, first.page));
      for (const again of [scope, `${BASE} patient/Condition.rs`]) {
        const { verifier, challenge } = pkce();
        const { page } = await throughPicker(server, 'sensitive-provider', again, ['Maria', 'Lopez'], challenge);
        const token = await exchangeCode(server.app, codeFrom(page).code, verifier);
        assert.equal(token.body.scope, again);
      }
    });

    it('is asked again for more scopes, or for another patient', async () => {
      const more = await throughPicker(server, 'sensitive-provider', `${scope} patient/Observation.rs`, ['Maria', 'Lopez']);
      assert.deepEqual(consentItems(more.page.text).checked, [...BASE_LINES, 'patient/Patient.rs', 'patient/Condition.rs', 'patient/Observation.rs']);
      codeFrom(await consent(more.agent, more.page));
      const other = await throughPicker(server, 'sensitive-provider', scope, ['Leo', 'Lopez']);
      assert.match(other.page.text, /<h1>Allow access\?<\/h1>/);
      // The widened consent now covers the larger request.
      const covered = await throughPicker(server, 'sensitive-provider', `${scope} patient/Observation.rs`, ['Maria', 'Lopez']);
      codeFrom(covered.page);
    });

    it('is asked again when the user left a requested scope unchecked last time', async () => {
      const first = await throughPicker(server, 'provider', scope, ['Mia', 'Lopez']);
      codeFrom(await consent(first.agent, first.page, ['patient/Condition.rs']));
      const again = await throughPicker(server, 'provider', scope, ['Mia', 'Lopez']);
      assert.match(again.page.text, /<h1>Allow access\?<\/h1>/);
    });

    it('follows the latest decision: a scope unchecked later is asked for again', async () => {
      const sam: [string, string] = ['Sam', 'Rivera'];
      const first = await throughPicker(server, 'sensitive-provider', scope, sam);
      codeFrom(await consent(first.agent, first.page));
      const { verifier, challenge } = pkce();
      const second = await throughPicker(server, 'sensitive-provider', `${scope} patient/Observation.rs`, sam, challenge);
      const token = await exchangeCode(server.app, codeFrom(await consent(second.agent, second.page, ['patient/Condition.rs'])).code, verifier);
      assert.equal(token.body.scope, `${BASE} patient/Patient.rs patient/Observation.rs`);
      const third = await throughPicker(server, 'sensitive-provider', scope, sam);
      assert.match(third.page.text, /<h1>Allow access\?<\/h1>/, 'Condition was withdrawn, so consent is asked again');
      const samId = await demoPatientId(server, 'Sam', 'Rivera');
      const grants = (await server.plugin.grants.list({ userId: await server.userId('sensitive-provider') })).filter((g) => g.patientId === samId);
      assert.equal(grants.length, 1);
      assert.deepEqual(grants[0]?.scope, [...BASE.split(' '), 'patient/Patient.rs', 'patient/Observation.rs']);
    });

    it('skips consent for a signed-in user straight from the picker, in the same browser', async () => {
      const first = await throughPicker(server, 'provider', `${BASE} patient/Patient.rs`, ['Pat', 'Jones']);
      codeFrom(await consent(first.agent, first.page));
      const picker = await follow(first.agent, await first.agent.get(authorizeUrl({ scope: `${BASE} patient/Patient.rs`, state: 'second' })));
      const { state } = codeFrom(await pickPatient(first.agent, picker, 'jones', 'Pat Jones'));
      assert.equal(state, 'second');
    });
  });
});
