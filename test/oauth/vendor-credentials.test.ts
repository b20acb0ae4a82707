import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  authorizeUrl, codeFrom, consent, follow, hiddenFields, ORIGIN, pkce, REDIRECT_URI, signIn, startSmartServer, TEST_SECRET, type SmartServer,
} from '../support/smart-server.ts';
import { createSmartPlugin } from '../../src/index.ts';

// The vendor's developer portal certificate, made here with openssl as a portal's CA would make it.
const dir = mkdtempSync(join(tmpdir(), 'vendor-cert-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Vendor Developer Portal',
  '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
const portalKey = readFileSync(join(dir, 'key.pem'), 'utf8');
const portalCert = readFileSync(join(dir, 'cert.pem'), 'utf8');
const ISSUER = 'https://developer.vendor.example';

function portalJwt(claims: Record<string, unknown>, options: jwt.SignOptions = {}, key = portalKey): string {
  return jwt.sign(claims, key, { algorithm: 'RS256', issuer: ISSUER, expiresIn: '1h', ...options });
}

const growthChartId = portalJwt({
  sub: 'growth-chart', token_use: 'client_id', client_name: 'Growth Chart', token_endpoint_auth_method: 'none',
  redirect_uris: [REDIRECT_URI], scope: 'launch/patient openid fhirUser patient/*.rs', grant_types: ['authorization_code'],
});
const portalServiceId = portalJwt({
  sub: 'portal-service', token_use: 'client_id', client_name: 'Portal service', token_endpoint_auth_method: 'client_secret_basic',
  scope: 'user/*.rs', grant_types: ['password'],
});
const portalServiceSecret = portalJwt({ sub: 'portal-service', token_use: 'client_secret', jti: 'secret-1' });

describe('clients whose id and secret the vendor\'s developer portal issued as JWTs', () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer({ vendorCredentials: { certificate: portalCert, issuer: ISSUER } });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the authorization code flow for a portal-issued public app without a clients table row', async () => {
    const agent = request.agent(server.app);
    const { verifier, challenge } = pkce();
    const page = await follow(agent, await agent.get(authorizeUrl({ clientId: growthChartId, scope: 'openid fhirUser patient/*.rs', challenge })));
    const picker = await signIn(agent, page, 'provider');
    // patient/ scopes need a chart: the provider searches for Leo and picks him.
    const search = await agent.get(`/smart/auth/pick-patient?transaction_id=${hiddenFields(picker.text).transaction_id}&name=Leo`);
    const leo = /name="patient" value="(\d+)"/.exec(search.text)?.[1];
    assert.ok(leo, 'Leo is offered');
    const consentPage = await follow(agent, await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(search.text), patient: leo }));
    assert.match(consentPage.text, /Growth Chart would like to access the EHR/);
    const { code } = codeFrom(await consent(agent, consentPage));
    const token = await request(server.app).post('/smart/auth/token').type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: growthChartId, code_verifier: verifier });
    assert.equal(token.status, 200, token.text);
    assert.equal((jwt.decode(token.body.access_token) as jwt.JwtPayload).client_id, 'vendor:growth-chart');
    assert.equal(await server.db.knex('smart_clients').count({ n: '*' }).then((r) => Number(r[0]?.n)), 4, 'only the demo clients are in the table');
  });

  it('continues a portal app\'s sign-in on another instance behind a load balancer (nothing kept in memory)', async () => {
    const second = await createSmartPlugin({
      secret: TEST_SECRET, knex: server.db.knex, publicUrl: `${ORIGIN}/smart`, development: true,
      vendorCredentials: { certificate: portalCert, issuer: ISSUER },
    });
    let turn = 0;
    const balanced = express().use('/smart', (req, res, next) => ((turn++ % 2 === 0) ? server.plugin.router : second.router)(req, res, next));
    const agent = request.agent(balanced);
    const start = await agent.get(authorizeUrl({ clientId: growthChartId, scope: 'openid fhirUser patient/*.rs' }));
    assert.equal(start.status, 303, start.text);
    const picker = await signIn(agent, await follow(agent, start), 'provider');
    assert.match(picker.text, /<h1>Choose a patient<\/h1>/);
    assert.ok(turn >= 3, 'both instances served the flow');
  });

  it('accepts the portal-issued secret of that client id, and only that one', async () => {
    const form = { grant_type: 'password', username: 'svc-portal', password: 'demo-password', scope: 'user/Patient.rs' };
    const ok = await request(server.app).post('/smart/auth/token').auth(portalServiceId, portalServiceSecret).type('form').send(form);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.scope, 'user/Patient.rs');
    const otherSecret = portalJwt({ sub: 'growth-chart', token_use: 'client_secret', jti: 'secret-2' });
    const wrong = await request(server.app).post('/smart/auth/token').auth(portalServiceId, otherSecret).type('form').send(form);
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    const idAsSecret = await request(server.app).post('/smart/auth/token').auth(portalServiceId, portalServiceId).type('form').send(form);
    assert.equal(idAsSecret.status, 401, 'a client id JWT is not a secret');
  });

  it('refuses a tampered, expired or foreign-signed client id', async () => {
    const [header, payload, signature] = portalServiceId.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = [header, Buffer.from(JSON.stringify({ ...claims, scope: 'user/*.cruds' })).toString('base64url'), signature].join('.');
    const expired = portalJwt({ sub: 'portal-service', token_use: 'client_id', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['password'] }, { expiresIn: -10 });
    const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('rsa', { modulusLength: 2048 }));
    const foreign = portalJwt({ sub: 'portal-service', token_use: 'client_id', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['password'] },
      {}, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    for (const clientId of [tampered, expired, foreign]) {
      const response = await request(server.app).post('/smart/auth/token').auth(clientId, portalServiceSecret).type('form')
        .send({ grant_type: 'password', username: 'svc-portal', password: 'demo-password' });
      assert.equal(response.status, 401);
      assert.equal(response.body.error, 'invalid_client');
    }
    const [appHeader, appPayload, appSignature] = growthChartId.split('.') as [string, string, string];
    const redirected = { ...JSON.parse(Buffer.from(appPayload, 'base64url').toString()), redirect_uris: ['https://evil.example/cb'] };
    const forged = [appHeader, Buffer.from(JSON.stringify(redirected)).toString('base64url'), appSignature].join('.');
    const page = await request(server.app).get(authorizeUrl({ clientId: forged, scope: 'patient/*.rs', redirectUri: 'https://evil.example/cb' }));
    assert.equal(page.status, 400);
    assert.equal(page.headers.location, undefined, 'a tampered registration is never redirected to');
  });
});
