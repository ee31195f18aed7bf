import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EXEC_TIMEOUT_MS = 60_000;
const GIB = 1024 * 1024 * 1024;

async function exec(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await run(cmd, args, { timeout: EXEC_TIMEOUT_MS });
  return stdout.trim();
}

/** The name a KVM guest gives a virtio disk in /dev/disk/by-id: the serial is the volume id cut to 20 chars. */
export function byIdName(volumeId: string): string {
  return `virtio-${volumeId.slice(0, 20)}`;
}

/**
 * The "hypervisor" side: volumes are sparse files, attachments are loop devices with by-id links.
 * Only loop devices this instance created (and whose backing file is still ours) are ever detached.
 */
export class Hypervisor {
  /** volume id → loop device */
  private readonly loops = new Map<string, string>();
  private readonly files = new Set<string>();
  /** Per-volume queue: two servers attaching one multiattach volume at once must share one loop device. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly dataDir: string,
    readonly byIdDir: string,
  ) {}

  volumeFile(id: string): string {
    return path.join(this.dataDir, `volume-${id}`);
  }

  snapshotFile(id: string): string {
    return path.join(this.dataDir, `snapshot-${id}`);
  }

  async createVolumeFile(id: string, sizeGiB: number): Promise<void> {
    const file = this.volumeFile(id);
    this.files.add(file);
    const handle = await fs.open(file, 'w');
    try {
      await handle.truncate(sizeGiB * GIB);
    } finally {
      await handle.close();
    }
  }

  /** Files are created when a volume becomes available; a volume forced there (os-reset_status) gets one now. */
  async ensureVolumeFile(id: string, sizeGiB: number): Promise<void> {
    const missing = await fs.stat(this.volumeFile(id)).then(
      () => false,
      () => true,
    );
    if (missing) await this.createVolumeFile(id, sizeGiB);
  }

  /** Copies sparsely (holes stay holes), then grows the copy to `sizeGiB` when given. */
  async copy(src: string, dst: string, sizeGiB?: number): Promise<void> {
    this.files.add(dst);
    await exec('cp', ['--sparse=always', src, dst]);
    if (sizeGiB !== undefined) await this.growFile(dst, sizeGiB);
  }

  async growFile(file: string, sizeGiB: number): Promise<void> {
    const st = await fs.stat(file);
    if (st.size < sizeGiB * GIB) await fs.truncate(file, sizeGiB * GIB);
  }

  async removeFile(file: string): Promise<void> {
    await fs.rm(file, { force: true });
    this.files.delete(file);
  }

  loopDevice(volumeId: string): string | undefined {
    return this.loops.get(volumeId);
  }

  byIdPath(volumeId: string): string {
    return path.join(this.byIdDir, byIdName(volumeId));
  }

  private serial<T>(volumeId: string, work: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(volumeId) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.catch(() => undefined);
    this.queues.set(volumeId, tail);
    void tail.then(() => {
      if (this.queues.get(volumeId) === tail) this.queues.delete(volumeId);
    });
    return next;
  }

  /**
   * Exposes the volume as a block device: loop device + byIdDir/virtio-<id20> link. A volume without a file
   * (e.g. one forced to "available" with os-reset_status after an error) gets an empty one of its size.
   */
  attach(volumeId: string, sizeGiB: number): Promise<{ loopDevice: string; byIdPath: string }> {
    return this.serial(volumeId, () => this.attachNow(volumeId, sizeGiB));
  }

  detach(volumeId: string): Promise<void> {
    return this.serial(volumeId, () => this.detachNow(volumeId));
  }

  /** Grows the file and makes the attached loop device (if any) see the new capacity. */
  extend(volumeId: string, sizeGiB: number): Promise<void> {
    return this.serial(volumeId, () => this.extendNow(volumeId, sizeGiB));
  }

  private async attachNow(volumeId: string, sizeGiB: number): Promise<{ loopDevice: string; byIdPath: string }> {
    const existing = this.loops.get(volumeId);
    const link = this.byIdPath(volumeId);
    if (existing) return { loopDevice: existing, byIdPath: link };
    await this.ensureVolumeFile(volumeId, sizeGiB);
    const loopDevice = await exec('losetup', ['--find', '--show', this.volumeFile(volumeId)]);
    this.loops.set(volumeId, loopDevice);
    await fs.rm(link, { force: true });
    await fs.symlink(loopDevice, link);
    return { loopDevice, byIdPath: link };
  }

  private async detachNow(volumeId: string): Promise<void> {
    const loop = this.loops.get(volumeId);
    await fs.rm(this.byIdPath(volumeId), { force: true });
    if (!loop) return;
    if (await this.isOurs(loop, this.volumeFile(volumeId))) {
      await exec('losetup', ['-d', loop]);
    }
    this.loops.delete(volumeId);
  }

  private async extendNow(volumeId: string, sizeGiB: number): Promise<void> {
    await this.growFile(this.volumeFile(volumeId), sizeGiB);
    const loop = this.loops.get(volumeId);
    if (loop && (await this.isOurs(loop, this.volumeFile(volumeId)))) {
      await exec('losetup', ['-c', loop]);
    }
  }

  /** Detaches every loop device we created and deletes every file we created. */
  async cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const volumeId of [...this.loops.keys()]) {
      await this.detach(volumeId).catch((e: unknown) => errors.push(e));
    }
    for (const file of [...this.files]) {
      await this.removeFile(file).catch((e: unknown) => errors.push(e));
    }
    if (errors.length > 0) throw new Error(`hypervisor cleanup: ${errors.map(String).join('; ')}`);
  }

  /** A loop device is ours only while it is still backed by the file we attached. */
  private async isOurs(loop: string, file: string): Promise<boolean> {
    const name = path.basename(loop);
    try {
      const backing = (await fs.readFile(`/sys/block/${name}/loop/backing_file`, 'utf8')).trim();
      return path.resolve(backing) === path.resolve(await fs.realpath(file).catch(() => file));
    } catch {
      return false;
    }
  }
}
