import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Emulator, type Server, startEmulator, type VolumeTypeSpec } from '../../test-support/emulator';
import { connectCsi, type CsiClient } from '../helpers/csi-client';
import { forceCleanFixture, type Leftovers, leftoversUnder } from '../helpers/emulated-cloud';

const DRIVER_ROOT = path.resolve(__dirname, '../..');

export type { Leftovers } from '../helpers/emulated-cloud';

export interface DriverUnderTestOptions {
  /** Extra availability zones besides the node's own ("nova"). */
  readonly extraZones?: readonly string[];
  /** Cinder volume types; default the emulator's (standard, multiattach). */
  readonly volumeTypes?: VolumeTypeSpec[];
  /** Runs after the emulator started and before the driver does (e.g. to inject faults). */
  readonly beforeStart?: (emu: Emulator) => void;
  /** Wait for Probe to report ready before returning (default true). */
  readonly waitReady?: boolean;
  /** --with-topology (default true, as the suite is specified). */
  readonly withTopology?: boolean;
  /** Which services this instance serves (default both), as the controller Deployment / node DaemonSet split them. */
  readonly services?: 'both' | 'controller' | 'node';
}

/**
 * The real cinder-csi-plugin as a child process (controller + node services, topology on) on a Unix socket,
 * talking to the OpenStack emulator, dialled only through the CSI gRPC client the way kubelet and the sidecars
 * dial it. The emulator has one Nova server that *is* this machine: the metadata service answers for it, and
 * volumes attached to it appear as loop devices behind the emulator's by-id directory, which the driver watches.
 */
export class DriverUnderTest {
  private stopped = false;

  private constructor(
    readonly emu: Emulator,
    /** The Nova server this machine plays; its id is the node id NodeGetInfo must report. */
    readonly server: Server,
    /** A second Nova server in the same zone: "another node" for single-node access checks. */
    readonly otherServer: Server,
    readonly client: CsiClient,
    readonly dir: string,
    readonly kubeletDir: string,
    readonly password: string,
    private readonly child: ChildProcess,
    private readonly output: { text: string },
  ) {}

