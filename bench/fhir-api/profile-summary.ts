/**
 * Reads V8 CPU profiles of the server (written by host-server.ts for one timed run each) and says where the
 * time went, per request: self time by area (plugin src/, sample providers, knex, express, node core, GC ...),
 * the plugin's top self-time frames, and the plugin functions with the most time on their synchronous stack.
 * Native frames (no script: JSON, crypto, SQLite, the HTTP parser) count towards the area of their nearest JS
 * caller and are named with it in the frame lists.
 *
 *   npx tsx bench/fhir-api/profile-summary.ts plugin.cpuprofile [requests] [bare.cpuprofile [requests]]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** µs of server time per answered request. */
export interface ProfileSummary {
  requests: number;
  /** Busy time (everything but idle), µs per request. */
  busy: number;
  byArea: Map<string, number>;
  selfFrames: Array<{ label: string; area: string; us: number }>;
  pluginInclusive: Array<{ label: string; us: number }>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function summariseFile(file: string, requests: number): Promise<ProfileSummary> {
  return summarise(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, requests);
}

export function summarise(profile: CpuProfile, requests: number): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const perRequest = 1 / Math.max(1, requests);

  // Area and label of each node: a native frame takes the area of its nearest JS caller.
  const areaOf = new Map<number, string>();
  const area = (node: ProfileNode): string => {
    const known = areaOf.get(node.id);
    if (known !== undefined) return known;
    const own = ownArea(node.callFrame);
    const up = parent.get(node.id);
    const value = own ?? (up ? area(up) : 'native');
    areaOf.set(node.id, value);
    return value;
  };
  const callerOf = (node: ProfileNode): ProfileNode | undefined => {
    let up = parent.get(node.id);
    while (up && up.callFrame.url === '' && !up.callFrame.functionName.startsWith('(')) up = parent.get(up.id);
    return up;
  };
  const label = (node: ProfileNode): string => {
    const { functionName, url } = node.callFrame;
    if (url !== '' || functionName.startsWith('(')) return frameName(node.callFrame);
    const caller = callerOf(node);
    return `${functionName || '(anonymous)'} [native, from ${caller ? frameName(caller.callFrame) : '?'}]`;
  };
  // The plugin functions (src/) on each node's stack, each once.
  const pluginStack = new Map<number, ReadonlySet<string>>();
  const pluginFrames = (node: ProfileNode): ReadonlySet<string> => {
    const known = pluginStack.get(node.id);
    if (known) return known;
    const up = parent.get(node.id);
    const above = up ? pluginFrames(up) : new Set<string>();
    const value = area(node) === 'plugin (src/)' && node.callFrame.url !== '' ? new Set([...above, frameName(node.callFrame)]) : above;
    pluginStack.set(node.id, value);
    return value;
  };

  const byArea = new Map<string, number>();
  const self = new Map<string, { label: string; area: string; us: number }>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = nodes.get(samples[i] as number);
    if (!node) continue;
    // timeDeltas[i + 1] is the time from sample i to the next one: how long sample i's frame ran.
    const us = (deltas[i + 1] ?? deltas[i] ?? 0) * perRequest;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += us;
    const where = area(node);
    byArea.set(where, (byArea.get(where) ?? 0) + us);
    const name = label(node);
    const entry = self.get(name) ?? { label: name, area: where, us: 0 };
    entry.us += us;
    self.set(name, entry);
    for (const frame of pluginFrames(node)) inclusive.set(frame, (inclusive.get(frame) ?? 0) + us);
  }
  return {
    requests, busy, byArea,
    selfFrames: [...self.values()].sort((a, b) => b.us - a.us),
    pluginInclusive: [...inclusive].map(([name, us]) => ({ label: name, us })).sort((a, b) => b.us - a.us),
  };
}

