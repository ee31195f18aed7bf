/**
 * `npm run bench`: runs every benchmark in one go and prints ONE table, writing every figure to bench/results.json.
 *
 *   - bench/node-path.ts and bench/process.ts (when present), each in its own process, as they are meant to run;
 *     their figures come from bench/results/node.json and process.json;
 *   - bench/controller-waits.ts: the controller's waits at D = 0.5, 2, 10 s, N = 1, 10, 100, reads with 10,000
 *     unrelated volumes, ListVolumes, and start-up/RSS of the controller plugin, for this driver and, when it has been
 *     built (scripts/referees/build.sh --bench, which `npm run bench` runs first), the upstream cinder-csi-plugin
 *     against the same emulator, with ours/upstream ratios for every figure both produce.
 * Needs root (the emulator attaches volumes as loop devices; the node bench mounts).
 *
 *   node -r ./driver/test/helpers/ts-register.js bench/run.ts [--quick] [--only=controller|node|process]
 *
 * With --only, the parts not run keep their figures from the existing bench/results.json; `runs` in it says when
 * each part was measured.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchController, type ControllerResults } from './controller-waits';

const HERE = __dirname;
const REGISTER = path.resolve(HERE, '../driver/test/helpers/ts-register.js');
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

interface Row {
  readonly figure: string;
  readonly ours: number | undefined;
  readonly upstream?: number;
  readonly target?: string;
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    at: new Date().toISOString(),
  };
}

function runSeparately(script: string): void {
  const file = path.join(HERE, script);
  if (!existsSync(file)) {
    console.log(`(${script} not present: skipped)`);
    return;
  }
  console.log(`== ${script}`);
  const res = spawnSync(process.execPath, ['-r', REGISTER, file], { stdio: 'inherit', cwd: path.resolve(HERE, '..') });
  if (res.status !== 0) console.log(`(${script} exited with ${res.status ?? res.signal}: its figures may be missing or stale)`);
}

function readJson(name: string): Record<string, unknown> | undefined {
  const file = path.join(HERE, 'results', name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

/** Every numeric leaf of E1's result files as a row (a {median, p99, n} summary as two rows). */
function leafRows(prefix: string, value: unknown, rows: Row[]): void {
  if (typeof value === 'number') {
    rows.push({ figure: prefix, ours: value });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (typeof o.median === 'number' && typeof o.p99 === 'number') {
    rows.push({ figure: `${prefix} median`, ours: o.median });
    rows.push({ figure: `${prefix} p99`, ours: o.p99 });
    return;
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'machine' || k === 'n') continue;
    leafRows(prefix ? `${prefix} ${k}` : k, v, rows);
  }
}

const TARGETS: Record<string, string> = {
  'wall/D median': '<= 1.05 (N=1, 10)',
  'wall/D p99': '<= 1.15 (N=1, 10)',
  'wall/emulator median': '<= 1.05 (N=100)',
};

function controllerRows(c: ControllerResults): Row[] {
  const rows: Row[] = [];
  const ours = c.waits.ours ?? {};
  const up = c.waits.upstream ?? {};
  for (const [d, byN] of Object.entries(ours)) {
    for (const [n, byOp] of Object.entries(byN)) {
      for (const [op, f] of Object.entries(byOp)) {
        const u = up[d]?.[n]?.[op as keyof typeof byOp];
        const label = `${op.padEnd(8)} ${d.padEnd(7)} ${n.padEnd(5)}`;
        const readsTarget = n === 'N=1' ? '<= 3' : n === 'N=100' ? '<= 1.2' : undefined;
        rows.push({ figure: `${label} wall/D median`, ours: f.wallOverD.median, upstream: u?.wallOverD.median, target: n !== 'N=100' ? TARGETS['wall/D median'] : undefined });
        rows.push({ figure: `${label} wall/D p99`, ours: f.wallOverD.p99, upstream: u?.wallOverD.p99, target: n !== 'N=100' ? TARGETS['wall/D p99'] : undefined });
        rows.push({ figure: `${label} wall/emulator median`, ours: f.wallOverEmulator.median, upstream: u?.wallOverEmulator.median, target: n === 'N=100' ? TARGETS['wall/emulator median'] : undefined });
        rows.push({ figure: `${label} reads/op`, ours: f.readsPerOp, upstream: u?.readsPerOp, target: readsTarget });
      }
    }
  }
  for (const [unrelated, byN] of Object.entries(c.readsWithUnrelated.ours ?? {})) {
    for (const [n, v] of Object.entries(byN)) {
      rows.push({
        figure: `create reads/op, ${unrelated} volumes, D=500 ${n}`,
        ours: v,
        upstream: c.readsWithUnrelated.upstream?.[unrelated]?.[n],
        target: n === 'N=1' ? '<= 3' : '<= 1.2',
      });
    }
  }
  const lo = c.listVolumes.ours;
  const lu = c.listVolumes.upstream;
  if (lo) {
    rows.push({ figure: `ListVolumes over ${lo.volumes} volumes: wall ms`, ours: lo.wallMs, upstream: lu?.wallMs });
    rows.push({ figure: 'ListVolumes: Cinder pages requested', ours: lo.cinderPages, upstream: lu?.cinderPages });
    rows.push({ figure: 'ListVolumes: empty CSI pages', ours: lo.emptyCsiPages, upstream: lu?.emptyCsiPages, target: '0' });
    rows.push({ figure: 'ListVolumes: entries', ours: lo.entries, upstream: lu?.entries });
  }
  const po = c.process.ours;
  const pu = c.process.upstream;
  if (po) {
    rows.push({ figure: 'controller start-up to Probe ready ms median (bundle, image flags)', ours: po.startupMs.median, upstream: pu?.startupMs.median });
    rows.push({ figure: 'controller RSS 1 s after start MiB median', ours: po.idleRssMiB.median, upstream: pu?.idleRssMiB.median });
    rows.push({ figure: 'controller peak RSS over a D run MiB median', ours: po.peakRssMiB.median, upstream: pu?.peakRssMiB.median });
  }
  return rows;
}

