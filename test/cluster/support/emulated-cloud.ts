import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess } from './processes';
import { ROOT } from './referees';

/** What the emulator reports of one Cinder volume (GET <controlUrl>/state). */
export interface EmulatedVolume {
  id: string;
  name: string;
  size: number;
  status: string;
  volumeType: string;
  availabilityZone: string;
  metadata: Record<string, string>;
  snapshotId?: string | null;
  attachments: { serverId: string; device?: string; loopDevice?: string }[];
}

export interface EmulatedSnapshot {
  id: string;
  volumeId: string;
  name: string;
  status: string;
}

interface TrialInfo {
  endpoint: string;
  authUrl: string;
  controlUrl: string;
  nodeId: string;
  cloudConf: string;
}

/**
 * The driver (controller and node services on one socket) in front of the OpenStack emulator, run as its own
 * process by the driver package's trial command, with the loopback guard preloaded.
 */
export class EmulatedCloud {
  private constructor(
    private readonly proc: ManagedProcess,
    readonly info: TrialInfo,
    readonly socket: string,
  ) {}

  /** `driverArgs` are appended to the trial's driver flags (later flags win). */
  static async start(dir: string, logDir: string, driverArgs: readonly string[] = []): Promise<EmulatedCloud> {
    mkdirSync(dir, { recursive: true });
    const socket = join(dir, 'csi.sock');
    const driverDir = join(ROOT, 'driver');
    const proc = new ManagedProcess(
      'driver',
      process.execPath,
      ['-r', join(driverDir, 'test/helpers/ts-register.js'), join(driverDir, 'test-support/trial.ts'), `--endpoint=unix://${socket}`, `--kubelet-dir=${join(dir, 'kubelet')}`, '--', ...driverArgs],
      logDir,
    );
    let info: TrialInfo | undefined;
    await proc.waitUntil('serving', async () => {
      const line = proc.output().split('\n').find((l) => l.startsWith('{"endpoint"'));
      if (line) info = JSON.parse(line) as TrialInfo;
      return info !== undefined;
    }, 60_000);
    return new EmulatedCloud(proc, info as TrialInfo, socket);
  }

  async state(): Promise<{ volumes: EmulatedVolume[]; snapshots: EmulatedSnapshot[] }> {
    const res = await fetch(`${this.info.controlUrl}/state`);
    if (!res.ok) throw new Error(`emulator state: HTTP ${res.status}`);
    return (await res.json()) as { volumes: EmulatedVolume[]; snapshots: EmulatedSnapshot[] };
  }

  async volume(id: string): Promise<EmulatedVolume | undefined> {
    return (await this.state()).volumes.find((v) => v.id === id);
  }

  /** The emulator's cloud.conf [Global] section as the chart's `cloudConfig.global` values (auth-url → authUrl). */
  cloudConfigGlobal(): Record<string, string> {
    const global: Record<string, string> = {};
    let inGlobal = false;
    for (const line of readFileSync(this.info.cloudConf, 'utf8').split('\n')) {
      const section = /^\[(.+)\]$/.exec(line.trim());
      if (section) inGlobal = section[1].toLowerCase() === 'global';
      const kv = /^([a-z-]+)\s*=\s*(.*)$/.exec(line.trim());
      if (inGlobal && kv) global[kv[1].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = kv[2];
    }
    return global;
  }

  logs(): string {
    return this.proc.output();
  }

  /** SIGTERM: the trial stops the driver, then the emulator, which detaches every loop device. */
  async stop(): Promise<void> {
    await this.proc.stop(30_000);
  }
}
