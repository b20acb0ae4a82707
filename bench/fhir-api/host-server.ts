/**
 * Child process: one Express app on the sample EHR's SQLite database (in memory; BENCH_DB=file for a
 * temporary file) that mounts the SAME provider instances twice:
 *
 * - `/smart`: the plugin (`createSmartPlugin({ fhirResources: providers })`), FHIR base `/smart/fhir`;
 * - `/bare`: what a host would write without the plugin: `GET /bare/:type/:id` → `provider.read` and
 *   `GET /bare/:type?…` → `provider.search`, no authentication, restrictions fixed (open by default;
 *   BENCH_BARE=svc-portal passes what the plugin passes for the svc-portal user: no sensitive charts),
 *   answered with `res.json`.
 *
 * Tells its parent where it listens and the demo ids to ask for; answers `cpu` (process.cpuUsage and the
 * number of SQL queries so far) and
 * `profile-start`/`profile-stop` (a V8 CPU profile of just the span between, written to a file).
 * Exits when the parent goes away.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createSmartPlugin, type AccessRestrictions, type ResourceProvider, type SearchCriterion } from '../../src/index.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { createSampleProviders } from '../../samples/host-ehr/fhir/index.ts';
import { listenOnLoopback, shutDownWithParent } from '../support/child-server.ts';
import { openBenchDatabase } from '../support/sample-database.ts';
import type { FhirServerReady, ServerReply, ServerRequest } from './messages.ts';

const PAGE_SIZE = 50;
const database = openBenchDatabase('smart-fhir-bench-');
const { knex } = database;
const app = express();
const { server, origin } = await listenOnLoopback(app);

await prepareHostDatabase(knex);
const providers = createSampleProviders(knex);
const plugin = await createSmartPlugin({
  secret: 'bench-secret-0123456789-0123456789-abcdef', knex, publicUrl: `${origin}/smart`, development: true,
  database: { migrate: true }, fhirResources: providers,
});
await seedDemoClients(plugin, { origin, knex });
app.use('/smart', plugin.router);

// ---- the bare baseline: the same provider instances, no plugin in between ----
const svcPortal = process.env.BENCH_BARE === 'svc-portal';
const restrictions: AccessRestrictions = { patientId: undefined, categories: 'all', sensitiveCharts: !svcPortal, documentTypes: new Set() };
const byType = new Map<string, ResourceProvider>(providers.map((provider) => [provider.resourceType, provider]));
const bare = express.Router();
bare.get('/:type/:id', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const provider = byType.get(String(req.params.type));
    const found = provider ? await provider.read(String(req.params.id), { restrictions }) : undefined;
    if (!found) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.json(found.resource);
  } catch (error) {
    next(error);
  }
});
bare.get('/:type', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const type = String(req.params.type);
    const provider = byType.get(type);
    const criteria = provider ? bareCriteria(req.query) : undefined;
    if (!provider || !criteria) {
      res.status(400).json({ error: 'unsupported search' });
      return;
    }
    const { resources, total } = await provider.search({ criteria, offset: 0, count: PAGE_SIZE, restrictions });
    const entry = resources.map(({ resource }) => ({ fullUrl: `${origin}/bare/${type}/${resource.id}`, resource, search: { mode: 'match' } }));
    res.json({ resourceType: 'Bundle', type: 'searchset', total, entry });
  } catch (error) {
    next(error);
  }
});
app.use('/bare', bare);

/** Only `patient` (id or Patient/id) and `category` (code or system|code), one value each: what the benchmark asks. */
function bareCriteria(query: Request['query']): SearchCriterion[] | undefined {
  const criteria: SearchCriterion[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (typeof raw !== 'string') return undefined;
    if (name === 'patient') {
      const slash = raw.indexOf('/');
      criteria.push({ name, values: [{ kind: 'reference', resourceType: slash < 0 ? undefined : raw.slice(0, slash), id: raw.slice(slash + 1) }] });
    } else if (name === 'category') {
      const bar = raw.indexOf('|');
      criteria.push({ name, values: [{ kind: 'token', system: bar < 0 ? undefined : raw.slice(0, bar), code: raw.slice(bar + 1) }] });
    } else {
      return undefined;
    }
  }
  return criteria;
}

// ---- the demo ids the parent asks for ----
const pat = (await knex('ehr_patients').where({ given_name: 'Pat', family_name: 'Jones' }).first('id')) as { id: number } | undefined;
if (!pat) throw new Error('the sample database has no Pat Jones');
const lab = (await knex('ehr_lab_results').where('patient_id', pat.id).orderBy('id').first('id')) as { id: number } | undefined;
if (!lab) throw new Error('Pat Jones has no lab results');
const labSearch = await byType.get('Observation')!.search({
  criteria: bareCriteria({ patient: String(pat.id), category: 'laboratory' })!, offset: 0, count: PAGE_SIZE, restrictions,
});

// ---- control messages from the parent ----
let queries = 0;
knex.on('query', () => {
  queries++;
});
let profiler: Session | undefined;
process.on('message', (message: ServerRequest) => void answer(message));
async function answer(message: ServerRequest): Promise<void> {
  const reply: ServerReply = { id: message.id };
  try {
    if (message.kind === 'cpu') {
      reply.cpu = process.cpuUsage();
      reply.queries = queries;
    } else if (message.kind === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 250) });
      await profiler.post('Profiler.start');
    } else if (message.kind === 'profile-stop' && profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      await writeFile(message.file, JSON.stringify(profile));
    }
  } catch (error) {
    reply.error = (error as Error).message;
  }
  process.send?.(reply);
}

shutDownWithParent(server, async () => {
  await plugin.close();
  await database.close();
});

const ready: FhirServerReady = {
  ready: true, origin, pluginBase: new URL(plugin.urls.fhirBaseUrl).pathname, bareBase: '/bare', tokenPath: '/smart/auth/token',
  patientId: String(pat.id), labObservationId: `lab-${lab.id}`, labSearchTotal: labSearch.total,
  bareRestrictions: `patientId none, categories ${String(restrictions.categories)}, sensitiveCharts ${restrictions.sensitiveCharts}, `
    + `documentTypes [${[...restrictions.documentTypes].join(', ')}]`,
};
process.send?.(ready);
