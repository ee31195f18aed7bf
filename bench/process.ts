/**
 * Benchmark: what the driver process costs, as production runs it (the script driver/Dockerfile's ENTRYPOINT runs:
 * the esbuild bundle, `node bundle/main.js`, or at older commits the compiled tree, `node build/src/main.js`).
 *
 *   - start-up: spawn to the first Probe that answers ready, for the node role (no cloud) and the controller role
 *     (ready needs one authenticated Cinder read, answered by the emulator); median of several starts;
 *   - memory: RSS of the idle node role; for the controller role RSS idle, peak during a burst of 100 concurrent
 *     CreateVolume calls, and 30 s after; once with the image's node flags and once with V8's young generation
 *     capped (--max-semi-space-size=1), which is what decides whether memory returns after a burst.
 *
 * The driver runs with the node flags of driver/Dockerfile's ENTRYPOINT (and NODE_OPTIONS) and, as the chart runs
 * it, with --http-endpoint (prom-client and its process metrics loaded). When the ENTRYPOINT
 * runs a bundle, the sources are bundled by driver/scripts/bundle.js into a temp dir as the image build does;
 * otherwise they are transpiled (types stripped, like tsc) into a temp dir that links the driver's node_modules
 * and proto. Either way the measured process loads what the image loads. Needs root only because the
 * emulator's hypervisor side does. Figures are printed and written to bench/results/process.json, never asserted.
 * Runnable alone:
 *
 *   node -r ./driver/test/helpers/ts-register.js bench/process.ts
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../driver/test-support/emulator';
import { connectCsi } from '../driver/test/helpers/csi-client';
import { machine, summarise, type Summary } from './node-path';

const DRIVER_DIR = path.resolve(__dirname, '../driver');
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const BURST = 100;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 30_000);
const MiB = 1024 * 1024;

/**
 * The node flags the image starts the driver with: those between "node" and the script in driver/Dockerfile's
 * ENTRYPOINT, and NODE_OPTIONS when an ENV line sets it. The bench runs the driver the way the image does.
 */
export function imageNodeFlags(dockerfile: string): string[] {
  const flags: string[] = [];
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (entrypoint) {
    const argv = JSON.parse(entrypoint[1]) as string[];
    const script = argv.findIndex((a) => a.endsWith('.js'));
    if (argv[0] === 'node' && script > 0) flags.push(...argv.slice(1, script));
  }
  const options = /^ENV\s.*\bNODE_OPTIONS=("([^"]*)"|(\S+))/m.exec(dockerfile);
  if (options) flags.push(...(options[2] ?? options[3]).split(/\s+/).filter((f) => f !== ''));
  return flags;
}

/** The script driver/Dockerfile's ENTRYPOINT runs (e.g. /opt/cinder-csi/bundle/main.js), if it runs node. */
export function imageEntrypointScript(dockerfile: string): string | undefined {
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!entrypoint) return undefined;
  const argv = JSON.parse(entrypoint[1]) as string[];
  return argv[0] === 'node' ? argv.find((a) => a.endsWith('.js')) : undefined;
}

/**
 * Lays the driver out in <dir> as the image does: the bundle (<dir>/bundle/main.js, by driver/scripts/bundle.js,
 * with the code cache for `nodeFlags`) when `bundled`, else driver/src transpiled into <dir>/build/src the way tsc
 * lays it out, with proto and node_modules linked. Returns the script to run.
 */
