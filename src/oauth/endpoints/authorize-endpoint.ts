import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { InvalidRequest } from '../../errors/oauth-errors.ts';
import { asyncRoute } from '../../http/async-route.ts';
import { authorizationParams, checkAuthorizationRequest, findRedirectTarget, type AuthorizationRequest } from '../authorization-request.ts';
import type { ApprovedAuthorization } from '../grants/authorization-code.ts';
import { USER_PROPERTY } from '../oauth2-server.ts';
import { nextStep } from '../interaction.ts';
import type { FlowInfo } from '../transaction-store.ts';
import type { FlowDeps } from './flow-deps.ts';
import {
  frontChannelErrors, loadSignedInUser, pageHeaders, redirectOrigin, redirectToStep, setRedirectTarget, transactionOf,
} from './front-channel.ts';

const CHECKED = Symbol('smart-ehr-plugin.authorization-request');

/**
 * GET and POST {issuer}/authorize (RFC 6749 §4.1.1, SMART App Launch 2.2): check the request, then either
 * issue a code at once (signed in, context known, consent on file) or start a transaction and send the
 * browser to the page it needs.
 */
export function authorizeEndpoint(deps: FlowDeps, assetsPath: string): Router {
  const router = express.Router();
  const handlers = [
    pageHeaders((req) => {
      const uri = authorizationParams(req).redirect_uri;
      try {
        return typeof uri === 'string' ? [redirectOrigin(uri)] : [];
      } catch {
        return [];
      }
    }),
    deps.session,
    asyncRoute(async (req, res, next) => {
      const params = authorizationParams(req);
      const found = await findRedirectTarget(params, deps.clients);
      if ('problem' in found) throw new InvalidRequest(found.problem);
      setRedirectTarget(res, found.target);
      (req as unknown as Record<symbol, unknown>)[CHECKED] = { client: found.client, request: checkAuthorizationRequest(params, found.client, deps.fhirBaseUrl) };
      next();
    }),
    loadSignedInUser(deps.directory, deps.currentHostUser),
    deps.server.authorization({ userProperty: USER_PROPERTY } as never, validate as never, immediateDecision(deps) as never),
    (req: Request, res: Response) => {
      const txn = transactionOf(req);
      redirectToStep(res, deps.authPath, txn.info?.step ?? 'sign-in', txn.transactionID);
    },
    frontChannelErrors(deps.logger, assetsPath),
  ];
  router.get('/authorize', ...handlers);
  router.post('/authorize', express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 }), ...handlers);
  return router;
}

/** oauth2orize request parser for response_type=code: the request our own checks already accepted. */
export function parseCheckedRequest(req: Request): Record<string, unknown> {
  const checked = (req as unknown as Record<symbol, { request: AuthorizationRequest } | undefined>)[CHECKED];
  if (!checked) throw new InvalidRequest('The authorization request was not checked.');
  const { request } = checked;
  return { clientID: request.clientId, redirectURI: request.redirectUri, scope: request.scope, state: request.state, smart: request };
}

/** oauth2orize `validate`: the client and redirect URI were verified exactly before this runs. */
function validate(areq: { smart: AuthorizationRequest }, done: (error: unknown, client?: unknown, redirectUri?: string) => void): void {
  const req = areq as unknown as { smart: AuthorizationRequest };
  done(null, { clientId: req.smart.clientId }, req.smart.redirectUri);
}

/**
 * oauth2orize `immediate` (also used by `resume` after each page): allow at once when nothing is left to
 * ask, otherwise remember which page comes next in the transaction's info. `beforeIssue` runs just
 * before a code is issued (to claim the pending transaction).
 */
export function immediateDecision(deps: FlowDeps, beforeIssue?: () => Promise<void>) {
  return (oauth2: { req: { smart: AuthorizationRequest }; info?: FlowInfo; user?: import('../../http/plugin-session.ts').SignedInUser },
    done: (error: unknown, allow?: boolean, info?: unknown) => void): void => {
    const decide = async (): Promise<[boolean, unknown]> => {
      const next = await nextStep(deps.interaction, oauth2.req.smart, oauth2.info ?? {}, oauth2.user);
      if (next.step !== 'issue') return [false, { ...next.info, step: next.step }];
      await beforeIssue?.();
      const approved: ApprovedAuthorization = { allow: true, approved: oauth2.req.smart.scope, scope: next.scope, dropped: next.dropped, info: next.info };
      return [true, approved];
    };
    decide().then(([allow, info]) => done(null, allow, info), done);
  };
}

/** After a page: issue if nothing is left (claiming the transaction first), else go to the next page. */
export function resumeFlow(deps: FlowDeps): ((req: Request, res: Response, next: NextFunction) => void)[] {
  // `resume` exists in oauth2orize 1.12 but not in its type definitions.
  const server = deps.server as unknown as { resume(options: object, immediate: unknown): (req: Request, res: Response, next: NextFunction) => void };
  return [
    (req: Request, res: Response, next: NextFunction) => {
      const claim = () => deps.store.claim(req, transactionOf(req).transactionID);
      server.resume({ loadTransaction: false, userProperty: USER_PROPERTY }, immediateDecision(deps, claim))(req, res, next);
    },
    (req: Request, res: Response) => {
      const txn = transactionOf(req);
      redirectToStep(res, deps.authPath, txn.info?.step ?? 'sign-in', txn.transactionID);
    },
  ];
}
