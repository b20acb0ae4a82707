import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { authorizeUrl, follow, hiddenFields, startSmartServer, type Agent, type SmartServer } from '../support/smart-server.ts';

const LOCKED = 'Too many failed sign-ins. This account or computer is locked for a while; try again later or ask your EHR administrator.';

/** Posts one sign-in attempt on a fresh flow of `agent`; the re-rendered page or the redirect onwards. */
async function attempt(agent: Agent, username: string, password: string): Promise<request.Response> {
  const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'launch/patient patient/Patient.rs' })));
  return agent.post('/smart/auth/sign-in').type('form').send({ ...hiddenFields(page.text), username, password });
}

describe(`sign-in limits on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  describe('per account', () => {
    let server: SmartServer;
    before(async () => {
      server = await startSmartServer({ signIn: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 1000 } });
    });
    after(() => server.close());

    it('forgets earlier failures after a successful sign-in', async () => {
      for (let i = 0; i < 2; i += 1) assert.equal((await attempt(request.agent(server.app), 'provider', 'wrong-password')).status, 401);
      assert.equal((await attempt(request.agent(server.app), 'provider', 'demo-password')).status, 303);
      for (let i = 0; i < 2; i += 1) {
        const refused = await attempt(request.agent(server.app), 'provider', 'wrong-password');
        assert.match(refused.text, /The username or password is not correct\./);
      }
      assert.equal((await attempt(request.agent(server.app), 'provider', 'demo-password')).status, 303);
    });

    it('locks an unknown account name like a known one', async () => {
      let last: request.Response | undefined;
      for (let i = 0; i < 3; i += 1) last = await attempt(request.agent(server.app), 'nobody-at-all', 'wrong-password');
      assert.ok(last?.text.includes(LOCKED));
    });
  });

  describe('per address', () => {
    let server: SmartServer;
    before(async () => {
      server = await startSmartServer({ signIn: { maxFailuresPerAccount: 100, maxFailuresPerAddress: 3 } });
    });
    after(() => server.close());

    it('locks the address after failures across accounts, and a success does not reset it', async () => {
      assert.equal((await attempt(request.agent(server.app), 'provider', 'wrong-password')).status, 401);
      assert.equal((await attempt(request.agent(server.app), 'frontdesk', 'demo-password')).status, 303);
      assert.equal((await attempt(request.agent(server.app), 'admin', 'wrong-password')).status, 401);
      const third = await attempt(request.agent(server.app), 'sensitive-provider', 'wrong-password');
      assert.equal(third.status, 401);
      assert.ok(third.text.includes(LOCKED));
      const anyone = await attempt(request.agent(server.app), 'frontdesk', 'demo-password');
      assert.equal(anyone.status, 401);
      assert.ok(anyone.text.includes(LOCKED));
    });
  });
});
