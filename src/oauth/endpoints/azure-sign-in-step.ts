import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { asyncRoute } from '../../http/async-route.ts';
import { pluginSession } from '../../http/plugin-session.ts';
import { portalIdentity, staffIdentity, type AzureIdentity } from '../../identity/azure-identity.ts';
import type { AzureFlow } from '../../identity/azure-sign-in.ts';
import { runAzureStrategy, type AzureOutcome } from '../../identity/run-azure-strategy.ts';
import { recordSecurityEvent, type SecurityEvent } from '../../identity/security-event.ts';
import { USER_PROPERTY } from '../oauth2-server.ts';
import { errorPage } from '../pages/index.ts';
import { resumeFlow } from './authorize-endpoint.ts';
import type { FlowDeps } from './flow-deps.ts';
import { frontChannelErrors, loadTransaction, pageHeaders, requireStep, transactionOf } from './front-channel.ts';
import { signInFormTargets, signInRenderer } from './sign-in-step.ts';

type Refusal = Exclude<AzureIdentity, { ok: true }>['reason'] | 'not-verified' | 'unavailable' | 'unknown-policy';

const REFUSALS: Record<Refusal, { status: number; message: string }> = {
  'tenant-not-configured': { status: 403, message: 'Your organization is not set up to sign in to this EHR. Sign in with your EHR username and password, or ask your EHR administrator.' },
  'no-ehr-user': { status: 403, message: 'Your organization account is not linked to an EHR user. Ask your EHR administrator to link it.' },
  inactive: { status: 403, message: 'This account is inactive. Ask your EHR administrator.' },
  'no-email': { status: 403, message: 'Your account did not share a verified email address, so no patient record can be found for it.' },
  'no-patient-links': { status: 403, message: 'No patient record is linked to this email address. Ask the practice to give you access.' },
  'not-verified': { status: 400, message: 'The sign-in could not be verified. Please try again.' },
  unavailable: { status: 502, message: 'The sign-in service cannot be reached right now. Try again later, or sign in with your EHR username and password.' },
  'unknown-policy': { status: 400, message: 'This patient sign-in is not offered here.' },
};

const FLOW = Symbol('smart-ehr-plugin.azure-flow');

/**
 * Azure AD sign-in of the flow (DESIGN §3): `azure/b2b/start` and `azure/b2c/start` send the browser to
 * Azure AD, `azure/callback` receives the authorization code. Azure AD only authenticates; the user found
 * in the EHR then continues the same authorization as after a password sign-in.
 */
