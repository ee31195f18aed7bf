/**
 * Benchmark: how soon the controller sees a Cinder/Nova transition end, and what watching it costs.
 *
 * For each fixed transition time D (the emulator's transitionDelayMs) and each plugin (this driver; the upstream
 * cinder-csi-plugin when built), it starts a fresh OpenStack emulator and the plugin (controller only, a child
 * process), then runs N = 1, 10, 100 concurrent CreateVolume, ControllerPublishVolume, ControllerExpandVolume and
 * CreateSnapshot calls (N = 1 repeated a few times). Per operation and N it reports:
 *   - wall/D: the call's duration over D (median, p99);
 *   - wall/emulator: the call's duration over the time from the call's start to the moment the emulator finished
 *     the transition (watched in process every 2 ms): how late the plugin saw it;
 *   - reads/op: Cinder and Nova GET requests during the phase divided by N (all of them, status looks included).
 * Then, with 10,000 unrelated volumes in the project (D = 0.5 s): reads/op for N = 1 and 100 creates, and one
 * ListVolumes over every volume (Cinder pages requested, entries, empty CSI pages, wall time).
 * Writes bench/results/controller.json. Needs root (the emulator attaches volumes as loop devices).
 *
 *   node -r ./driver/test/helpers/ts-register.js bench/controller-waits.ts [--quick]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../driver/test-support/emulator';
import type { CsiClient } from '../driver/test/helpers/csi-client';
import { ours, upstream, type Target } from './support/csi-targets';
import { spread, type Spread } from './support/stats';

const QUICK = process.argv.includes('--quick');
const DELAYS_MS = QUICK ? [500] : [500, 2000, 10_000];
const CONCURRENCY = QUICK ? [1, 10] : [1, 10, 100];
/** Rounds at N = 1 per D (more where they are cheap); one round at larger N. */
const ROUNDS_AT_1: Record<number, number> = { 500: 9, 2000: 5, 10_000: 3 };
const UNRELATED = QUICK ? 1000 : 10_000;
const GiB = 1 << 30;
const OPERATIONS = ['create', 'publish', 'expand', 'snapshot'] as const;
type Operation = (typeof OPERATIONS)[number];

export interface OperationFigures {
  readonly wallOverD: Spread;
  readonly wallOverEmulator: Spread;
  readonly readsPerOp: number;
}

export interface ControllerResults {
  /** plugin → "D=<ms>" → "N=<n>" → operation → figures */
  readonly waits: Record<string, Record<string, Record<string, Record<Operation, OperationFigures>>>>;
  /** plugin → "unrelated=<n>" → "N=<n>" → create reads per operation */
  readonly readsWithUnrelated: Record<string, Record<string, Record<string, number>>>;
  readonly listVolumes: Record<string, { volumes: number; entries: number; cinderPages: number; emptyCsiPages: number; wallMs: number }>;
  readonly plugins: Record<string, string>;
  /** plugin → start-up (spawn to Probe ready, ms), RSS 1 s after start and peak RSS over a D's run (MiB), one per D */
  readonly process: Record<string, { startupMs: Spread; idleRssMiB: Spread; peakRssMiB: Spread }>;
}

const processSamples: Record<string, { startupMs: number[]; idleRssMiB: number[]; peakRssMiB: number[] }> = {};

/** Every call has a deadline (as a CO sets one): a plugin that never answers fails the phase instead of hanging it. */
function callDeadline(delayMs: number): { deadlineMs: number } {
  return { deadlineMs: 20 * delayMs + 120_000 };
}

