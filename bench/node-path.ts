/**
 * Benchmark: the node fast path, against the kernel's own work.
 *
 *   - NodeStageVolume + NodePublishVolume of a fresh (blank) 1 GiB volume, over the CSI socket, against the floor:
 *     a bare `mkfs.<fs>` + `mount` of an equally fresh device (ext4 and xfs; medians of interleaved rounds);
 *   - where the driver's time goes: each Mounter step timed by a wrapper, and the child processes it starts counted
 *     (bench only; production logs nothing);
 *   - NodeGetVolumeStats latency (median, p99) for a mounted and a raw block volume.
 *
 * Runs as root on loop devices (sparse files in a temp dir). The driver's node service runs in this process,
 * served over a unix socket like in production; BENCH_DRIVER_REF=<commit> measures the driver as it was at that
 * commit. Figures are printed and written to bench/results/node.json, never asserted. Runnable alone:
 *
 *   node -r ./driver/test/helpers/ts-register.js bench/node-path.ts
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type * as ServerModule from '../driver/src/grpc/server';
import type * as IdentityModule from '../driver/src/identity/identity-service';
import type * as LogModule from '../driver/src/log';
import type * as LinuxMounterModule from '../driver/src/mounter/linux-mounter';
import type { Mounter } from '../driver/src/mounter/mounter';
import type * as NodeConfigModule from '../driver/src/node/node-config';
import type * as NodeServiceModule from '../driver/src/node/node-service';
import { connectCsi } from '../driver/test/helpers/csi-client';

const run = promisify(execFile);
const GiB = 1024 ** 3;
const ROUNDS = Number(process.env.BENCH_NODE_ROUNDS ?? 7);
const STATS_CALLS = Number(process.env.BENCH_STATS_CALLS ?? 300);
const FS_TYPES = ['ext4', 'xfs'] as const;

export interface Summary {
  readonly median: number;
  readonly p99: number;
  readonly n: number;
}

export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { median: round(at(0.5)), p99: round(at(0.99)), n: sorted.length };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Counts the child processes the driver starts while `recording.on` (tool name → runs): on a loaded machine a
 * process start costs as much as the work of a small tool, so the count is the machine-independent figure.
 */
function countToolRuns(runs: Map<string, number>, recording: { on: boolean }): void {
  // runTool calls execFile through the module object, so replacing the export is seen by the driver.
  const cp = require('node:child_process') as { execFile: (...args: unknown[]) => unknown };
  const original = cp.execFile;
  cp.execFile = (...args: unknown[]) => {
    if (recording.on) runs.set(String(args[0]), (runs.get(String(args[0])) ?? 0) + 1);
    return original(...args);
  };
}

/** Wraps every Mounter method with a timer: where a stage or publish spends its time. */
function timedMounter(inner: Mounter, steps: Map<string, number[]>, recording: { on: boolean }): Mounter {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          if (recording.on) steps.set(String(prop), [...(steps.get(String(prop)) ?? []), performance.now() - started]);
        }
      };
    },
  });
}

class LoopDevices {
  private readonly attached: string[] = [];
  constructor(private readonly dir: string) {}

  /** A fresh, blank, sparse 1 GiB loop device. */
  async fresh(): Promise<string> {
    const file = path.join(this.dir, `disk-${randomUUID()}.img`);
    await fs.writeFile(file, '');
    await fs.truncate(file, GiB);
    const { stdout } = await run('losetup', ['--find', '--show', file]);
    const device = stdout.trim();
    this.attached.push(device);
    return device;
  }

  async release(device: string): Promise<void> {
    const { stdout } = await run('losetup', ['--noheadings', '--output', 'BACK-FILE', device]);
    await run('losetup', ['--detach', device]);
    this.attached.splice(this.attached.indexOf(device), 1);
    await fs.rm(stdout.trim(), { force: true });
  }

  async releaseAll(): Promise<void> {
    for (const device of [...this.attached]) await this.release(device).catch(() => undefined);
  }
}

async function mkfsArgs(fsType: string, device: string): Promise<[string, string[]]> {
  return fsType === 'xfs' ? ['mkfs.xfs', ['-q', device]] : [`mkfs.${fsType}`, ['-q', '-F', device]];
}

const DRIVER_DIR = path.resolve(__dirname, '../driver');

/**
 * The driver's node-side modules, from the working tree or, with BENCH_DRIVER_REF=<commit>, as they were at that
 * commit (extracted next to links to the driver's node_modules and proto), for before/after figures in one run.
 */