export function azureSignInStep(deps: FlowDeps, assetsPath: string): Router {
  const router = express.Router();
  const { azure, logger } = deps;
  const headers = pageHeaders(signInFormTargets(deps));
  const atSignIn = requireStep(deps.authPath, 'sign-in');
  const render = signInRenderer(deps, assetsPath);
  const refuse = (req: Request, res: Response, reason: Refusal, event: Omit<SecurityEvent, 'event' | 'reason' | 'clientId'>) => {
    recordSecurityEvent(logger, { event: 'sign-in-refused', reason, clientId: transactionOf(req).client.clientId, ...event });
    render(req, res, REFUSALS[reason].status, REFUSALS[reason].message);
  };

  /** Sends the browser to Azure AD, remembering under the request's state which authorization it serves. */
  const toAzure = async (req: Request, res: Response, outcome: AzureOutcome, flow: Omit<AzureFlow, 'expiresAt' | 'transactionId'>) => {
    const session = pluginSession(req);
    const state = outcome.kind === 'redirect' ? new URL(outcome.url).searchParams.get('state') : null;
    if (outcome.kind !== 'redirect' || !state) {
      await session.save();
      if (outcome.kind === 'unavailable') logger.warn('Azure AD unavailable', { method: flow.method, reason: outcome.reason });
      return refuse(req, res, outcome.kind === 'unavailable' ? 'unavailable' : 'not-verified', { method: flow.method });
    }
    await azure.remember(session, state, { ...flow, transactionId: transactionOf(req).transactionID });
    res.redirect(302, outcome.url);
  };

  router.get('/azure/b2b/start', deps.session, loadTransaction(deps.store), headers, atSignIn, asyncRoute(async (req, res) => {
    const email = typeof req.query.email === 'string' ? req.query.email.trim().slice(0, 254) : '';
    const tenant = azure.tenantFor(email || undefined);
    if (!tenant) return refuse(req, res, 'tenant-not-configured', { method: 'azure-b2b' });
    const hints = email.includes('@') ? { login_hint: email, domain_hint: email.split('@')[1] } : {};
    const strategy = azure.strategyFor(tenant);
    const outcome = await runAzureStrategy(deps.passport, strategy, req, pluginSession(req), hints);
    await toAzure(req, res, outcome, { strategy, method: 'azure-b2b', tenantId: tenant.tenantId });
  }), frontChannelErrors(logger, assetsPath));

  // passport-azure-ad reads the B2C policy from the `p` query parameter; it must be one configured here.
  router.get('/azure/b2c/start', deps.session, loadTransaction(deps.store), headers, atSignIn, asyncRoute(async (req, res) => {
    const requested = typeof req.query.p === 'string' ? req.query.p : undefined;
    const policy = azure.policyFor(requested);
    if (!policy) return refuse(req, res, 'unknown-policy', { method: 'azure-b2c' });
    if (requested !== policy) {
      res.redirect(303, `${deps.authPath}/azure/b2c/start?transaction_id=${encodeURIComponent(transactionOf(req).transactionID)}&p=${encodeURIComponent(policy)}`);
      return;
    }
    const outcome = await runAzureStrategy(deps.passport, azure.b2cStrategy, req, pluginSession(req));
    await toAzure(req, res, outcome, { strategy: azure.b2cStrategy, method: 'azure-b2c' });
  }), frontChannelErrors(logger, assetsPath));

  router.get('/azure/callback', deps.session, loadFlowTransaction(deps, assetsPath), headers, atSignIn, asyncRoute(async (req, res, next) => {
    const flow = (req as unknown as Record<symbol, AzureFlow>)[FLOW] as AzureFlow;
    const session = pluginSession(req);
    const outcome = await runAzureStrategy(deps.passport, flow.strategy, req, session);
    if (outcome.kind !== 'verified') {
      await session.save();
      if (outcome.kind === 'unavailable') logger.warn('Azure AD unavailable', { method: flow.method, reason: outcome.reason });
      return refuse(req, res, outcome.kind === 'unavailable' ? 'unavailable' : 'not-verified', {
        method: flow.method, ...(flow.tenantId ? { tenantId: flow.tenantId } : {}), ...(outcome.kind === 'refused' ? { detail: outcome.reason.slice(0, 200) } : {}),
      });
    }
    const claims = outcome.claims;
    const ids = flow.method === 'azure-b2b'
      ? { tenantId: String(claims.tid ?? ''), objectId: String(claims.oid ?? '') }
      : { subject: String(claims.sub ?? claims.oid ?? '') };
    const identity = flow.method === 'azure-b2b'
      ? await staffIdentity(deps.directory, flow.tenantId ?? '', claims)
      : await portalIdentity(deps.directory, claims);
    if (!identity.ok) {
      await session.save();
      return refuse(req, res, identity.reason, { method: flow.method, ...ids });
    }
    session.data.user = identity.user;
    // A new session id after sign-in (session fixation); pending transactions move with it.
    await session.regenerate();
    recordSecurityEvent(logger, {
      event: 'sign-in-succeeded', method: flow.method, clientId: transactionOf(req).client.clientId, ...ids,
      ...(identity.user.kind === 'staff' ? { userId: identity.user.userId } : {}),
    });
    (req as unknown as Record<string, unknown>)[USER_PROPERTY] = identity.user;
    next();
  }), ...resumeFlow(deps), frontChannelErrors(logger, assetsPath));
  return router;
}

/**
 * The callback names no transaction: its `state` finds the sign-in this browser started, used once, and
 * through it the authorization. A state this session never issued (forged, replayed, another browser's,
 * expired) ends here with a page, before anything is sent to Azure AD.
 */
function loadFlowTransaction(deps: FlowDeps, assetsPath: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const session = pluginSession(req);
    const flow = deps.azure.take(session, req.query.state);
    if (!flow) {
      recordSecurityEvent(deps.logger, { event: 'sign-in-refused', method: 'azure', reason: 'unknown-state' });
      session.save().then(() => {
        pageHeaders()(req, res, () => {
          res.status(400).send(errorPage({ assetsPath }, {
            status: 400, title: 'This sign-in has expired',
            message: 'This sign-in was not started in this browser, has expired or was already completed. Go back to the app and start again.',
          }));
        });
      }, next);
      return;
    }
    (req as unknown as Record<symbol, AzureFlow>)[FLOW] = flow;
    deps.store.loadById(req, flow.transactionId, (error, txn) => {
      if (error) return next(error);
      (req as unknown as { oauth2: unknown }).oauth2 = txn;
      next();
    });
  };
}
