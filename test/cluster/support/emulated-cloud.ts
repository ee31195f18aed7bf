import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CloudSnapshot, type CloudVolume, type DriverCloud, globalSectionAsValues, type WorldVolumeTypes } from './cloud';
import { ManagedProcess } from './processes';
import { ROOT } from './referees';

/** What the emulator reports of one Cinder volume (GET <controlUrl>/state). */
export interface EmulatedVolume extends CloudVolume {
  attachments: { serverId: string; device?: string; loopDevice?: string }[];
}

export type EmulatedSnapshot = CloudSnapshot;

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
export class EmulatedCloud implements DriverCloud {
  readonly label = 'the OpenStack emulator';
  // The emulator's default type, and a type of the same (only) backend.
  readonly volumeTypes: WorldVolumeTypes = { modified: 'multiattach' };

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

  async snapshot(id: string): Promise<EmulatedSnapshot | undefined> {
    return (await this.state()).snapshots.find((s) => s.id === id);
  }

  /** The emulator serves this run only: everything it holds was created by the run. */
  async leftovers(): Promise<{ volumes: EmulatedVolume[]; snapshots: EmulatedSnapshot[] }> {
    const { volumes, snapshots } = await this.state();
    return { volumes, snapshots };
  }

  /** The emulator's cloud.conf [Global] section as the chart's `cloudConfig.global` values (auth-url → authUrl). */
  cloudConfigGlobal(): Record<string, string> {
    return globalSectionAsValues(this.info.cloudConf);
  }

  logs(): string {
    return this.proc.output();
  }

  /** SIGTERM: the trial stops the driver, then the emulator, which detaches every loop device. */
  async stop(): Promise<void> {
    await this.proc.stop(30_000);
  }
}