async function driverModules(dir: string): Promise<{
  server: typeof ServerModule;
  identity: typeof IdentityModule;
  log: typeof LogModule;
  mounter: typeof LinuxMounterModule;
  nodeConfig: typeof NodeConfigModule;
  nodeService: typeof NodeServiceModule;
}> {
  let src = path.join(DRIVER_DIR, 'src');
  const ref = process.env.BENCH_DRIVER_REF;
  if (ref) {
    const root = path.join(dir, 'driver-at-ref');
    await fs.mkdir(root);
    await run('sh', ['-c', `git -C "${DRIVER_DIR}" archive "${ref}" src | tar -x -C "${root}"`]);
    await fs.symlink(path.join(DRIVER_DIR, 'node_modules'), path.join(root, 'node_modules'));
    await fs.symlink(path.join(DRIVER_DIR, 'proto'), path.join(root, 'proto'));
    src = path.join(root, 'src');
  }
  const load = <T>(module: string): T => require(path.join(src, module)) as T;
  return {
    server: load('grpc/server'),
    identity: load('identity/identity-service'),
    log: load('log'),
    mounter: load('mounter/linux-mounter'),
    nodeConfig: load('node/node-config'),
    nodeService: load('node/node-service'),
  };
}

export async function benchNodePath(): Promise<Record<string, unknown>> {
  if (process.getuid?.() !== 0) throw new Error('bench/node-path.ts needs root (loop devices, mount)');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-bench-node-'));
  const { server: { startCsiServer }, identity: { CinderIdentityService }, log: { createLogger }, mounter: { LinuxMounter }, nodeConfig: { resolveNodeServiceConfig }, nodeService: { CinderNodeService } } =
    await driverModules(dir);
  const byIdDir = path.join(dir, 'by-id');
  const kubeletDir = path.join(dir, 'kubelet');
  await fs.mkdir(byIdDir, { recursive: true });
  const loops = new LoopDevices(dir);
  const steps = new Map<string, number[]>();
  const recording = { on: false };
  const toolRuns = new Map<string, number>();
  countToolRuns(toolRuns, recording);
  const silent = new Writable({ write: (_c, _e, cb) => cb() });
  const logger = createLogger({ verbosity: 0, format: 'json', destination: silent });
  const node = new CinderNodeService(
    resolveNodeServiceConfig({ kubeletDir, byIdDir, nodeIdOverride: 'bench-node', availabilityZoneOverride: 'nova' }),
    timedMounter(new LinuxMounter(), steps, recording),
  );
  const socket = path.join(dir, 'csi.sock');
  const server = await startCsiServer({
    endpoint: `unix://${socket}`,
    identity: new CinderIdentityService({ driverName: 'cinder.csi.openstack.org', vendorVersion: 'bench', withTopology: true }),
    node,
    logger,
  });
  const csi = await connectCsi(socket);
  const results: Record<string, unknown> = { driverRef: process.env.BENCH_DRIVER_REF ?? 'working tree' };
  try {
    for (const fsType of FS_TYPES) {
      const floor: number[] = [];
      const driver: number[] = [];
      const stage: number[] = [];
      steps.clear();
      toolRuns.clear();
      for (let i = 0; i < ROUNDS; i++) {
        // The floor: what the kernel and the filesystem tools cost, with nothing around them.
        {
          const device = await loops.fresh();
          const target = path.join(dir, `floor-${i}`);
          await fs.mkdir(target);
          const started = performance.now();
          const [tool, args] = await mkfsArgs(fsType, device);
          await run(tool, args);
          await run('mount', ['-t', fsType, device, target]);
          floor.push(performance.now() - started);
          await run('umount', [target]);
          await fs.rmdir(target);
          await loops.release(device);
        }
        // The driver: stage + publish of an equally fresh device found through a by-id link.
        {
          const device = await loops.fresh();
          const volumeId = randomUUID();
          await fs.symlink(device, path.join(byIdDir, `virtio-${volumeId.slice(0, 20)}`));
          const stagingPath = path.join(kubeletDir, 'plugins/kubernetes.io/csi/cinder.csi.openstack.org', volumeId, 'globalmount');
          const targetPath = path.join(kubeletDir, 'pods', randomUUID(), 'volumes/kubernetes.io~csi', volumeId, 'mount');
          const volumeCapability = { mount: { fsType }, accessMode: { mode: 'SINGLE_NODE_WRITER' as const } };
          recording.on = true;
          const started = performance.now();
          await csi.node.nodeStageVolume({ volumeId, stagingTargetPath: stagingPath, volumeCapability });
          const staged = performance.now();
          await csi.node.nodePublishVolume({ volumeId, stagingTargetPath: stagingPath, targetPath, volumeCapability });
          driver.push(performance.now() - started);
          recording.on = false;
          stage.push(staged - started);
          if (fsType === 'ext4' && i === ROUNDS - 1) {
            results.stats = await benchStats(csi, volumeId, targetPath);
          }
          await csi.node.nodeUnpublishVolume({ volumeId, targetPath });
          await csi.node.nodeUnstageVolume({ volumeId, stagingTargetPath: stagingPath });
          await fs.unlink(path.join(byIdDir, `virtio-${volumeId.slice(0, 20)}`));
          await loops.release(device);
        }
      }
      const f = summarise(floor);
      const d = summarise(driver);
      results[fsType] = {
        floorMs: f,
        stagePublishMs: d,
        stageMs: summarise(stage),
        ratio: Math.round((d.median / f.median) * 100) / 100,
        toolRunsPerStagePublish: Object.fromEntries([...toolRuns].map(([tool, n]) => [tool, n / ROUNDS])),
        floorToolRuns: 2,
        steps: Object.fromEntries([...steps].map(([name, times]) => [name, { perOp: round(times.length / ROUNDS), ...summarise(times) }])),
      };
    }
    results.blockStats = await benchBlockStats(csi, loops, byIdDir, kubeletDir);
  } finally {
    csi.close();
    await server.close({ graceMs: 0 });
    await loops.releaseAll();
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  return results;
}

type Csi = Awaited<ReturnType<typeof connectCsi>>;

async function benchStats(csi: Csi, volumeId: string, volumePath: string): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i < STATS_CALLS; i++) {
    const started = performance.now();
    await csi.node.nodeGetVolumeStats({ volumeId, volumePath });
    times.push(performance.now() - started);
  }
  return summarise(times.slice(10)); // the first calls warm up the JIT and the channel
}

