import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { notFound } from '../grpc/errors';
import type { Mounter } from '../mounter/mounter';
import { sleep, throwIfAborted } from '../grpc/call-abort';

/**
 * The names udev gives a Cinder volume's disk under /dev/disk/by-id. virtio-blk serials hold only 20 characters,
 * hence the truncated forms; virtio-scsi (QEMU) exposes the id in the SCSI serial; some backends expose a WWN.
 */
export function deviceLinkNames(volumeId: string): string[] {
  const short = volumeId.slice(0, 20);
  return [
    `virtio-${short}`,
    `virtio-${volumeId}`,
    `scsi-0QEMU_QEMU_HARDDISK_${short}`,
    `scsi-0QEMU_QEMU_HARDDISK_${volumeId}`,
    `wwn-0x${volumeId.replace(/-/g, '')}`,
  ].filter((name, i, all) => all.indexOf(name) === i);
}

export interface DeviceFinderOptions {
  readonly byIdDir: string;
  readonly waitTimeoutMs: number;
  readonly waitIntervalMs: number;
}

export interface WaitContext {
  readonly signal?: AbortSignal;
  /** Epoch ms after which waiting is pointless because the caller has given up. */
  readonly deadline?: number;
}

/** Finds the block device of an attached Cinder volume by its stable by-id links, never by the API's /dev/vdX. */
export class DeviceFinder {
  constructor(
    private readonly mounter: Mounter,
    private readonly options: DeviceFinderOptions,
  ) {}

  /** Where the volume links are looked for. */
  get byIdDir(): string {
    return this.options.byIdDir;
  }

  /** The device node (links resolved) if one of the volume's links points at a block device right now. */
  async findNow(volumeId: string): Promise<string | undefined> {
    for (const name of deviceLinkNames(volumeId)) {
      const link = path.join(this.options.byIdDir, name);
      try {
        const device = await fs.realpath(link);
        if ((await fs.stat(device)).isBlockDevice()) return device;
      } catch {
        // missing or dangling link: try the next name
      }
    }
    return undefined;
  }

  /**
   * Waits (bounded by the configured timeout and the caller's deadline and cancellation) for the device, asking
   * SCSI hosts to rescan and udev to settle between looks. NOT_FOUND when it never shows up.
   */
  async find(volumeId: string, ctx: WaitContext = {}): Promise<string> {
    const giveUpAt = Date.now() + this.options.waitTimeoutMs;
    // Replaying events touches every block device on the node; once per wait is enough to recover a lost event.
    let triggered = false;
    for (;;) {
      throwIfAborted(ctx.signal, ctx.deadline, `waiting for the device of volume ${volumeId}`);
      const device = await this.findNow(volumeId);
      if (device) return device;
      const remaining = giveUpAt - Date.now();
      if (remaining <= 0) break;
      await this.mounter.rescanScsiHosts();
      await this.mounter.settleUdev(!triggered);
      triggered = true;
      const again = await this.findNow(volumeId);
      if (again) return again;
      await sleep(Math.min(this.options.waitIntervalMs, Math.max(0, giveUpAt - Date.now())), ctx.signal, ctx.deadline);
    }
    throw notFound(
      `no device for volume ${volumeId} appeared in ${this.options.byIdDir} within ${this.options.waitTimeoutMs} ms ` +
        `(looked for ${deviceLinkNames(volumeId).join(', ')}); is the volume attached to this node?`,
    );
  }
}