const mountCap = { mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' as const } };

function reads(emu: Emulator): number {
  let n = 0;
  for (const [route, count] of Object.entries(emu.counters.requests)) {
    if (/^GET \/(volume|compute)\//.test(route)) n += count;
  }
  return n;
}

/** Watches the emulator's state in process and records when each awaited transition ended. */
class EndWatcher {
  private readonly pending = new Map<string, () => boolean>();
  readonly endedAt = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly emu: Emulator) {
    this.timer = setInterval(() => this.scan(), 2);
  }

  expect(key: string, ended: () => boolean): void {
    this.pending.set(key, ended);
  }

  private scan(): void {
    if (this.pending.size === 0) return;
    const now = performance.now();
    for (const [key, ended] of this.pending) {
      if (ended()) {
        this.endedAt.set(key, now);
        this.pending.delete(key);
      }
    }
  }

  volume(id: string): { status: string; size: number; attachments: unknown[] } | undefined {
    return this.emu.volumes().find((v) => v.id === id);
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/**
 * Waits (outside any measured phase, reading the emulator directly) until these volumes have left every transitional
 * status: the upstream plugin answers CreateVolume before the volume is available, and the next phase needs it.
 */
async function settled(emu: Emulator, ids: readonly string[]): Promise<void> {
  const wanted = new Set(ids);
  const busy = (): boolean => emu.volumes().some((v) => wanted.has(v.id) && v.status !== 'available' && v.status !== 'in-use' && !v.status.startsWith('error'));
  while (busy()) await new Promise((r) => setTimeout(r, 10));
}

interface Sample {
  wall: number;
  emu: number;
}

async function phase(
  emu: Emulator,
  watcher: EndWatcher,
  n: number,
  run: (i: number) => Promise<void>,
  key: (i: number) => string,
): Promise<{ samples: Sample[]; reads: number }> {
  const before = reads(emu);
  const samples: Sample[] = [];
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const started = performance.now();
      await run(i);
      const wall = performance.now() - started;
      // The watcher scans every 2 ms: let it record an end it has not seen yet (a plugin may also answer before the
      // transition ends, as upstream's CreateVolume does; its wall/emulator is then below 1).
      for (let t = 0; t < 30_000 && !watcher.endedAt.has(key(i)); t++) await new Promise((r) => setTimeout(r, 2));
      const ended = watcher.endedAt.get(key(i));
      samples.push({ wall, emu: ended === undefined ? NaN : ended - started });
    }),
  );
  return { samples, reads: reads(emu) - before };
}

