import { promises as fs } from 'node:fs';
import type { CallContext } from '../grpc/call-context';
import { failedPrecondition, notFound } from '../grpc/errors';
import { CAP_SYS_RESOURCE, hasCapability } from '../mounter/capabilities';
import { isSupportedFsType, type Mounter, type MountEntry } from '../mounter/mounter';
import { ToolError } from '../mounter/run-tool';
import type { DeviceFinder } from './device-finder';
import { sameDevice } from './paths';

export interface ExpandParams {
  readonly volumeId: string;
  readonly volumePath: string;
  /** 0 when the caller did not say. */
  readonly requiredBytes: number;
  /** The request's staging_target_path, when given: xfs grows there when volume_path is a read-only bind. */
  readonly stagingPath?: string;
  readonly rescan: boolean;
}

/** NodeExpandVolume: after the cloud grew the volume, grow the filesystem on it (block volumes need nothing). */
export class VolumeExpander {
  constructor(
    private readonly mounter: Mounter,
    private readonly devices: DeviceFinder,
  ) {}

  /** Returns the volume's capacity in bytes after growing. */
  async expand(params: ExpandParams, ctx: CallContext): Promise<number> {
    let stat;
    try {
      stat = await fs.stat(params.volumePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw notFound(`volume_path ${params.volumePath} does not exist`);
      }
      throw error;
    }
    const device = await this.devices.find(params.volumeId, ctx);
    if (params.rescan) await this.mounter.rescanDevice(device);
    const deviceBytes = await this.mounter.deviceSize(device);
    if (params.requiredBytes > deviceBytes) {
      throw failedPrecondition(
        `the device of volume ${params.volumeId} has ${deviceBytes} bytes, less than the ${params.requiredBytes} ` +
          `requested: the cloud-side expansion is not visible on this node yet`,
      );
    }
    if (stat.isBlockDevice()) return deviceBytes;

    const mount = await this.mounter.findMount(params.volumePath);
    if (!mount) throw failedPrecondition(`nothing is mounted at volume_path ${params.volumePath}`);
    if (!(await sameDevice(mount.source, device))) {
      throw failedPrecondition(`volume_path ${params.volumePath} holds ${mount.source}, not volume ${params.volumeId}`);
    }
    if (!isSupportedFsType(mount.fsType)) {
      throw failedPrecondition(`cannot grow a ${mount.fsType} filesystem (volume ${params.volumeId})`);
    }
    const fsBytes = await this.mounter.filesystemSize(device, params.volumePath, mount.fsType);
    if (fsBytes >= deviceBytes) return deviceBytes;

    const growAt = await this.writablePath(params, mount, device);
    ctx.log.info({ volumeId: params.volumeId, device, deviceBytes, fsBytes }, 'growing filesystem');
    try {
      await this.mounter.growFilesystem(device, growAt, mount.fsType);
    } catch (error) {
      if (mount.fsType !== 'xfs' && error instanceof ToolError && !(await hasCapability(CAP_SYS_RESOURCE))) {
        throw failedPrecondition(
          `growing the mounted ${mount.fsType} filesystem of volume ${params.volumeId} needs CAP_SYS_RESOURCE, ` +
            `which this node plugin lacks (run it privileged); it will grow the next time it is staged`,
        );
      }
      throw error;
    }
    return deviceBytes;
  }

  /**
   * Where the filesystem can grow: volume_path itself unless it is mounted read-only. A read-only publish (a
   * read-only bind of a read-write staging mount) cannot take xfs_growfs, but the staging path can; ext4 grows
   * through the device. A filesystem mounted read-only as a whole cannot grow at all: FAILED_PRECONDITION, since
   * it grows at the next read-write stage.
   */
  private async writablePath(params: ExpandParams, mount: MountEntry, device: string): Promise<string> {
    const cannot = (why: string): Error => failedPrecondition(`volume ${params.volumeId}: cannot grow its filesystem ${why}`);
    if (mount.fsOptions.includes('ro')) throw cannot(`while it is mounted read-only (volume_path ${params.volumePath}); it grows when staged read-write`);
    if (!mount.vfsOptions.includes('ro') || mount.fsType !== 'xfs') return params.volumePath;
    const staged = params.stagingPath ? await this.mounter.findMount(params.stagingPath) : undefined;
    if (staged && !staged.vfsOptions.includes('ro') && (await sameDevice(staged.source, device))) return params.stagingPath as string;
    throw cannot(`at read-only volume_path ${params.volumePath} without a read-write staging_target_path`);
  }
}
