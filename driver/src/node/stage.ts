import { promises as fs } from 'node:fs';
import type { CallContext } from '../grpc/call-context';
import { alreadyExists, failedPrecondition, notFound } from '../grpc/errors';
import type { DeviceContents, Mounter, SupportedFsType } from '../mounter/mounter';
import type { DeviceFinder } from './device-finder';
import { isBrokenMount, removeMountPoint, sameDevice } from './paths';
import type { VolumeAccess } from '../grpc/request-validation';

export interface StageParams {
  readonly volumeId: string;
  readonly stagingPath: string;
  readonly access: VolumeAccess;
}

/** NodeStageVolume / NodeUnstageVolume: make an attached device's filesystem available at the staging path. */
export class VolumeStager {
  constructor(
    private readonly mounter: Mounter,
    private readonly devices: DeviceFinder,
  ) {}

  async stage(params: StageParams, ctx: CallContext): Promise<void> {
    const device = await this.devices.find(params.volumeId, ctx);
    // Block volumes are bound straight from the device at publish time; finding the device is all staging means.
    if (params.access.kind === 'block') return;
    try {
      await this.stageFilesystem(params, device, ctx);
    } catch (error) {
      throw await this.explainVanishedDevice(params.volumeId, device, error);
    }
  }

  /**
   * A tool that fails because the device went away under it (a detach while staging) says so only as "exit code
   * 32", and blkid may see the vanished device as holding nothing or garbage; so after any failure the device is
   * looked up again. When it is gone, the answer is the spec's NOT_FOUND naming what happened, which the CO
   * retries once the volume is attached again. Otherwise the failure keeps its own error.
   */
  private async explainVanishedDevice(volumeId: string, device: string, error: unknown): Promise<unknown> {
    const now = await this.devices.findNow(volumeId);
    if (now !== undefined && (await sameDevice(now, device))) return error;
    return notFound(
      `volume ${volumeId} does not exist on this node any more: its device ${device} disappeared while it was being ` +
        `staged (detached?); attach it again (ControllerPublishVolume) and retry. Staging stopped at: ${(error as Error).message}`,
    );
  }

  private async stageFilesystem(params: StageParams, device: string, ctx: CallContext): Promise<void> {
    const { access } = params;
    if (access.kind === 'block') return;

    const wantReadOnly = access.readOnlyMode || access.mountFlags.includes('ro');
    let existing = await this.mounter.findMount(params.stagingPath);
    if (existing && (await isBrokenMount(params.stagingPath))) {
      // A crash or a lost device left a dead mount behind; clear it and stage afresh.
      ctx.log.warn({ volumeId: params.volumeId }, 'replacing a broken staging mount');
      await this.mounter.unmount(params.stagingPath);
      existing = undefined;
    }
    if (existing) {
      const sameWay = existing.fsType === access.fsType && existing.vfsOptions.includes('ro') === wantReadOnly;
      if (sameWay && (await sameDevice(existing.source, device))) {
        ctx.log.info({ volumeId: params.volumeId }, 'volume already staged');
        return;
      }
      throw alreadyExists(
        `staging_target_path ${params.stagingPath} already has ${existing.source} (${existing.fsType}) mounted, ` +
          `not volume ${params.volumeId} as ${access.fsType} ${wantReadOnly ? 'read-only' : 'read-write'}`,
      );
    }

    const formatted = await this.prepareFilesystem(params.volumeId, device, access.fsType, !wantReadOnly, ctx);
    await fs.mkdir(params.stagingPath, { recursive: true });
    const options = access.readOnlyMode ? ['ro', ...access.mountFlags] : [...access.mountFlags];
    await this.mounter.mount(device, params.stagingPath, access.fsType, options);
    // A filesystem made a moment ago fills its device; only an existing one (restored from a smaller snapshot) may not.
    if (access.fsType === 'xfs' && !wantReadOnly && !formatted) {
      await this.growXfsIfSmaller(params.volumeId, device, params.stagingPath, ctx);
    }
    ctx.log.info({ volumeId: params.volumeId, device, fsType: access.fsType }, 'volume staged');
  }