async function buildDriver(dir: string, bundled: boolean, nodeFlags: readonly string[]): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require(path.join(DRIVER_DIR, 'node_modules/typescript')) as typeof import('typescript');
  const walk = async (from: string, to: string): Promise<void> => {
    await fs.mkdir(to, { recursive: true });
    for (const entry of await fs.readdir(from, { withFileTypes: true })) {
      const src = path.join(from, entry.name);
      if (entry.isDirectory()) {
        await walk(src, path.join(to, entry.name));
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const out = ts.transpileModule(await fs.readFile(src, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
          fileName: src,
        });
        await fs.writeFile(path.join(to, entry.name.replace(/\.ts$/, '.js')), out.outputText);
      } else if (!entry.name.endsWith('.d.ts')) {
        await fs.copyFile(src, path.join(to, entry.name));
      }
    }
  };
  // BENCH_DRIVER_REF=<commit>: measure the driver as it was at that commit (before/after comparisons in one run).
  let src = path.join(DRIVER_DIR, 'src');
  const ref = process.env.BENCH_DRIVER_REF;
  if (ref) {
    src = path.join(dir, 'ref');
    await fs.mkdir(src);
    await promisify(execFile)('sh', ['-c', `git -C "${DRIVER_DIR}" archive "${ref}" src | tar -x -C "${src}"`]);
    src = path.join(src, 'src');
  }
  await fs.copyFile(path.join(DRIVER_DIR, 'package.json'), path.join(dir, 'package.json'));
  if (bundled) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bundleDriver } = require(path.join(DRIVER_DIR, 'scripts/bundle.js')) as {
      bundleDriver(options: { srcDir: string; outDir: string; codeCacheNodeFlags: readonly string[] }): Promise<{ bundle: string }>;
    };
    // With V8's code cache for the node flags the driver runs with, as the image build makes it.
    return (await bundleDriver({ srcDir: src, outDir: path.join(dir, 'bundle'), codeCacheNodeFlags: nodeFlags })).bundle;
  }
  await walk(src, path.join(dir, 'build/src'));
  await fs.symlink(path.join(DRIVER_DIR, 'node_modules'), path.join(dir, 'node_modules'));
  await fs.symlink(path.join(DRIVER_DIR, 'proto'), path.join(dir, 'proto'));
  return path.join(dir, 'build/src/main.js');
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return Math.round((kb * 1024 * 10) / MiB) / 10;
}

interface Started {
  readonly child: ChildProcess;
  readonly csi: Awaited<ReturnType<typeof connectCsi>>;
  readonly startupMs: number;
  /** CPU time (user + system) the driver used until then: what start-up costs, however loaded the machine is. */
  readonly startupCpuMs: number;
}

function cpuMs(pid: number): number {
  // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, counted after the command's closing paren.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Spawns the driver and polls Probe until it answers ready; the time includes node's own start. */
async function startDriver(main: string, args: readonly string[], socket: string, nodeFlags: readonly string[]): Promise<Started> {
  const started = performance.now();
  // BENCH_DRIVER_NODE_ARGS: extra node flags for the driver process (e.g. a -r preload when looking into memory).
  const extra = (process.env.BENCH_DRIVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeFlags, ...extra, main, `--endpoint=unix://${socket}`, '--v=0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.BENCH_DRIVER_STDERR) process.stderr.write(chunk);
  });
  // A fresh channel per attempt: grpc-js backs off for a second or more after a refused connection (socket bound
  // but not yet listening), which would be measured as start-up time.
  let csi: Awaited<ReturnType<typeof connectCsi>> | undefined;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`driver exited ${child.exitCode}: ${stderr}`);
    if (performance.now() - started > 30_000) throw new Error(`no ready Probe within 30 s: ${stderr}`);
    if (await accepts(socket)) {
      csi = await connectCsi(socket);
      try {
        const res = await csi.identity.probe({}, { deadlineMs: 1000 });
        if (res.ready?.value !== false) break;
      } catch {
        // not serving yet
      }
      csi.close();
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return { child, csi: csi!, startupMs: performance.now() - started, startupCpuMs: cpuMs(child.pid!) };
}

