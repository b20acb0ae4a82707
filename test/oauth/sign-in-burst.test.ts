import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { verifyPasswordHash } from '../../src/index.ts';
import type { HostUser } from '../../src/host/host-directory.ts';
import { authorizeUrl, follow, hiddenFields, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { assertOAuthError, passwordGrant } from '../support/token-requests.ts';

const ACCOUNT_LIMIT = 5;
const BURST = 30;
const WRONG_GRANT = 'The username or password is not correct.';
const LOCKED_GRANT = 'The account or address is locked after repeated failures; try again later.';
const LOCKED_PAGE = 'Too many failed sign-ins. This account or computer is locked for a while; try again later or ask your EHR administrator.';

/**
 * Guesses sent at the same moment (DESIGN §4): each attempt is counted before its password is checked,
 * so a burst gets no more password checks than the account limit allows, on the token endpoint and the page alike.
 */
describe(`sign-in limits under a burst of guesses on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  /** Password checks that reached the host, by login name. */
  const checks = new Map<string, number>();
  let address = 0;
  // Every guess comes from its own address, so only the account limit can stop the burst.
  const nextAddress = () => `198.51.100.${++address}`;
  before(async () => {
    server = await startSmartServer({
      signIn: { maxFailuresPerAccount: ACCOUNT_LIMIT, maxFailuresPerAddress: 1000 },
      hostDirectory: {
        verifyPassword: (user: HostUser, password: string) => {
          checks.set(user.loginName, (checks.get(user.loginName) ?? 0) + 1);
          return verifyPasswordHash(password, user.passwordHash);
        },
      },
    });
  });
  after(() => server.close());

  it(`password grant: ${BURST} parallel wrong passwords get at most ${ACCOUNT_LIMIT} password checks, then the account is locked`, async () => {
    const guesses = await Promise.all(Array.from({ length: BURST },
      (_, i) => passwordGrant(server, { username: 'svc-portal', password: `guess-${i}` }, nextAddress())));
    for (const res of guesses) assert.equal(res.status, 400, res.text);
    const checked = checks.get('svc-portal') ?? 0;
    assert.ok(checked >= 1 && checked <= ACCOUNT_LIMIT, `${checked} password checks for ${BURST} parallel guesses`);
    const told = guesses.map((res) => res.body.error_description as string);
    assert.equal(told.filter((d) => d === WRONG_GRANT).length, ACCOUNT_LIMIT - 1, 'only guesses under the limit hear "wrong password"');
    assert.equal(told.filter((d) => d === LOCKED_GRANT).length, BURST - ACCOUNT_LIMIT + 1);
    assertOAuthError(await passwordGrant(server, { username: 'svc-portal' }, nextAddress()), 400, 'invalid_grant', LOCKED_GRANT);
    assert.equal(checks.get('svc-portal'), checked, 'the locked account\'s right password is not even checked');
  });

  it(`sign-in page: ${BURST} parallel wrong passwords get at most ${ACCOUNT_LIMIT} password checks, then the account is locked`, async () => {
    const forms = await Promise.all(Array.from({ length: BURST }, async () => {
      const agent = request.agent(server.app);
      const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'launch/patient patient/Patient.rs' })));
      return { agent, fields: hiddenFields(page.text) };
    }));
    const posts = await Promise.all(forms.map(({ agent, fields }, i) => agent.post('/smart/auth/sign-in')
      .set('X-Forwarded-For', nextAddress()).type('form').send({ ...fields, username: 'provider', password: `guess-${i}` })));
    for (const res of posts) assert.equal(res.status, 401, res.text.slice(0, 300));
    const checked = checks.get('provider') ?? 0;
    assert.ok(checked >= 1 && checked <= ACCOUNT_LIMIT, `${checked} password checks for ${BURST} parallel guesses`);
    assert.equal(posts.filter((res) => res.text.includes(LOCKED_PAGE)).length, BURST - ACCOUNT_LIMIT + 1);

    const agent = request.agent(server.app);
    const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'launch/patient patient/Patient.rs' })));
    const right = await agent.post('/smart/auth/sign-in').set('X-Forwarded-For', nextAddress()).type('form')
      .send({ ...hiddenFields(page.text), username: 'provider', password: 'demo-password' });
    assert.equal(right.status, 401);
    assert.ok(right.text.includes(LOCKED_PAGE), 'the right password is refused while the account is locked');
    assert.equal(checks.get('provider'), checked);
  });
});