  static async start(options: DriverUnderTestOptions = {}): Promise<DriverUnderTest> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-conformance-'));
    // A distinctive password, so a test can prove it never reaches a log line.
    const password = `pw-${randomUUID()}`;
    let emu: Emulator | undefined;
    let child: ChildProcess | undefined;
    let client: CsiClient | undefined;
    try {
      emu = await startEmulator({
        byIdDir: path.join(dir, 'by-id'),
        dataDir: path.join(dir, 'data'),
        availabilityZones: ['nova', ...(options.extraZones ?? [])],
        password,
        transitionDelayMs: 20,
        quotas: { volumes: 100, gigabytes: 10_000, snapshots: 100 },
        ...(options.volumeTypes ? { volumeTypes: options.volumeTypes } : {}),
      });
      const server = emu.addServer({ name: 'conformance-node', availabilityZone: 'nova' });
      const otherServer = emu.addServer({ name: 'other-node', availabilityZone: 'nova' });
      emu.setMetadataServer(server.id);
      options.beforeStart?.(emu);
      const kubeletDir = path.join(dir, 'kubelet');
      await fs.mkdir(path.join(kubeletDir, 'pods'), { recursive: true });
      const cloudConf = path.join(dir, 'cloud.conf');
      await fs.writeFile(cloudConf, `${emu.cloudConf()}\n[Metadata]\nsearch-order = metadataService\n`, { mode: 0o600 });
      const socket = path.join(dir, 'csi.sock');
      child = spawn(
        process.execPath,
        [
          '-r',
          path.join(DRIVER_ROOT, 'test/helpers/ts-register.js'),
          path.join(DRIVER_ROOT, 'src/main.ts'),
          `--endpoint=unix://${socket}`,
          `--cloud-config=${cloudConf}`,
          `--with-topology=${options.withTopology ?? true}`,
          `--provide-controller-service=${options.services !== 'node'}`,
          `--provide-node-service=${options.services !== 'controller'}`,
          '--cluster=conformance',
          // A device that never appears is NOT_FOUND after this bounded wait (default 30 s; shorter keeps the suite fast).
          '--device-wait-timeout=5s',
          `--kubelet-dir=${kubeletDir}`,
          `--by-id-dir=${emu.byIdDir}`,
          `--metadata-url=${emu.metadataUrl}`,
          '--shutdown-grace-period=5s',
          '--v=4',
        ],
        { cwd: DRIVER_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const started = child;
      // Last resort if the test process dies without running afterAll: never leave a driver running.
      const killOnExit = (): void => void started.kill('SIGKILL');
      process.once('exit', killOnExit);
      started.once('exit', () => process.removeListener('exit', killOnExit));
      const log = { text: '' };
      started.stdout?.on('data', (d: Buffer) => void (log.text += d.toString()));
      started.stderr?.on('data', (d: Buffer) => void (log.text += d.toString()));
      const exited = new Promise<never>((_, reject) =>
        started.once('exit', (code, signal) => reject(new Error(`driver exited during start-up (code ${code}, signal ${signal}):\n${log.text}`))),
      );
      exited.catch(() => undefined);
      client = await Promise.race([connectCsi(socket, { waitMs: 30_000 }), exited]);
      const driver = new DriverUnderTest(emu, server, otherServer, client, dir, kubeletDir, password, started, log);
      if (options.waitReady !== false) await driver.waitReady();
      return driver;
    } catch (error) {
      client?.close();
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child?.once('exit', resolve));
      }
      await emu?.close();
      await fs.rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get identity(): CsiClient['identity'] {
    return this.client.identity;
  }

  get controller(): CsiClient['controller'] {
    return this.client.controller;
  }

  get node(): CsiClient['node'] {
    return this.client.node;
  }

  /** How the driver process ended: its exit code, or the signal that killed it; undefined while it runs. */
  get exitStatus(): number | NodeJS.Signals | undefined {
    return this.child.exitCode ?? this.child.signalCode ?? undefined;
  }

  /** Everything the driver wrote to stdout/stderr so far (its log). */
  get log(): string {
    return this.output.text;
  }

  /** A unique name a CO would generate (pvc-<uuid>). */
  static name(prefix = 'pvc'): string {
    return `${prefix}-${randomUUID()}`;
  }

  /** A staging path the way kubelet lays it out (the directory exists, as the spec requires of the CO). */
  async stagingPath(volumeId: string): Promise<string> {
    const p = path.join(this.kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'cinder.csi.openstack.org', volumeId, 'globalmount');
    await fs.mkdir(p, { recursive: true });
    return p;
  }

  /** A publish target under a pod directory; the parent exists, the target itself is the plugin's to create. */
  async targetPath(volumeId: string, pod = 'pod-a'): Promise<string> {
    const parent = path.join(this.kubeletDir, 'pods', pod, 'volumes', 'kubernetes.io~csi', volumeId);
    await fs.mkdir(parent, { recursive: true });
    return path.join(parent, 'mount');
  }

  /** Mounts and loop devices that belong to this fixture, right now. */
  leftovers(): Leftovers {
    return leftoversUnder(this.dir);
  }

  /** Polls Probe until it reports ready (unset or true), as a CO does before using the plugin. */
  async waitReady(): Promise<void> {
    // Probe reports ready=false until the cloud answered once; a CO waits for true before using the plugin.
    for (let attempt = 0; attempt < 300; attempt++) {
      const probe = await this.client.identity.probe({});
      if (probe.ready?.value !== false) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`driver did not become ready:\n${this.output.text}`);
  }

  /**
   * Stops the driver (SIGTERM, then SIGKILL if it hangs), then force-cleans whatever the machine still holds
   * under the fixture, then stops the emulator (which detaches its loop devices) and removes the fixture dir.
   * Returns what was left over *before* the forced clean-up, so a test can assert the driver cleaned up itself.
   */
  async close(): Promise<Leftovers> {
    if (this.stopped) return { mounts: [], loops: [] };
    this.stopped = true;
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      // The driver died on its own during the tests: its last words explain the failures that followed.
      process.stderr.write(`[conformance] the driver exited unexpectedly (${this.child.exitCode ?? this.child.signalCode}):\n${this.log.slice(-4000)}\n`);
    } else {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    return forceCleanFixture(this.dir, this.emu);
  }
}