async function runDelay(target: Target, delayMs: number): Promise<Record<string, Record<Operation, OperationFigures>>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `bench-${target.name}-`));
  const emu = await startEmulator({ transitionDelayMs: delayMs, quotas: { volumes: 100_000, gigabytes: 1_000_000, snapshots: 100_000 } });
  // Nova gives a server 25 more disks (vdb..vdz): enough servers for N = 100 attached at once.
  const servers = Array.from({ length: Math.ceil(Math.max(...CONCURRENCY) / 20) }, (_, i) => emu.addServer({ name: `bench-node-${i}` }));
  const serverFor = (i: number): string => (servers[i % servers.length] as { id: string }).id;
  const conf = path.join(dir, 'cloud.conf');
  await fs.writeFile(conf, emu.cloudConf(target.cloudConfExtra), { mode: 0o600 });
  const plugin = await target.start(dir, conf, 'bench').catch(async (error: unknown) => {
    await emu.close();
    throw error;
  });
  const proc = (processSamples[target.name] ??= { startupMs: [], idleRssMiB: [], peakRssMiB: [] });
  proc.startupMs.push(plugin.startupMs);
  await new Promise((r) => setTimeout(r, 1000));
  proc.idleRssMiB.push(plugin.rss().now);
  const watcher = new EndWatcher(emu);
  const byN: Record<string, Record<Operation, OperationFigures>> = {};
  let seq = 0;
  try {
    const csi: CsiClient = plugin.csi;
    // A warm-up round (N = 1, not counted): a plugin in service has done each operation before; this driver learns
    // their durations from it (its very first wait of a kind polls on a backoff from 100 ms instead).
    for (const n of [0, ...CONCURRENCY]) {
      const rounds = n === 1 ? ROUNDS_AT_1[delayMs] ?? 3 : 1;
      const acc: Record<Operation, { samples: Sample[]; reads: number }> = {
        create: { samples: [], reads: 0 }, publish: { samples: [], reads: 0 }, expand: { samples: [], reads: 0 }, snapshot: { samples: [], reads: 0 },
      };
      for (let round = 0; round < rounds; round++) {
        const warmUp = n === 0;
        const count = warmUp ? 1 : n;
        const names = Array.from({ length: count }, () => `bench-${seq++}`);
        const ids: string[] = new Array(count);
        const add = (op: Operation, r: { samples: Sample[]; reads: number }): void => {
          acc[op].samples.push(...r.samples);
          acc[op].reads += r.reads;
        };
        for (const name of names) {
          watcher.expect(`create:${name}`, () => emu.volumes().some((v) => v.name === name && v.status === 'available'));
        }
        add('create', await phase(emu, watcher, count, async (i) => {
          const res = await csi.controller.createVolume({ name: names[i], capacityRange: { requiredBytes: GiB }, volumeCapabilities: [mountCap] }, callDeadline(delayMs));
          ids[i] = res.volume?.volumeId as string;
        }, (i) => `create:${names[i]}`));
        await settled(emu, ids);
        for (const id of ids) {
          watcher.expect(`publish:${id}`, () => watcher.volume(id)?.status === 'in-use');
        }
        add('publish', await phase(emu, watcher, count, async (i) => {
          await csi.controller.controllerPublishVolume({ volumeId: ids[i], nodeId: serverFor(i), volumeCapability: mountCap, readonly: false }, callDeadline(delayMs));
        }, (i) => `publish:${ids[i]}`));
        await Promise.all(ids.map((id, i) => csi.controller.controllerUnpublishVolume({ volumeId: id, nodeId: serverFor(i) }, callDeadline(delayMs))));
        await settled(emu, ids);
        for (const id of ids) {
          watcher.expect(`expand:${id}`, () => {
            const v = watcher.volume(id);
            return v !== undefined && v.size >= 2 && v.status === 'available';
          });
        }
        add('expand', await phase(emu, watcher, count, async (i) => {
          await csi.controller.controllerExpandVolume({ volumeId: ids[i], capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: mountCap }, callDeadline(delayMs));
        }, (i) => `expand:${ids[i]}`));
        await settled(emu, ids);
        for (const name of names) {
          watcher.expect(`snapshot:${name}`, () => emu.snapshots().some((s) => s.name === `snap-${name}` && s.status === 'available'));
        }
        add('snapshot', await phase(emu, watcher, count, async (i) => {
          await csi.controller.createSnapshot({ name: `snap-${names[i]}`, sourceVolumeId: ids[i] }, callDeadline(delayMs));
        }, (i) => `snapshot:${names[i]}`));
      }
      if (n === 0) continue;
      const figures = {} as Record<Operation, OperationFigures>;
      for (const op of OPERATIONS) {
        const { samples, reads: r } = acc[op];
        figures[op] = {
          wallOverD: spread(samples.map((s) => s.wall / delayMs)),
          wallOverEmulator: spread(samples.filter((s) => s.emu > 0).map((s) => s.wall / s.emu)),
          readsPerOp: Number((r / samples.length).toFixed(2)),
        };
        console.log(
          `  ${target.name.padEnd(8)} D=${String(delayMs).padStart(5)} ms N=${String(n).padStart(3)} ${op.padEnd(8)} ` +
            `wall/D ${figures[op].wallOverD.median.toFixed(3)} (p99 ${figures[op].wallOverD.p99.toFixed(3)})  ` +
            `wall/emulator ${figures[op].wallOverEmulator.median.toFixed(3)}  reads/op ${figures[op].readsPerOp}`,
        );
      }
      byN[`N=${n}`] = figures;
    }
    proc.peakRssMiB.push(plugin.rss().peak);
  } finally {
    watcher.close();
    await plugin.stop();
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
  return byN;
}

