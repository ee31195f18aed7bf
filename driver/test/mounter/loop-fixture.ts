import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTool } from '../../src/mounter/run-tool';

export interface LoopDevice {
  readonly file: string;
  readonly device: string;
}

interface LosetupRow {
  name: string;
  'back-file': string | null;
}

/**
 * Real loop devices over sparse files in a private temp dir. cleanup() removes every mount under that dir and
 * every loop device backed by a file in it, whatever state a failed test left them in.
 */
export class LoopFixture {
  private constructor(readonly dir: string) {}

  static async create(prefix: string): Promise<LoopFixture> {
    // realpath: /tmp may be a symlink and the mount table spells the real path.
    const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), `cinder-csi-${prefix}-`)));
    return new LoopFixture(dir);
  }

  async attach(sizeBytes: number, name = `disk-${Math.random().toString(36).slice(2, 8)}`): Promise<LoopDevice> {
    const file = path.join(this.dir, `${name}.img`);
    await fs.writeFile(file, '');
    await fs.truncate(file, sizeBytes);
    const { stdout } = await runTool('losetup', ['--find', '--show', file]);
    return { file, device: stdout.trim() };
  }

  /** Grows the backing file and tells the loop driver, as a cloud does when it extends an attached volume. */
  async grow(loop: LoopDevice, sizeBytes: number): Promise<void> {
    await fs.truncate(loop.file, sizeBytes);
    await runTool('losetup', ['--set-capacity', loop.device]);
  }

  /**
   * Writes a DOS (MBR) partition table with one Linux partition covering the device and nothing else, which is
   * how a disk partitioned by hand but never formatted looks.
   */
  async writePartitionTable(loop: LoopDevice, sizeBytes: number): Promise<void> {
    const mbr = Buffer.alloc(512);
    const entry = 446;
    mbr[entry + 4] = 0x83; // Linux
    mbr.writeUInt32LE(2048, entry + 8); // first sector
    mbr.writeUInt32LE(sizeBytes / 512 - 2048, entry + 12); // sectors
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    const handle = await fs.open(loop.device, 'r+');
    try {
      await handle.write(mbr, 0, 512, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async mkdir(...parts: string[]): Promise<string> {
    const dir = path.join(this.dir, ...parts);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  /** Mounts whose target lies in this fixture's dir. */
  async leftoverMounts(): Promise<string[]> {
    const { stdout } = await runTool('findmnt', ['--list', '--noheadings', '--output', 'TARGET']);
    return stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((t) => t === this.dir || t.startsWith(this.dir + path.sep));
  }

  /** Loop devices backed by a file in this fixture's dir. */
  async leftoverLoops(): Promise<string[]> {
    const { stdout } = await runTool('losetup', ['--list', '--json', '--output', 'NAME,BACK-FILE']);
    if (stdout.trim() === '') return [];
    const rows = (JSON.parse(stdout) as { loopdevices: LosetupRow[] }).loopdevices;
    return rows
      .filter((r) => (r['back-file'] ?? '').replace(/ \(deleted\)$/, '').startsWith(this.dir + path.sep))
      .map((r) => r.name);
  }

  async cleanup(): Promise<void> {
    // Deepest first so that stacked and nested mounts come off in order.
    for (let round = 0; round < 8; round++) {
      const mounts = await this.leftoverMounts();
      if (mounts.length === 0) break;
      for (const target of mounts.reverse()) {
        await runTool('umount', [target]).catch(() => runTool('umount', ['--lazy', target]).catch(() => undefined));
      }
    }
    for (const loop of await this.leftoverLoops()) {
      await runTool('losetup', ['--detach', loop]).catch(() => undefined);
    }
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
