import assert from 'node:assert/strict';
import request from 'supertest';
import type { ResourceProvider, SmartPluginOptions } from '../../src/index.ts';
import { startDevIdp, type DevIdp } from '../../samples/dev-idp/server.ts';
import { signInAtDevIdp } from './dev-idp-client.ts';
import { authorizeUrl, codeFrom, follow, hiddenFields, pkce, startSmartServer, type SmartServer } from './smart-server.ts';
import { redeemCode } from './token-requests.ts';
import type { Knex } from 'knex';

/** A smart server whose patients and representatives sign in with Azure AD B2C, against a real dev-idp over HTTPS. */
export interface PortalServer extends SmartServer {
  devIdp: DevIdp;
}

export async function startPortalServer(
  options: Partial<SmartPluginOptions> = {}, providers?: (knex: Knex) => ResourceProvider[],
): Promise<PortalServer> {
  const devIdp = await startDevIdp();
  try {
    const { b2c, trustedCa } = devIdp.azureOptions([]);
    const server = await startSmartServer({ azure: { b2c, trustedCa }, ...options }, providers);
    return {
      ...server, devIdp,
      close: async () => {
        await server.close();
        await devIdp.close();
      },
    };
  } catch (error) {
    await devIdp.close();
    throw error;
  }
}

/**
 * "Sign in as a patient" for an authorization request: B2C at the dev-idp as `identity`. Returns the browser
 * (agent), the PKCE verifier and the plugin's answer to the Azure AD callback (a redirect to the picker or consent).
 */
export async function signInAsPatient(server: PortalServer, identity: string, scope: string, clientId = 'demo-app') {
  const agent = request.agent(server.app);
  const { verifier, challenge } = pkce();
  const signInPage = await follow(agent, await agent.get(authorizeUrl({ clientId, scope, challenge })));
  assert.equal(signInPage.status, 200, signInPage.text);
  const { transaction_id: transactionId } = hiddenFields(signInPage.text);
  const policy = server.devIdp.azureOptions([]).b2c.policies[0] as string;
  const toAzure = await agent.get(`/smart/auth/azure/b2c/start?transaction_id=${encodeURIComponent(String(transactionId))}&p=${policy}`);
  const back = await agent.get(await signInAtDevIdp(server.devIdp, toAzure, identity));
  return { agent, verifier, back };
}

/**
 * The token a patient-portal identity gets for one of its linked charts: "Sign in as a patient" (B2C at the
 * dev-idp), the picker, consent with everything offered checked, and the code exchange.
 */
export async function portalToken(
  server: PortalServer, identity: string, patientId: string, scope: string, clientId = 'demo-app',
): Promise<{ token: string; scope: string }> {
  const { agent, verifier, back } = await signInAsPatient(server, identity, `launch/patient ${scope}`, clientId);
  let page = await follow(agent, back);
  if (/<h1>Choose a patient<\/h1>/.test(page.text)) {
    const chosen = await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(page.text), patient: patientId });
    assert.equal(chosen.status, 303, chosen.text);
    page = await follow(agent, chosen);
  }
  assert.equal(page.status, 200, page.text);
  const checked = [...page.text.matchAll(/<input type="checkbox" [^>]*name="scope" value="([^"]+)"[^>]*checked/g)].map((m) => m[1] as string);
  const body = new URLSearchParams({ ...hiddenFields(page.text), decision: 'allow' });
  for (const value of checked) body.append('scope', value);
  const { code } = codeFrom(await agent.post('/smart/auth/consent').type('form').send(body.toString()));
  const res = await redeemCode(server, code, verifier, { client_id: clientId });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.patient, patientId);
  return { token: res.body.access_token as string, scope: res.body.scope as string };
}