  /**
   * Formats a blank device (and says true); otherwise insists the device already holds the requested filesystem.
   * Never formats over anything blkid recognises: a wrong fsType in a StorageClass must not destroy data.
   */
  private async prepareFilesystem(
    volumeId: string,
    device: string,
    fsType: SupportedFsType,
    writable: boolean,
    ctx: CallContext,
  ): Promise<boolean> {
    const contents = await this.mounter.probeDevice(device);
    if (contents.kind === 'blank') {
      ctx.log.info({ volumeId, device, fsType }, 'formatting blank device');
      // Deliberately not cancellable: a half-written filesystem would later look like data and never be formatted.
      await this.mounter.format(device, fsType);
      return true;
    }
    if (contents.kind !== 'filesystem' || contents.fsType !== fsType) {
      throw failedPrecondition(
        `volume ${volumeId} (${device}) ${describe(contents)}, but ${fsType} was requested; ` +
          `it was not formatted and its data is untouched`,
      );
    }
    // A volume restored from a smaller snapshot: grow ext before mounting, where no CAP_SYS_RESOURCE is needed.
    if (fsType !== 'xfs' && writable) {
      const [deviceBytes, fsBytes] = await Promise.all([
        this.mounter.deviceSize(device),
        this.mounter.filesystemSize(device, undefined, fsType),
      ]);
      if (deviceBytes > fsBytes) {
        if (await this.mountedAnywhere(device)) {
          // Mounted elsewhere on this node (staged at another path): resize2fs would grow it online, which needs
          // CAP_SYS_RESOURCE; NodeExpandVolume grows it through that mount instead. The new mount shares its superblock.
          ctx.log.info({ volumeId, device, deviceBytes, fsBytes }, 'filesystem smaller than its device but mounted elsewhere; not grown here');
          return false;
        }
        ctx.log.info({ volumeId, device, deviceBytes, fsBytes }, 'growing filesystem to the device size');
        await this.mounter.growUnmountedFilesystem(device, fsType);
      }
    }
    return false;
  }

  /** Whether the device's filesystem is mounted anywhere on this node (one read of the mount table). */
  private async mountedAnywhere(device: string): Promise<boolean> {
    const sources = new Set((await this.mounter.listMounts()).map((m) => m.source).filter((source) => source.startsWith('/')));
    for (const source of sources) {
      if (await sameDevice(source, device)) return true;
    }
    return false;
  }

  private async growXfsIfSmaller(volumeId: string, device: string, mountPath: string, ctx: CallContext): Promise<void> {
    const [deviceBytes, fsBytes] = await Promise.all([
      this.mounter.deviceSize(device),
      this.mounter.filesystemSize(device, mountPath, 'xfs'),
    ]);
    if (deviceBytes > fsBytes) {
      ctx.log.info({ volumeId, device, deviceBytes, fsBytes }, 'growing filesystem to the device size');
      await this.mounter.growFilesystem(device, mountPath, 'xfs');
    }
  }

  /**
   * Unmounts the staging path (whatever state a crash left it in) and removes the directory if empty. A directory
   * with nothing mounted but files in it is not this volume (the unmount checked): the volume is not staged there,
   * which the spec answers OK, and the files are left alone with a warning.
   */
  async unstage(volumeId: string, stagingPath: string, ctx: CallContext): Promise<void> {
    await this.mounter.unmount(stagingPath);
    if (!(await removeMountPoint(stagingPath))) {
      ctx.log.warn({ volumeId, stagingPath }, 'staging_target_path is not mounted but holds files; left in place, not deleted');
    }
    ctx.log.info({ volumeId }, 'volume unstaged');
  }
}

function describe(contents: DeviceContents): string {
  switch (contents.kind) {
    case 'filesystem':
      return `holds a ${contents.fsType} filesystem`;
    case 'partition-table':
      return `holds a ${contents.partitionTableType} partition table`;
    case 'unrecognised':
      return `holds data (${contents.detail})`;
    default:
      return 'is blank';
  }
}
