import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Emulator, type EmulatorOptions, type Server, startEmulator } from '../../test-support/emulator';
import { connectCsi, type CsiClient } from './csi-client';
import { type DriverProcess, startDriverProcess } from './driver-process';

/** What the machine holds under a fixture directory: mount points and loop devices backed by its files. */
export interface Leftovers {
  readonly mounts: string[];
  readonly loops: string[];
}

/** Mounts whose target is under `dir` and loop devices whose backing file is under `dir`, right now. */
export function leftoversUnder(dir: string): Leftovers {
  const mounts = execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' })
    .split('\n')
    .map(unescapeFindmnt)
    .filter((target) => target.startsWith(`${dir}/`));
  const loops = execFileSync('losetup', ['-l', '-n', '-O', 'NAME,BACK-FILE'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`${dir}/`))
    .map((line) => line.trim());
  return { mounts, loops };
}

/** Lazily unmounts every target, deepest first (nested bind mounts come off before their parents). */
export function unmountAll(mounts: readonly string[]): void {
  for (const target of [...mounts].sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', target]);
    } catch {
      // already gone
    }
  }
}

/** Detaches the loop devices of leftoversUnder(...).loops lines ("NAME BACK-FILE"). */
export function detachLoops(loops: readonly string[]): void {
  for (const line of loops) {
    try {
      execFileSync('losetup', ['-d', line.split(/\s+/)[0] as string]);
    } catch {
      // already detached
    }
  }
}

/**
 * The forced clean-up of a fixture directory once its drivers are stopped: lazily unmounts what is still mounted
 * under `dir`, stops the emulator, detaches the loop devices still backed by files under `dir` and removes `dir`.
 * Returns what the machine held before, so a test can assert that the driver cleaned up after itself.
 */
export async function forceCleanFixture(dir: string, emu: Emulator): Promise<Leftovers> {
  const before = leftoversUnder(dir);
  unmountAll(before.mounts);
  await emu.close();
  detachLoops(leftoversUnder(dir).loops);
  await fs.rm(dir, { recursive: true, force: true });
  return before;
}

/** findmnt -r writes every byte outside printable ASCII (and space) as \xHH; this gives back the real path. */
function unescapeFindmnt(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = /^\\x([0-9a-fA-F]{2})/.exec(text.slice(i, i + 4));
    if (hex) {
      bytes.push(parseInt(hex[1] as string, 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(text[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A running driver child process and a typed client connected to it. */
export interface RunningDriver {
  readonly process: DriverProcess;
  readonly client: CsiClient;
}

/**
 * The OpenStack emulator (in this process) with one fixture directory holding everything the driver may touch:
 * the emulator's data and by-id dirs, cloud.conf, the CSI socket and a kubelet dir. Drivers are started and
 * killed against it as often as a test likes (a restarted driver finds the same cloud). Needs root.
 */
export class EmulatedCloud {
  private readonly drivers = new Set<RunningDriver>();

  private constructor(
    readonly emu: Emulator,
    readonly dir: string,
    /** The Nova server this machine plays (metadata answers for it). */
    readonly server: Server,
    /** A second server in the same zone. */
    readonly otherServer: Server,
    readonly cloudConf: string,
    readonly socket: string,
    readonly kubeletDir: string,
    readonly password: string,
  ) {}

  static async start(options: EmulatorOptions = {}, prefix = 'cinder-csi-emulated-'): Promise<EmulatedCloud> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    const password = `pw-${randomUUID()}`;
    try {
      const emu = await startEmulator({ byIdDir: path.join(dir, 'by-id'), dataDir: path.join(dir, 'data'), password, ...options });
      const zone = options.availabilityZones?.[0] ?? 'nova';
      const server = emu.addServer({ name: 'this-node', availabilityZone: zone });
      const otherServer = emu.addServer({ name: 'other-node', availabilityZone: zone });
      emu.setMetadataServer(server.id);
      const kubeletDir = path.join(dir, 'kubelet');
      await fs.mkdir(path.join(kubeletDir, 'pods'), { recursive: true });
      const cloudConf = path.join(dir, 'cloud.conf');
      await fs.writeFile(cloudConf, `${emu.cloudConf()}\n[Metadata]\nsearch-order = metadataService\n`, { mode: 0o600 });
      return new EmulatedCloud(emu, dir, server, otherServer, cloudConf, path.join(dir, 'csi.sock'), kubeletDir, password);
    } catch (error) {
      await fs.rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The flags that point a driver at this cloud and fixture; `extra` flags are appended (later ones win). */
  driverArgs(extra: readonly string[] = []): string[] {
    return [
      `--endpoint=unix://${this.socket}`,
      `--cloud-config=${this.cloudConf}`,
      `--kubelet-dir=${this.kubeletDir}`,
      `--by-id-dir=${this.emu.byIdDir}`,
      `--metadata-url=${this.emu.metadataUrl}`,
      '--cluster=emulated',
      ...extra,
    ];
  }

  /** Starts the driver, connects a client and waits until Probe reports ready. */
  async startDriver(extra: readonly string[] = []): Promise<RunningDriver> {
    const proc = await startDriverProcess(this.driverArgs(extra));
    let client: CsiClient | undefined;
    try {
      client = await connectCsi(this.socket, { waitMs: 30_000 });
      for (let attempt = 0; ; attempt++) {
        const probe = await client.identity.probe({}, { deadlineMs: 10_000 });
        if (probe.ready?.value !== false) break;
        if (attempt >= 300) throw new Error(`driver did not become ready:\n${proc.stderr().slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } catch (error) {
      client?.close();
      await proc.stop('SIGKILL');
      throw error;
    }
    const running: RunningDriver = { process: proc, client };
    this.drivers.add(running);
    return running;
  }

  /** kill -9: the driver gets no chance to clean up; the client is closed. */
  async kill(driver: RunningDriver): Promise<void> {
    driver.client.close();
    await driver.process.stop('SIGKILL');
    this.drivers.delete(driver);
  }

  /** SIGTERM (graceful), then SIGKILL if it has not exited after 15 s. */
  async stop(driver: RunningDriver): Promise<void> {
    driver.client.close();
    const timer = setTimeout(() => driver.process.child.kill('SIGKILL'), 15_000);
    await driver.process.stop('SIGTERM');
    clearTimeout(timer);
    this.drivers.delete(driver);
  }

  leftovers(): Leftovers {
    return leftoversUnder(this.dir);
  }

  /**
   * Stops every driver still running, then force-cleans the fixture (mounts, the emulator and its loop devices,
   * the directory). Returns what the machine held before the forced clean-up.
   */
  async close(): Promise<Leftovers> {
    for (const driver of [...this.drivers]) await this.stop(driver);
    return forceCleanFixture(this.dir, this.emu);
  }
}
