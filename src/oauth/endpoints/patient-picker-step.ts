import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { HostPatient } from '../../host/host-directory.ts';
import { asyncRoute } from '../../http/async-route.ts';
import type { SignedInUser } from '../../http/plugin-session.ts';
import { patientPickerPage } from '../pages/index.ts';
import { resumeFlow } from './authorize-endpoint.ts';
import type { FlowDeps } from './flow-deps.ts';
import {
  csrfMatches, csrfToken, frontChannelErrors, loadSignedInUser, loadTransaction, pageHeaders, redirectOrigin, redirectToStep, transactionOf,
} from './front-channel.ts';

const SEARCH_LIMIT = 25;

/**
 * The patient picker of a standalone `launch/patient` request (SMART App Launch 2.2): a representative
 * chooses among the charts linked to them; staff search by name among the charts they may open.
 */
export function patientPickerStep(deps: FlowDeps, assetsPath: string): Router {
  const router = express.Router();
  const headers = pageHeaders((req) => [redirectOrigin(transactionOf(req).redirectURI)]);
  const common = [deps.session, loadTransaction(deps.store), headers, loadSignedInUser(deps.directory, deps.currentHostUser)];
  const render = async (req: Request, res: Response, status: number, error?: string) => {
    const txn = transactionOf(req);
    const user = signedIn(req) as SignedInUser;
    const query = typeof req.query.name === 'string' ? req.query.name.trim().slice(0, 100) : '';
    const patients = user.kind === 'portal' ? await linkedCharts(deps, user.identity) : query ? await searchCharts(deps, user.userId, query) : [];
    res.status(status).send(patientPickerPage({ assetsPath, clientName: txn.client.name }, {
      action: `${deps.authPath}/pick-patient`, transactionId: txn.transactionID, csrfToken: csrfToken(deps.csrfKey, req, txn.transactionID),
      patients: patients.map((p) => ({ id: p.patientId, name: p.displayName, birthDate: p.birthDate })),
      ...(user.kind === 'staff' ? { search: { query, searchAction: `${deps.authPath}/pick-patient` } } : {}),
      ...(error ? { error } : {}),
    }));
  };
  router.get('/pick-patient', ...common, requireUser(deps), asyncRoute((req, res) => render(req, res, 200)), frontChannelErrors(deps.logger, assetsPath));
  router.post('/pick-patient', express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }), ...common, requireUser(deps),
    asyncRoute(async (req, res, next) => {
      const txn = transactionOf(req);
      if (!csrfMatches(deps.csrfKey, req, txn.transactionID)) return render(req, res, 403, 'The form expired. Please choose again.');
      const chosen = typeof req.body?.patient === 'string' ? req.body.patient : '';
      if (!chosen || !(await mayOpen(deps, signedIn(req) as SignedInUser, chosen))) return render(req, res, 400, 'Choose one of the patients listed.');
      txn.info = { ...txn.info, patientId: chosen };
      await new Promise<void>((resolve, reject) => deps.store.update(req, txn.transactionID, txn as never, (e) => (e ? reject(e) : resolve())));
      next();
    }),
    ...resumeFlow(deps), frontChannelErrors(deps.logger, assetsPath));
  return router;
}

function signedIn(req: Request): SignedInUser | undefined {
  return (req as unknown as { smartUser?: SignedInUser }).smartUser;
}

function requireUser(deps: FlowDeps) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (signedIn(req)) return next();
    redirectToStep(res, deps.authPath, 'sign-in', transactionOf(req).transactionID);
  };
}

async function linkedCharts(deps: FlowDeps, identity: string): Promise<HostPatient[]> {
  const links = await deps.directory.findPatientLinks(identity);
  const patients = await Promise.all(links.map((link) => deps.directory.getPatient(link.patientId)));
  return patients.filter((p): p is HostPatient => Boolean(p));
}

/** Staff see only charts they may open: a sensitive chart needs the Sensitive Charts permission. */
async function searchCharts(deps: FlowDeps, userId: string, name: string): Promise<HostPatient[]> {
  const mayOpenSensitive = await canOpenSensitive(deps, userId);
  return (await deps.directory.searchPatients({ name, limit: SEARCH_LIMIT })).filter((p) => mayOpenSensitive || !p.isSensitive);
}

async function canOpenSensitive(deps: FlowDeps, userId: string): Promise<boolean> {
  const permissions = await deps.directory.getUserPermissions(userId);
  return deps.interaction.sensitiveChartPermissions.some((p) => permissions.has(p));
}

async function mayOpen(deps: FlowDeps, user: SignedInUser, patientId: string): Promise<boolean> {
  if (user.kind === 'portal') return (await deps.directory.findPatientLinks(user.identity)).some((l) => l.patientId === patientId);
  const patient = await deps.directory.getPatient(patientId);
  return Boolean(patient) && (!patient?.isSensitive || (await canOpenSensitive(deps, user.userId)));
}