function fmt(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '-';
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) >= 100 ? 0 : 3);
}

function printTable(rows: readonly Row[], withUpstream: boolean): string {
  const header = withUpstream ? ['figure', 'ours', 'upstream', 'ours/upstream', 'target'] : ['figure', 'ours', 'target'];
  const body = rows.map((r) => {
    const ratio = r.ours !== undefined && r.upstream !== undefined && r.upstream !== 0 ? r.ours / r.upstream : undefined;
    return withUpstream
      ? [r.figure, fmt(r.ours), fmt(r.upstream), ratio === undefined ? '-' : ratio.toFixed(2), r.target ?? '']
      : [r.figure, fmt(r.ours), r.target ?? ''];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
  console.log(out);
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  if (ONLY === undefined || ONLY === 'node') runSeparately('node-path.ts');
  if (ONLY === undefined || ONLY === 'process') runSeparately('process.ts');
  let controller: ControllerResults | undefined;
  if (ONLY === undefined || ONLY === 'controller') {
    console.log('== controller-waits.ts');
    controller = await benchController();
  }
  // --only=<part>: the other parts keep their figures from the last bench/results.json (each part says when it ran).
  const previous = ONLY !== undefined && existsSync(path.join(HERE, 'results.json'))
    ? (JSON.parse(readFileSync(path.join(HERE, 'results.json'), 'utf8')) as Record<string, unknown>)
    : undefined;
  const previousRuns = (previous?.runs ?? {}) as Record<string, string>;
  const previousAt = (previous?.machine as Record<string, string> | undefined)?.at;
  const now = new Date().toISOString();
  const runs: Record<string, string | undefined> = {};
  const part = <T>(name: string, fresh: T | undefined, kept: unknown): T | undefined => {
    if (fresh !== undefined) {
      runs[name] = now;
      return fresh;
    }
    if (kept === undefined || kept === null) return undefined;
    runs[name] = previousRuns[name] ?? previousAt;
    return kept as T;
  };
  controller = part('controller', controller, previous?.controller);
  const rows: Row[] = [];
  if (controller) rows.push(...controllerRows(controller));
  const node = part('node', ONLY === undefined || ONLY === 'node' ? readJson('node.json') : undefined, previous?.node);
  const proc = part('process', ONLY === undefined || ONLY === 'process' ? readJson('process.json') : undefined, previous?.process);
  if (node) leafRows('node', node.node ?? node, rows);
  if (proc) leafRows('process', proc.process ?? proc, rows);
  const withUpstream = controller?.plugins.upstream !== undefined;
  console.log(`\n== results (${controller ? Object.values(controller.plugins).join(' vs ') : 'no controller run'})`);
  const table = printTable(rows, withUpstream);
  const results = {
    machine: machine(),
    command: ONLY === undefined ? 'npm run bench' : `npm run bench -- --only=${ONLY}`,
    durationS: Math.round((Date.now() - started) / 1000),
    runs,
    plugins: controller?.plugins ?? {},
    controller: controller ?? null,
    node: node ?? null,
    process: proc ?? null,
    table: rows,
  };
  await fs.writeFile(path.join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await fs.writeFile(path.join(HERE, 'results', 'table.md'), `${table}\n`);
  console.log(`\nwritten: bench/results.json, bench/results/table.md (${results.durationS} s)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