async function benchBlockStats(csi: Csi, loops: LoopDevices, byIdDir: string, kubeletDir: string): Promise<Summary> {
  const device = await loops.fresh();
  const volumeId = randomUUID();
  const link = path.join(byIdDir, `virtio-${volumeId.slice(0, 20)}`);
  await fs.symlink(device, link);
  const stagingPath = path.join(kubeletDir, 'plugins/kubernetes.io/csi/volumeDevices/staging', volumeId);
  const targetPath = path.join(kubeletDir, 'plugins/kubernetes.io/csi/volumeDevices/publish', volumeId, randomUUID());
  const volumeCapability = { block: {}, accessMode: { mode: 'SINGLE_NODE_WRITER' as const } };
  await csi.node.nodeStageVolume({ volumeId, stagingTargetPath: stagingPath, volumeCapability });
  await csi.node.nodePublishVolume({ volumeId, stagingTargetPath: stagingPath, targetPath, volumeCapability });
  try {
    return await benchStats(csi, volumeId, targetPath);
  } finally {
    await csi.node.nodeUnpublishVolume({ volumeId, targetPath });
    await csi.node.nodeUnstageVolume({ volumeId, stagingTargetPath: stagingPath });
    await fs.unlink(link);
    await loops.release(device);
  }
}

export function printNodeTable(results: Record<string, unknown>): void {
  const rows: string[][] = [['figure', 'median', 'p99', 'note']];
  for (const fsType of FS_TYPES) {
    const r = results[fsType] as { floorMs: Summary; stagePublishMs: Summary; stageMs: Summary; ratio: number };
    rows.push([`${fsType}: mkfs+mount floor (ms)`, String(r.floorMs.median), String(r.floorMs.p99), `n=${r.floorMs.n}`]);
    rows.push([`${fsType}: stage+publish (ms)`, String(r.stagePublishMs.median), String(r.stagePublishMs.p99), `ratio ${r.ratio} (target <= 1.5)`]);
  }
  const stats = results.stats as Summary;
  const block = results.blockStats as Summary;
  rows.push(['NodeGetVolumeStats, mount (ms)', String(stats.median), String(stats.p99), 'target <= 1 median']);
  rows.push(['NodeGetVolumeStats, block (ms)', String(block.median), String(block.p99), '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  for (const fsType of FS_TYPES) {
    const r = results[fsType] as { steps: Record<string, Summary & { perOp: number }>; toolRunsPerStagePublish: Record<string, number> };
    const parts = Object.entries(r.steps).map(([name, s]) => `${name} x${s.perOp} ${s.median} ms`);
    console.log(`${fsType} steps (median each): ${parts.join(', ')}`);
    const runs = Object.entries(r.toolRunsPerStagePublish);
    const total = runs.reduce((sum, [, n]) => sum + n, 0);
    console.log(`${fsType} child processes per stage+publish: ${total} (${runs.map(([t, n]) => `${t} x${n}`).join(', ')}); floor: 2 (mkfs, mount)`);
  }
}

async function main(): Promise<void> {
  const results = await benchNodePath();
  printNodeTable(results);
  const out = path.resolve(__dirname, 'results/node.json');
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, JSON.stringify({ machine: machine(), node: results }, null, 2) + '\n');
  console.log(`written to ${path.relative(process.cwd(), out)}`);
}

export function machine(): Record<string, unknown> {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / GiB), kernel: os.release(), node: process.version, at: new Date().toISOString() };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
