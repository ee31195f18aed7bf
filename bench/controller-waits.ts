/**
 * Benchmark: what waiting for Cinder costs, as concurrency grows.
 *
 * CreateVolume returns only once the volume is `available`. This starts the OpenStack emulator with a fixed
 * creating → available delay and the real driver (controller service, in process), then issues N concurrent
 * CreateVolume calls over the CSI socket for several N, all in one run. For each N it reports:
 *   - observation lag: call duration minus the emulator's transition delay (how soon a transition is seen);
 *   - Cinder status look-ups (GET of volumes and volume listings) per created volume.
 * With shared status look-ups, look-ups per volume should fall as N grows, while the lag stays flat. Figures are
 * printed and written to bench/results/controller-waits.json. Needs root (the emulator's hypervisor side).
 *
 *   node -r ./driver/test/helpers/ts-register.js bench/controller-waits.ts
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startEmulator } from '../driver/test-support/emulator';
import { runDriver } from '../driver/src/main';
import { connectCsi } from '../driver/test/helpers/csi-client';

const TRANSITION_MS = 400;
const CONCURRENCY = [1, 10, 50];
const ROUNDS = 3;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Cinder GETs of volumes (single volume or listings: the driver's name look-ups and its shared status polls). */
function statusLookups(requests: Record<string, number>): number {
  let n = 0;
  for (const [route, count] of Object.entries(requests)) {
    if (/^GET \/volume\/v3\/\{project_id\}\/volumes(\/detail|\/\{volume_id\})?$/.test(route)) n += count;
  }
  return n;
}

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const [route, count] of Object.entries(after)) {
    if (route.includes('/volume/v3/') && count - (before[route] ?? 0) > 0) d[route] = count - (before[route] ?? 0);
  }
  return d;
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-bench-'));
  const emu = await startEmulator({ transitionDelayMs: TRANSITION_MS, quotas: { volumes: 10000, gigabytes: 100000 } });
  const conf = path.join(dir, 'cloud.conf');
  await fs.writeFile(conf, emu.cloudConf(), { mode: 0o600 });
  const silent = new Writable({ write: (_c, _e, cb) => cb() });
  const driver = await runDriver(
    [`--endpoint=unix://${path.join(dir, 'csi.sock')}`, `--cloud-config=${conf}`, '--provide-node-service=false', '--v=0'],
    { logDestination: silent },
  );
  const csi = await connectCsi(path.join(dir, 'csi.sock'));
  const results: Array<Record<string, number>> = [];
  try {
    let seq = 0;
    for (const n of CONCURRENCY) {
      const lags: number[] = [];
      let lookups = 0;
      const cinderCreate: Record<string, number> = {};
      for (let round = 0; round < ROUNDS; round++) {
        const routesBefore = { ...emu.counters.requests };
        await Promise.all(
          Array.from({ length: n }, async () => {
            const started = performance.now();
            const res = await csi.controller.createVolume({
              name: `bench-${seq++}`,
              capacityRange: { requiredBytes: 1 << 30 },
              volumeCapabilities: [{ mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } }],
            });
            lags.push(performance.now() - started - TRANSITION_MS);
            return res;
          }),
        );
        const roundRequests = delta(emu.counters.requests, routesBefore);
        lookups += statusLookups(roundRequests);
        for (const [route, count] of Object.entries(roundRequests)) {
          cinderCreate[route] = (cinderCreate[route] ?? 0) + count;
        }
        await Promise.all(emu.volumes().map((v) => csi.controller.deleteVolume({ volumeId: v.id })));
      }
      lags.sort((a, b) => a - b);
      const row = {
        concurrency: n,
        volumes: n * ROUNDS,
        lagP50Ms: Math.round(percentile(lags, 50)),
        lagP95Ms: Math.round(percentile(lags, 95)),
        statusLookupsPerVolume: Number((lookups / (n * ROUNDS)).toFixed(2)),
      };
      results.push(row);
      console.log(
        `N=${String(n).padStart(3)}  lag p50 ${row.lagP50Ms} ms  p95 ${row.lagP95Ms} ms  status look-ups per volume ${row.statusLookupsPerVolume}`,
      );
      for (const [route, count] of Object.entries(cinderCreate).sort()) {
        console.log(`         ${(count / (n * ROUNDS)).toFixed(2).padStart(6)} per volume  ${route}`);
      }
    }
  } finally {
    csi.close();
    await driver.close();
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
  const first = results[0];
  const last = results[results.length - 1];
  const summary = {
    transitionDelayMs: TRANSITION_MS,
    rounds: ROUNDS,
    results,
    lookupsPerVolumeRatio: Number((last.statusLookupsPerVolume / first.statusLookupsPerVolume).toFixed(3)),
  };
  console.log(
    `look-ups per volume at N=${last.concurrency} vs N=${first.concurrency}: ${summary.lookupsPerVolumeRatio}x (shared look-ups make this < 1)`,
  );
  const out = path.resolve(__dirname, 'results');
  await fs.mkdir(out, { recursive: true });
  await fs.writeFile(path.join(out, 'controller-waits.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
