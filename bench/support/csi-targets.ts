/**
 * The controller plugins a bench drives over their CSI socket: this driver (as the image runs it: the bundle of
 * driver/scripts/bundle.js, with its code cache, under node with the ENTRYPOINT's flags) and, when
 * its binary has been built (scripts/referees/build.sh --bench), the upstream cinder-csi-plugin of
 * k8s.io/cloud-provider-openstack. Both run controller-only (no node service, so neither asks a metadata service)
 * against the same cloud.conf, as child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectCsi, type CsiClient } from '../../driver/test/helpers/csi-client';
import { imageNodeFlags } from '../process';

export interface RunningTarget {
  readonly csi: CsiClient;
  /** From spawn to the first Probe that answered ready. */
  readonly startupMs: number;
  /** Resident set size now and at its peak (VmRSS, VmHWM), MiB. */
  rss(): { now: number; peak: number };
  stop(): Promise<void>;
}

export interface Target {
  readonly name: 'ours' | 'upstream';
  /** What runs, e.g. "cinder-csi-plugin v1.36.0". */
  readonly label: string;
  /** Keys to change in the emulator's cloud.conf ('' removes one): the two plugins spell the project differently. */
  readonly cloudConfExtra: Record<string, string>;
  start(dir: string, cloudConf: string, cluster: string): Promise<RunningTarget>;
}

const REPO = path.resolve(__dirname, '../..');

function referee(name: string): { version: string; bin: string } | undefined {
  const table = readFileSync(path.join(REPO, 'scripts/referees/bench.tsv'), 'utf8');
  const row = table.split('\n').find((line) => line.split('\t')[0] === name);
  if (!row) return undefined;
  const [, , version, , , tag] = row.split('\t');
  const cache = process.env.CINDER_CSI_CACHE ?? '/var/cache/cinder-csi';
  return { version: tag || (version as string), bin: path.join(cache, 'bin', `${name}-${tag || version}`) };
}

function rssOf(pid: number | undefined): { now: number; peak: number } {
  if (pid === undefined) return { now: NaN, peak: NaN };
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: Math.round(kib('VmRSS') / 102.4) / 10, peak: Math.round(kib('VmHWM') / 102.4) / 10 };
}

async function startProcess(command: string, args: string[], socket: string, cwd: string): Promise<RunningTarget> {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let csi: CsiClient;
  try {
    const deadline = Date.now() + 60_000;
    while (!existsSync(socket)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${command} did not open ${socket}: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    csi = await connectCsi(socket, { waitMs: 30_000 });
    // An answer without `ready` means ready (CSI spec; the upstream plugin answers so).
    const ready = async (): Promise<boolean> => {
      const res = await csi.identity.probe({}).catch(() => undefined);
      return res !== undefined && (res.ready === null || res.ready === undefined || res.ready.value === true);
    };
    while (!(await ready())) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${command} never answered Probe ready: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const startupMs = Math.round(performance.now() - spawnedAt);
  return {
    csi,
    startupMs,
    rss: () => rssOf(child.pid),
    async stop() {
      csi.close();
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

let bundled: Promise<{ main: string; nodeFlags: string[] }> | undefined;

/** The driver as the image runs it, bundled once per bench process into a temp dir (left for the OS to clean). */
function bundledDriver(): Promise<{ main: string; nodeFlags: string[] }> {
  bundled ??= (async () => {
    const nodeFlags = imageNodeFlags(readFileSync(path.join(REPO, 'driver/Dockerfile'), 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bundleDriver } = require(path.join(REPO, 'driver/scripts/bundle.js')) as {
      bundleDriver(options: { outDir: string; codeCacheNodeFlags: readonly string[] }): Promise<{ bundle: string }>;
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cinder-csi-bench-ours-'));
    const { bundle } = await bundleDriver({ outDir: path.join(dir, 'bundle'), codeCacheNodeFlags: nodeFlags });
    return { main: bundle, nodeFlags };
  })();
  return bundled;
}

export const ours: Target = {
  name: 'ours',
  label: 'cinder-csi (this repo)',
  cloudConfExtra: {},
  async start(dir, cloudConf, cluster) {
    const socket = path.join(dir, 'ours.sock');
    const { main, nodeFlags } = await bundledDriver();
    const args = [`--endpoint=unix://${socket}`, `--cloud-config=${cloudConf}`, `--cluster=${cluster}`, '--provide-node-service=false', '--v=0'];
    return startProcess(process.execPath, [...nodeFlags, main, ...args], socket, path.join(REPO, 'driver'));
  },
};

/** The upstream plugin when its binary is built, else undefined (the bench then has no upstream column). */
export function upstream(): Target | undefined {
  const ref = referee('cinder-csi-plugin');
  if (!ref || !existsSync(ref.bin)) return undefined;
  return {
    name: 'upstream',
    label: `cinder-csi-plugin ${ref.version}`,
    // Its [Global] section reads tenant-name and tenant-domain-name, not project-name and project-domain-name.
    cloudConfExtra: { 'project-name': '', 'project-domain-name': '', 'tenant-name': 'admin', 'tenant-domain-name': 'Default' },
    async start(dir, cloudConf, cluster) {
      const socket = path.join(dir, 'upstream.sock');
      return startProcess(
        ref.bin,
        [`--endpoint=unix://${socket}`, `--cloud-config=${cloudConf}`, `--cluster=${cluster}`, '--provide-node-service=false', '--v=1'],
        socket,
        dir,
      );
    },
  };
}
