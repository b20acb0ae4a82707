import express, { type Request, type Response, type Router } from 'express';
import type { HostPatient } from '../../host/host-directory.ts';
import { asyncRoute } from '../../http/async-route.ts';
import type { SignedInUser } from '../../http/plugin-session.ts';
import { mayOpenChart, mayOpenSensitiveCharts } from '../interaction.ts';
import { patientPickerPage } from '../pages/index.ts';
import { resumeFlow } from './authorize-endpoint.ts';
import type { FlowInfo } from '../transaction-store.ts';
import type { FlowDeps } from './flow-deps.ts';
import {
  csrfMatches, csrfToken, frontChannelErrors, loadSignedInUser, loadTransaction, pageHeaders, redirectOrigin,
  requireFlowUser, requireStep, requireUser, signedIn, transactionOf,
} from './front-channel.ts';

const SEARCH_LIMIT = 25;

/**
 * The patient picker of a standalone `launch/patient` request (SMART App Launch 2.2): a representative
 * chooses among the charts linked to them; staff search by name among the charts they may open.
 */
export function patientPickerStep(deps: FlowDeps, assetsPath: string): Router {
  const router = express.Router();
  const headers = pageHeaders((req) => [redirectOrigin(transactionOf(req).redirectURI)]);
  const common = [
    deps.session, loadTransaction(deps.store), headers, requireStep(deps.authPath, 'pick-patient'),
    loadSignedInUser(deps.directory, deps.currentHostUser), requireUser(deps), requireFlowUser(),
  ];
  const render = async (req: Request, res: Response, status: number, error?: string) => {
    const txn = transactionOf(req);
    const user = signedIn(req) as SignedInUser;
    const query = typeof req.query.name === 'string' ? req.query.name.trim().slice(0, 100) : '';
    const patients = user.kind === 'portal' ? await linkedCharts(deps, user.identity) : query ? await searchCharts(deps, user.userId, query) : [];
    await rememberOffered(deps, req, patients.map((p) => p.patientId));
    res.status(status).send(patientPickerPage({ assetsPath, clientName: txn.client.name }, {
      action: `${deps.authPath}/pick-patient`, transactionId: txn.transactionID, csrfToken: csrfToken(deps.csrfKey, req, txn.transactionID),
      patients: patients.map((p) => ({ id: p.patientId, name: p.displayName, birthDate: p.birthDate })),
      ...(user.kind === 'staff' ? { search: { query, searchAction: `${deps.authPath}/pick-patient` } } : {}),
      ...(error ? { error } : {}),
    }));
  };
  router.get('/pick-patient', ...common, asyncRoute((req, res) => render(req, res, 200)), frontChannelErrors(deps.logger, assetsPath));
  router.post('/pick-patient', express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }), ...common,
    asyncRoute(async (req, res, next) => {
      const txn = transactionOf(req);
      if (!csrfMatches(deps.csrfKey, req, txn.transactionID)) return render(req, res, 403, 'The form expired. Please choose again.');
      const chosen = typeof req.body?.patient === 'string' ? req.body.patient : '';
      // Only a chart this flow listed, and the user may still open: a forged id never reaches the directory.
      const offered = txn.info?.offered ?? [];
      if (!offered.includes(chosen) || !(await mayOpen(deps, signedIn(req) as SignedInUser, chosen))) {
        return render(req, res, 400, 'Choose one of the patients listed.');
      }
      await saveInfo(deps, req, { ...txn.info, patientId: chosen });
      next();
    }),
    ...resumeFlow(deps), frontChannelErrors(deps.logger, assetsPath));
  return router;
}

const MAX_OFFERED = 100;

async function rememberOffered(deps: FlowDeps, req: Request, ids: string[]): Promise<void> {
  const txn = transactionOf(req);
  const before = txn.info?.offered ?? [];
  if (ids.every((id) => before.includes(id))) return;
  await saveInfo(deps, req, { ...txn.info, offered: [...new Set([...ids, ...before])].slice(0, MAX_OFFERED) });
}

function saveInfo(deps: FlowDeps, req: Request, info: FlowInfo): Promise<void> {
  const txn = transactionOf(req);
  txn.info = info;
  return new Promise<void>((resolve, reject) => deps.store.update(req, txn.transactionID, txn as never, (e) => (e ? reject(e) : resolve())));
}


async function linkedCharts(deps: FlowDeps, identity: string): Promise<HostPatient[]> {
  const links = await deps.directory.findPatientLinks(identity);
  const patients = await Promise.all(links.map((link) => deps.directory.getPatient(link.patientId)));
  return patients.filter((p): p is HostPatient => Boolean(p));
}

/** Staff see only charts they may open: a sensitive chart needs the Sensitive Charts permission. */
async function searchCharts(deps: FlowDeps, userId: string, name: string): Promise<HostPatient[]> {
  const mayOpenSensitive = await mayOpenSensitiveCharts(deps.interaction, userId);
  return (await deps.directory.searchPatients({ name, limit: SEARCH_LIMIT })).filter((p) => mayOpenSensitive || !p.isSensitive);
}

async function mayOpen(deps: FlowDeps, user: SignedInUser, patientId: string): Promise<boolean> {
  if (user.kind === 'portal') return (await deps.directory.findPatientLinks(user.identity)).some((l) => l.patientId === patientId);
  return mayOpenChart(deps.interaction, user.userId, patientId);
}