/** Where a frame's code lives; undefined for native frames (no script), which inherit their caller's. */
function ownArea({ functionName, url }: CallFrame): string | undefined {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return '(program: V8/native, unattributed)';
  if (functionName === '(root)') return '(root)';
  if (url === '') return undefined;
  if (url.startsWith('node:')) return `node core (${url.replace(/^node:(internal\/)?/, '').split('/')[0]})`;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scopeOrName = '', name = ''] = path.slice(modules + 'node_modules/'.length).split('/');
    return `npm ${scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName}`;
  }
  const relative = path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
  if (relative.startsWith('src/')) return 'plugin (src/)';
  if (relative.startsWith('samples/')) return 'sample providers (samples/)';
  if (relative.startsWith('bench/')) return 'bench host (bare routes, IPC)';
  return relative;
}

function frameName({ functionName, url, lineNumber }: CallFrame): string {
  if (url === '') return functionName || '(anonymous)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('node_modules/');
  const short = modules >= 0 ? path.slice(modules + 'node_modules/'.length) : path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
  // tsx serves src/ and samples/ transpiled onto one line: there a line number would say nothing.
  return `${functionName || '(anonymous)'} ${short}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}`;
}

/** Markdown: areas side by side (µs per request), then the plugin profile's top frames. */
export function profileReport(title: string, plugin: ProfileSummary, bare: ProfileSummary | undefined, top = 12): string {
  const diff = (name: string) => (plugin.byArea.get(name) ?? 0) - (bare?.byArea.get(name) ?? 0);
  // Areas that differ by at least 2 µs/req or take 5% of either side; the rest summed in one row.
  const shown = (name: string) => Math.abs(diff(name)) >= 2
    || (plugin.byArea.get(name) ?? 0) >= 0.05 * plugin.busy || (bare !== undefined && (bare.byArea.get(name) ?? 0) >= 0.05 * bare.busy);
  const all = [...new Set([...plugin.byArea.keys(), ...(bare?.byArea.keys() ?? [])])];
  const areas = all.filter(shown).sort((a, b) => diff(b) - diff(a));
  const rest = (summary: ProfileSummary) => all.filter((name) => !shown(name)).reduce((sum, name) => sum + (summary.byArea.get(name) ?? 0), 0);
  const us = (value: number | undefined) => (value ?? 0).toFixed(1);
  const row = (name: string, mine: number, theirs: number | undefined) =>
    `| ${name} | ${us(mine)} |${theirs === undefined ? '' : ` ${us(theirs)} | ${us(mine - theirs)} |`}`;
  const lines = [
    `### ${title}: server CPU per request by where the self time is (µs/req; sampled, profiler on)`, '',
    `| area | plugin |${bare ? ' bare | plugin − bare |' : ''}`, `|---|---:|${bare ? '---:|---:|' : ''}`,
    row('**all busy time**', plugin.busy, bare?.busy),
    ...areas.map((name) => row(name, plugin.byArea.get(name) ?? 0, bare ? bare.byArea.get(name) ?? 0 : undefined)),
    row('everything else', rest(plugin), bare ? rest(bare) : undefined),
    '', `Top self-time frames in plugin code (plugin run, ${plugin.requests} requests):`, '',
    '| frame (src/, or native called from it) | µs/req |', '|---|---:|',
    ...plugin.selfFrames.filter((frame) => frame.area === 'plugin (src/)').slice(0, top).map((frame) => `| ${frame.label} | ${us(frame.us)} |`),
    '', 'Top self-time frames overall (plugin run):', '', '| frame | area | µs/req |', '|---|---|---:|',
    ...plugin.selfFrames.slice(0, top).map((frame) => `| ${frame.label} | ${frame.area} | ${us(frame.us)} |`),
    '', 'Plugin functions with the most time on their synchronous stack (inclusive, excluding time after an await):', '',
    '| function | µs/req |', '|---|---:|',
    ...plugin.pluginInclusive.slice(0, top).map((frame) => `| ${frame.label} | ${us(frame.us)} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [pluginFile, pluginRequests, bareFile, bareRequests] = process.argv.slice(2);
  if (!pluginFile) throw new Error('usage: profile-summary.ts plugin.cpuprofile [requests] [bare.cpuprofile [requests]]');
  const plugin = await summariseFile(pluginFile, Number(pluginRequests ?? 1));
  const bare = bareFile ? await summariseFile(bareFile, Number(bareRequests ?? 1)) : undefined;
  console.log(profileReport(pluginFile, plugin, bare));
}
