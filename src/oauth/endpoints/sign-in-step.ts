import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { HostUser } from '../../host/host-directory.ts';
import { pluginSession } from '../../http/plugin-session.ts';
import { signInPage } from '../pages/index.ts';
import { azureButtons } from './azure-buttons.ts';
import type { FlowDeps } from './flow-deps.ts';
import { resumeFlow } from './authorize-endpoint.ts';
import {
  csrfMatches, csrfToken, frontChannelErrors, loadSignedInUser, loadTransaction, pageHeaders, redirectOrigin, requireStep, transactionOf,
} from './front-channel.ts';

const MESSAGES: Record<string, string> = {
  'bad-credentials': 'The username or password is not correct.',
  locked: 'Too many failed sign-ins. This account or computer is locked for a while; try again later or ask your EHR administrator.',
  inactive: 'This account is inactive. Ask your EHR administrator.',
  csrf: 'The form expired. Please sign in again.',
};

export type SignInRenderer = (req: Request, res: Response, status: number, error?: string, username?: string) => void;

/** Renders the sign-in page of the loaded transaction: EHR credentials, and the Azure AD sign-ins that apply. */
export function signInRenderer(deps: FlowDeps, assetsPath: string): SignInRenderer {
  return (req, res, status, error, username) => {
    const txn = transactionOf(req);
    const azure = deps.azure.enabled ? azureButtons(deps.azure, txn.req.smart, deps.authPath, txn.transactionID) : undefined;
    res.status(status).send(signInPage({ assetsPath, clientName: txn.client.name }, {
      action: `${deps.authPath}/sign-in`, transactionId: txn.transactionID, csrfToken: csrfToken(deps.csrfKey, req, txn.transactionID),
      ...(username ? { username } : {}), ...(error ? { error } : {}),
      ...(azure ? { azureButtons: azure.buttons, providersFirst: azure.providersFirst } : {}),
    }));
  };
}

/**
 * Where the sign-in page's forms may lead (CSP form-action): the app (a redirect after the password form)
 * and Azure AD (the work-email form's start route redirects there).
 */
export function signInFormTargets(deps: FlowDeps): (req: Request) => string[] {
  return (req) => [redirectOrigin(transactionOf(req).redirectURI), ...deps.azure.formTargets];
}

/** The sign-in page of the flow: EHR credentials, with Azure AD B2B and B2C buttons when configured. */
export function signInStep(deps: FlowDeps, assetsPath: string): Router {
  const router = express.Router();
  const headers = pageHeaders(signInFormTargets(deps));
  const loader = loadTransaction(deps.store);
  const atSignIn = requireStep(deps.authPath, 'sign-in');
  const render = signInRenderer(deps, assetsPath);
  router.get('/sign-in', deps.session, loader, headers, atSignIn, loadSignedInUser(deps.directory, deps.currentHostUser),
    (req: Request, res: Response, next: NextFunction) => ((req as unknown as { smartUser?: unknown }).smartUser ? next() : render(req, res, 200)),
    ...resumeFlow(deps), frontChannelErrors(deps.logger, assetsPath));
  router.post('/sign-in', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }), deps.session, loader, headers, atSignIn,
    (req: Request, res: Response, next: NextFunction) => {
      const txn = transactionOf(req);
      const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 200) : '';
      if (!csrfMatches(deps.csrfKey, req, txn.transactionID)) return render(req, res, 403, MESSAGES.csrf, username);
      deps.passport.authenticate('ehr-credentials', { session: false }, (error: unknown, user: HostUser | false, info: { reason?: string } | undefined) => {
        if (error) return next(error);
        if (!user) return render(req, res, 401, MESSAGES[info?.reason ?? 'bad-credentials'] ?? MESSAGES['bad-credentials'], username);
        const session = pluginSession(req);
        session.data.user = { kind: 'staff', userId: user.userId, method: 'password', authTime: Math.floor(Date.now() / 1000) };
        // A new session id after sign-in (session fixation); pending transactions move with it.
        session.regenerate().then(() => {
          (req as unknown as Record<string, unknown>).smartUser = session.data.user;
          next();
        }, next);
      })(req, res, next);
    },
    ...resumeFlow(deps), frontChannelErrors(deps.logger, assetsPath));
  return router;
}
