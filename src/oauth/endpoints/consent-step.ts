import express, { type Request, type Response, type Router } from 'express';
import { asyncRoute } from '../../http/async-route.ts';
import type { SignedInUser } from '../../http/plugin-session.ts';
import { describeScopes, type ScopeDescription, type ScopeWording } from '../../smart/describe-scope.ts';
import { granularChoices } from '../../smart/granular-choices.ts';
import type { ApprovedAuthorization } from '../grants/authorization-code.ts';
import { permittedScopes } from '../interaction.ts';
import { USER_PROPERTY } from '../oauth2-server.ts';
import { consentPage, type ConsentItem } from '../pages/index.ts';
import type { FlowDeps } from './flow-deps.ts';
import {
  csrfMatches, csrfToken, frontChannelErrors, loadSignedInUser, loadTransaction, pageHeaders, redirectOrigin,
  requireFlowUser, requireStep, requireUser, signedIn, transactionOf,
} from './front-channel.ts';

const UNAVAILABLE = 'Your EHR account does not allow this.';

/**
 * The consent page (SMART App Launch 2.2; ONC (g)(10) granular selection): the requested scopes in plain
 * language, one checkbox per distinct line (`openid` and `fhirUser` are one "Know who you are"), checked by
 * default; under a Condition or Observation line, unchecked granular alternatives (`?category=`). The token carries
 * what the user left checked (a line's chosen alternatives instead of the line) AND what their EHR permissions allow;
 * the approval is stored as a grant (CSRF-checked, bound to this browser).
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
    const patient = txn.info?.patientId ? await deps.directory.getPatient(txn.info.patientId) : undefined;
    // Staff consent on a patient's behalf, so "your conditions" would name the wrong person.
    const wording = patient && user.kind === 'staff' ? { patientName: patient.displayName } : {};
    res.status(status).send(consentPage({ assetsPath, clientName: txn.client.name }, {
      action: `${deps.authPath}/consent`, transactionId: txn.transactionID, csrfToken: csrfToken(deps.csrfKey, req, txn.transactionID),
      items: await consentItems(deps, describeScopes(request.scope, wording), user, wording),
      dropped: describeScopes(request.refusedScope, wording).map(({ text }) => ({ text })),
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

/** A line is offered if the user's EHR permissions allow any of its scopes; `decide` drops the rest on approval. */
async function consentItems(deps: FlowDeps, lines: ScopeDescription[], user: SignedInUser, wording: ScopeWording): Promise<ConsentItem[]> {
  return Promise.all(lines.map(async ({ text, scopes }) => {
    const available = (await permittedScopes(deps.interaction, scopes, user)).granted.length > 0;
    if (!available) return { scopes, text, checked: false, unavailableReason: UNAVAILABLE };
    // A line of `.rs` and `.read` offers each category once, posting both forms.
    const choices = describeScopes(scopes.flatMap((scope) => granularChoices(scope).map((choice) => choice.scope)), wording);
    return { scopes, text, checked: true, ...(choices.length > 0 ? { choices } : {}) };
  }));
}

/** oauth2orize `parse` for the decision: what the user approved, cut down to what they may grant. */
function decide(deps: FlowDeps) {
  return (req: Request, done: (error: unknown, ares?: ApprovedAuthorization) => void) => {
    const txn = transactionOf(req);
    const requested = txn.req.smart.scope;
    const approved = approvedScopes(requested, checkedScopes(req.body?.scope));
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

/**
 * The requested scopes the user kept, in request order, each replaced by its granular alternatives the user chose,
 * if any (ONC (g)(10) granular selection: choosing a kind grants only the kinds chosen, even with the line kept).
 * Only what was requested or offered for it counts: the form may carry anything.
 */
function approvedScopes(requested: readonly string[], checked: ReadonlySet<string>): string[] {
  return [...new Set(requested.flatMap((scope) => {
    const chosen = granularChoices(scope).map((choice) => choice.scope).filter((granular) => checked.has(granular));
    if (chosen.length > 0) return chosen;
    return checked.has(scope) ? [scope] : [];
  }))];
}

// A checkbox posts its line's scopes space-separated (RFC 6749 §3.3: no scope token contains a space).
function checkedScopes(posted: unknown): Set<string> {
  const values = ([] as unknown[]).concat(posted ?? []).filter((value): value is string => typeof value === 'string');
  return new Set(values.flatMap((value) => value.split(' ')).filter((scope) => scope !== ''));
}

