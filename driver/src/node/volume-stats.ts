import { promises as fs } from 'node:fs';
import { notFound } from '../grpc/errors';
import type { NodeGetVolumeStatsResponse, VolumeUsage } from '../grpc/services';
import type { Mounter } from '../mounter/mounter';
import { isCorruptMountError } from '../mounter/mount-table';

/** NodeGetVolumeStats: usage of a published or staged volume, and whether it still works. */
export class VolumeStatsReader {
  constructor(private readonly mounter: Mounter) {}

  async read(volumeId: string, volumePath: string): Promise<NodeGetVolumeStatsResponse> {
    let stat;
    try {
      stat = await fs.stat(volumePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw notFound(`volume_path ${volumePath} does not exist (volume ${volumeId} is not published there)`);
      }
      if (isCorruptMountError(error)) {
        return abnormal(`the mount at ${volumePath} is broken (${(error as NodeJS.ErrnoException).code})`);
      }
      throw error;
    }

    if (stat.isBlockDevice()) {
      const total = await this.mounter.deviceSize(volumePath);
      return { usage: [{ unit: 'BYTES', total }], volumeCondition: { abnormal: false, message: 'block device present' } };
    }

    const mount = await this.mounter.findMount(volumePath);
    if (!mount) {
      // Also what a lazy unmount leaves behind: the directory lives on, the volume is no longer behind it.
      return abnormal(`nothing is mounted at ${volumePath}; volume ${volumeId} is no longer available there`);
    }
    const usage = await this.usage(volumePath);
    // The kernel makes the superblock read-only after an error (errors=remount-ro; shown as "ro", or as
    // "emergency_ro" by newer kernels) while the mount itself stays read-write; a read-only publish is the reverse
    // (mount ro, superblock rw), which is normal.
    const forcedReadOnly = mount.fsOptions.includes('ro') || mount.fsOptions.includes('emergency_ro');
    if (forcedReadOnly && !mount.vfsOptions.includes('ro')) {
      return {
        usage,
        volumeCondition: {
          abnormal: true,
          message: `the ${mount.fsType} filesystem of volume ${volumeId} turned read-only (after an I/O error?)`,
        },
      };
    }
    return { usage, volumeCondition: { abnormal: false, message: 'volume is mounted and healthy' } };
  }

  private async usage(volumePath: string): Promise<VolumeUsage[]> {
    const s = await this.mounter.filesystemStats(volumePath);
    return [
      { unit: 'BYTES', total: s.totalBytes, used: s.usedBytes, available: s.availableBytes },
      { unit: 'INODES', total: s.totalInodes, used: s.usedInodes, available: s.freeInodes },
    ];
  }
}

function abnormal(message: string): NodeGetVolumeStatsResponse {
  return { usage: [], volumeCondition: { abnormal: true, message } };
}
