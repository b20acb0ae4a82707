import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { asyncRoute } from '../../http/async-route.ts';
import type { SignedInUser } from '../../http/plugin-session.ts';
import { describeScope } from '../../smart/describe-scope.ts';
import type { ApprovedAuthorization } from '../grants/authorization-code.ts';
import { permittedScopes } from '../interaction.ts';
import { USER_PROPERTY } from '../oauth2-server.ts';
import { consentPage } from '../pages/index.ts';
import type { FlowDeps } from './flow-deps.ts';
import {
  csrfMatches, csrfToken, frontChannelErrors, loadSignedInUser, loadTransaction, pageHeaders, redirectOrigin, redirectToStep,
  requireFlowUser, requireStep, transactionOf,
} from './front-channel.ts';

const UNAVAILABLE = 'Your EHR account does not allow this.';

/**
 * The consent page (SMART App Launch 2.2; ONC (g)(10) granular selection): each requested scope in plain
 * language with a checkbox, checked by default. The token carries what the user left checked AND what
 * their EHR permissions allow; the approval is stored as a grant (CSRF-checked, bound to this browser).
 */
export function consentStep(deps: FlowDeps, assetsPath: string): Router {
  const router = express.Router();
  const headers = pageHeaders((req) => [redirectOrigin(transactionOf(req).redirectURI)]);
  const common = [
    deps.session, loadTransaction(deps.store), headers, requireStep(deps.authPath, 'consent'),
    loadSignedInUser(deps.directory, deps.currentHostUser), requireUser(deps), requireFlowUser(),
  ];
  const render = async (req: Request, res: Response, status: number, error?: string) => {
    const txn = transactionOf(req);
    const user = signedIn(req) as SignedInUser;
    const request = txn.req.smart;
    const items = await Promise.all(request.scope.map(async (scope) => {
      const available = (await permittedScopes(deps.interaction, [scope], user)).granted.length > 0;
      return { scope, text: describeScope(scope), checked: available, ...(available ? {} : { unavailableReason: UNAVAILABLE }) };
    }));
    const patient = txn.info?.patientId ? await deps.directory.getPatient(txn.info.patientId) : undefined;
    res.status(status).send(consentPage({ assetsPath, clientName: txn.client.name }, {
      action: `${deps.authPath}/consent`, transactionId: txn.transactionID, csrfToken: csrfToken(deps.csrfKey, req, txn.transactionID),
      items, dropped: request.refusedScope.map((scope) => ({ text: describeScope(scope) })),
      ...(patient ? { patientName: patient.displayName } : {}), ...(error ? { error } : {}),
    }));
  };
  router.get('/consent', ...common, asyncRoute((req, res) => render(req, res, 200)), frontChannelErrors(deps.logger, assetsPath));
  router.post('/consent', express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }), ...common,
    asyncRoute(async (req, res, next) => {
      if (!csrfMatches(deps.csrfKey, req, transactionOf(req).transactionID)) return render(req, res, 403, 'The form expired. Please decide again.');
      // Whatever the decision, this transaction ends here: a second post of the form finds nothing.
      await deps.store.claim(req, transactionOf(req).transactionID);
      next();
    }),
    deps.server.decision({ loadTransaction: false, userProperty: USER_PROPERTY } as never, decide(deps) as never) as never,
    frontChannelErrors(deps.logger, assetsPath));
  return router;
}

/** oauth2orize `parse` for the decision: what the user approved, cut down to what they may grant. */
function decide(deps: FlowDeps) {
  return (req: Request, done: (error: unknown, ares?: ApprovedAuthorization) => void) => {
    const txn = transactionOf(req);
    const requested = txn.req.smart.scope;
    const checked = ([] as unknown[]).concat(req.body?.scope ?? []).filter((s): s is string => typeof s === 'string');
    const approved = requested.filter((scope) => checked.includes(scope));
    const info = txn.info ?? {};
    if (req.body?.decision !== 'allow' || !approved.some((s) => s.includes('/') && !s.startsWith('launch'))) {
      done(null, { allow: false, approved: [], scope: [], dropped: [], info });
      return;
    }
    permittedScopes(deps.interaction, approved, signedIn(req) as SignedInUser).then(({ granted, dropped }) => {
      done(null, { allow: true, approved, scope: granted, dropped, info });
    }, done);
  };
}

function signedIn(req: Request): SignedInUser | undefined {
  return (req as unknown as Record<string, SignedInUser | undefined>)[USER_PROPERTY];
}

function requireUser(deps: FlowDeps) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (signedIn(req)) return next();
    redirectToStep(res, deps.authPath, 'sign-in', transactionOf(req).transactionID);
  };
}