function accepts(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.createConnection(socket);
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

async function stop(s: Started): Promise<void> {
  s.csi.close();
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

export async function benchProcess(): Promise<Record<string, unknown>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-bench-process-'));
  const ref = process.env.BENCH_DRIVER_REF;
  const dockerfile = ref
    ? (await promisify(execFile)('git', ['-C', DRIVER_DIR, 'show', `${ref}:./Dockerfile`])).stdout
    : await fs.readFile(path.join(DRIVER_DIR, 'Dockerfile'), 'utf8');
  const bundled = imageEntrypointScript(dockerfile)?.includes('/bundle/') ?? false;
  const flags = imageNodeFlags(dockerfile);
  const main = await buildDriver(dir, bundled, flags);
  const emu = await startEmulator({ transitionDelayMs: 200, quotas: { volumes: 10000, gigabytes: 100000 } });
  const conf = path.join(dir, 'cloud.conf');
  await fs.writeFile(conf, emu.cloudConf(), { mode: 0o600 });
  // Each with --http-endpoint (/metrics and /healthz on a free port), as the chart runs both plugins.
  const metrics = '--http-endpoint=127.0.0.1:0';
  const roles: Record<string, string[]> = {
    node: ['--provide-controller-service=false', '--node-id=bench-node', '--availability-zone=nova', `--kubelet-dir=${dir}/kubelet`, metrics],
    controller: ['--provide-node-service=false', `--cloud-config=${conf}`, metrics],
  };
  const results: Record<string, unknown> = { imageNodeFlags: flags, driverRef: ref ?? 'working tree', bundled };
  try {
    const startup: Record<string, Summary> = {};
    const startupCpu: Record<string, Summary> = {};
    for (const [role, args] of Object.entries(roles)) {
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < STARTS; i++) {
        const s = await startDriver(main, args, path.join(dir, `${role}-${i}.sock`), flags);
        times.push(s.startupMs);
        cpu.push(s.startupCpuMs);
        if (role === 'node' && i === STARTS - 1) {
          await new Promise((r) => setTimeout(r, 2000));
          results.nodeIdleRssMiB = rssMiB(s.child.pid!);
        }
        await stop(s);
      }
      startup[role] = summarise(times);
      startupCpu[role] = summarise(cpu);
    }
    results.startupToProbeMs = startup;
    results.startupCpuMs = startupCpu;
    results.memory = await benchMemory(main, roles.controller, path.join(dir, 'memory.sock'), flags, 'a');
    // What capping V8's young generation does to the same burst (unless the image does so already).
    if (!flags.some((f) => f.startsWith('--max-semi-space-size'))) {
      results.memorySemiSpace1 = await benchMemory(main, roles.controller, path.join(dir, 'memory-semi.sock'), [...flags, '--max-semi-space-size=1'], 'b');
    }
  } finally {
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  return results;
}

async function benchMemory(
  main: string,
  args: readonly string[],
  socket: string,
  flags: readonly string[],
  tag: string,
): Promise<Record<string, number>> {
  const s = await startDriver(main, args, socket, flags);
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idle = rssMiB(s.child.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(s.child.pid!))), 10);
    const burstStarted = performance.now();
    const ids = await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const res = await s.csi.controller.createVolume({
          name: `bench-process-${tag}-${i}`,
          capacityRange: { requiredBytes: 1 << 30 },
          volumeCapabilities: [{ mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } }],
        });
        return res.volume!.volumeId;
      }),
    );
    const burstMs = performance.now() - burstStarted;
    clearInterval(sampler);
    peak = Math.max(peak, rssMiB(s.child.pid!));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const after = rssMiB(s.child.pid!);
    await Promise.all(ids.map((volumeId) => s.csi.controller.deleteVolume({ volumeId })));
    return { idleRssMiB: idle, peakRssMiB: peak, afterRssMiB: after, afterSeconds: SETTLE_MS / 1000, burstOps: BURST, burstMs: Math.round(burstMs) };
  } finally {
    await stop(s);
  }
}

export function printProcessTable(results: Record<string, unknown>): void {
  const startup = results.startupToProbeMs as Record<string, Summary>;
  const rows: string[][] = [
    ['figure', 'value', 'note'],
    ['start-up to first ready Probe, node role (ms)', String(startup.node.median), `median of ${startup.node.n}, target <= 300`],
    ['start-up to first ready Probe, controller role (ms)', String(startup.controller.median), `median of ${startup.controller.n}, target <= 300`],
    ['CPU time until then, node role (ms)', String((results.startupCpuMs as Record<string, Summary>).node.median), 'user + system, 10 ms ticks'],
    ['CPU time until then, controller role (ms)', String((results.startupCpuMs as Record<string, Summary>).controller.median), 'user + system, 10 ms ticks'],
    ['RSS idle, node role (MiB)', String(results.nodeIdleRssMiB), 'target <= 64'],
  ];
  const memoryRows = (m: Record<string, number>, how: string): void => {
    rows.push([`RSS idle, controller${how} (MiB)`, String(m.idleRssMiB), 'target <= 64']);
    rows.push([`RSS peak, ${m.burstOps} concurrent CreateVolume${how} (MiB)`, String(m.peakRssMiB), `burst took ${m.burstMs} ms`]);
    const over = Math.round((m.afterRssMiB / m.idleRssMiB - 1) * 100);
    rows.push([`RSS ${m.afterSeconds} s after the burst${how} (MiB)`, String(m.afterRssMiB), `${over} % over idle, target <= 10 %`]);
  };
  memoryRows(results.memory as Record<string, number>, '');
  if (results.memorySemiSpace1) memoryRows(results.memorySemiSpace1 as Record<string, number>, ', --max-semi-space-size=1');
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  console.log(`node flags from driver/Dockerfile: ${(results.imageNodeFlags as string[]).join(' ') || '(none)'}`);
}

async function main(): Promise<void> {
  const results = await benchProcess();
  printProcessTable(results);
  const out = path.resolve(__dirname, 'results/process.json');
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, JSON.stringify({ machine: machine(), process: results }, null, 2) + '\n');
  console.log(`written to ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
