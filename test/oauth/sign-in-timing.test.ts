import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { verifyPasswordHash, type HostUser } from '../../src/index.ts';
import { authorizeUrl, follow, hiddenFields, startSmartServer, type SmartServer } from '../support/smart-server.ts';

describe(`sign-in of an unknown username on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  const checked: { loginName: string; hashShape: string }[] = [];
  before(async () => {
    // The real verifier, watched: which hashes does a sign-in spend time on?
    server = await startSmartServer({
      hostDirectory: {
        verifyPassword: async (user: HostUser, password: string) => {
          checked.push({ loginName: user.loginName, hashShape: String(user.passwordHash).split('$').slice(0, 4).join('$') });
          return verifyPasswordHash(password, user.passwordHash);
        },
      },
    });
  });
  after(() => server.close());

  it('costs a password hash check like a known one, so timing does not reveal which accounts exist', async () => {
    const agent = request.agent(server.app);
    const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'launch/patient patient/Patient.rs' })));
    for (const username of ['provider', 'no-such-user']) {
      const response = await agent.post('/smart/auth/sign-in').type('form').send({ ...hiddenFields(page.text), username, password: 'wrong-password' });
      assert.equal(response.status, 401);
      assert.match(response.text, /The username or password is not correct\./);
    }
    assert.deepEqual(checked, [
      { loginName: 'provider', hashShape: 'scrypt$16384$8$1' },
      { loginName: '', hashShape: 'scrypt$16384$8$1' },
    ]);
  });

  it('never signs in the stand-in account, whatever the password', async () => {
    const agent = request.agent(server.app);
    const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'launch/patient patient/Patient.rs' })));
    for (const username of ['', ' ']) {
      const response = await agent.post('/smart/auth/sign-in').type('form').send({ ...hiddenFields(page.text), username, password: 'demo-password' });
      assert.equal(response.status, 401);
    }
  });
});