/** Creates `count` volumes straight through Cinder's API (not through a plugin): the project's unrelated volumes. */
async function seedVolumes(emu: Emulator, count: number): Promise<void> {
  const origin = new URL(emu.authUrl).origin;
  const auth = await fetch(`${emu.authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    }),
  });
  const token = auth.headers.get('x-subject-token');
  if (!auth.ok || !token) throw new Error(`seeding: Keystone answered ${auth.status}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${origin}/volume/v3/${emu.projectId}/volumes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-auth-token': token },
          body: JSON.stringify({ volume: { name: `unrelated-${i}`, size: 1 } }),
        });
        if (res.status !== 202) throw new Error(`seeding: create answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
}

async function runUnrelated(target: Target): Promise<{ reads: Record<string, Record<string, number>>; list: ControllerResults['listVolumes'][string] }> {
  const delayMs = 500;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `bench-${target.name}-`));
  const emu = await startEmulator({ transitionDelayMs: delayMs, quotas: { volumes: 100_000, gigabytes: 1_000_000, snapshots: 100_000 } });
  const conf = path.join(dir, 'cloud.conf');
  await fs.writeFile(conf, emu.cloudConf(target.cloudConfExtra), { mode: 0o600 });
  const plugin = await target.start(dir, conf, 'bench').catch(async (error: unknown) => {
    await emu.close();
    throw error;
  });
  const result: Record<string, Record<string, number>> = {};
  let list: ControllerResults['listVolumes'][string] = { volumes: 0, entries: 0, cinderPages: 0, emptyCsiPages: 0, wallMs: 0 };
  let seq = 0;
  try {
    const csi = plugin.csi;
    // Warm-up, not counted (as in runDelay).
    await csi.controller.createVolume({ name: 'u-warm-up', capacityRange: { requiredBytes: GiB }, volumeCapabilities: [mountCap] }, callDeadline(delayMs));
    for (const unrelated of [0, UNRELATED]) {
      if (unrelated > 0) {
        await seedVolumes(emu, unrelated);
        while (emu.volumes().some((v) => v.status === 'creating')) await new Promise((r) => setTimeout(r, 50));
      }
      const row: Record<string, number> = {};
      for (const n of CONCURRENCY.filter((c) => c !== 10)) {
        const rounds = n === 1 ? 5 : 1;
        const before = reads(emu);
        for (let round = 0; round < rounds; round++) {
          await Promise.all(
            Array.from({ length: n }, () =>
              csi.controller.createVolume({ name: `u-${seq++}`, capacityRange: { requiredBytes: GiB }, volumeCapabilities: [mountCap] }, callDeadline(delayMs)),
            ),
          );
        }
        row[`N=${n}`] = Number(((reads(emu) - before) / (n * rounds)).toFixed(2));
        console.log(`  ${target.name.padEnd(8)} unrelated=${unrelated} N=${n} create reads/op ${row[`N=${n}`]}`);
      }
      result[`unrelated=${unrelated}`] = row;
    }
    const key = 'GET /volume/v3/{project_id}/volumes/detail';
    const pagesBefore = emu.counters.requests[key] ?? 0;
    const started = performance.now();
    let token = '';
    let entries = 0;
    let empty = 0;
    do {
      const page = await csi.controller.listVolumes({ maxEntries: 0, startingToken: token }, { deadlineMs: 300_000 });
      entries += page.entries.length;
      if (page.entries.length === 0) empty++;
      token = page.nextToken;
    } while (token !== '');
    list = {
      volumes: emu.volumes().length,
      entries,
      cinderPages: (emu.counters.requests[key] ?? 0) - pagesBefore,
      emptyCsiPages: empty,
      wallMs: Math.round(performance.now() - started),
    };
    console.log(`  ${target.name.padEnd(8)} ListVolumes over ${list.volumes} volumes: ${list.entries} entries, ${list.cinderPages} Cinder pages, ${list.emptyCsiPages} empty CSI pages, ${list.wallMs} ms`);
  } finally {
    await plugin.stop();
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { reads: result, list };
}

export async function benchController(): Promise<ControllerResults> {
  // BENCH_PLUGINS=ours or =upstream runs one of them only.
  const only = process.env.BENCH_PLUGINS;
  const targets = [ours, upstream()].filter((t): t is Target => t !== undefined && (only === undefined || only === t.name));
  if (upstream() === undefined) console.log('  (upstream cinder-csi-plugin not built: scripts/referees/build.sh --bench; no upstream column)');
  const results: ControllerResults = { waits: {}, readsWithUnrelated: {}, listVolumes: {}, plugins: {}, process: {} };
  for (const target of targets) {
    results.plugins[target.name] = target.label;
    results.waits[target.name] = {};
    for (const d of DELAYS_MS) {
      try {
        results.waits[target.name]![`D=${d}`] = await runDelay(target, d);
      } catch (error) {
        console.log(`  ${target.name} D=${d}: failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    try {
      const { reads: r, list } = await runUnrelated(target);
      results.readsWithUnrelated[target.name] = r;
      results.listVolumes[target.name] = list;
    } catch (error) {
      console.log(`  ${target.name} unrelated volumes: failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const [name, p] of Object.entries(processSamples)) {
    results.process[name] = { startupMs: spread(p.startupMs), idleRssMiB: spread(p.idleRssMiB), peakRssMiB: spread(p.peakRssMiB) };
  }
  const out = path.resolve(__dirname, 'results');
  await fs.mkdir(out, { recursive: true });
  await fs.writeFile(path.join(out, 'controller.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

if (require.main === module) {
  benchController().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
