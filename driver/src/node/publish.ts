import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CallContext } from '../grpc/call-context';
import { alreadyExists, failedPrecondition, notFound } from '../grpc/errors';
import { canonicalMountPath, topMountAt } from '../mounter/mount-table';
import type { Mounter, MountEntry } from '../mounter/mounter';
import { deviceLinkNames, type DeviceFinder } from './device-finder';
import { isBrokenMount, removeMountPoint, sameDevice, statIfExists } from './paths';
import { PublishTargets } from './publish-targets';
import type { VolumeAccess } from '../grpc/request-validation';

export interface PublishParams {
  readonly volumeId: string;
  readonly stagingPath: string;
  readonly targetPath: string;
  readonly access: VolumeAccess;
  readonly readOnly: boolean;
}

/** NodePublishVolume / NodeUnpublishVolume: bind the staged volume (or the raw device) into a pod's directory. */
export class VolumePublisher {
  private readonly targets: PublishTargets;

  constructor(
    private readonly mounter: Mounter,
    private readonly devices: DeviceFinder,
    kubeletDir: string,
  ) {
    this.targets = new PublishTargets(kubeletDir);
  }

  async publish(params: PublishParams, ctx: CallContext): Promise<void> {
    const readOnly = params.readOnly || params.access.readOnlyMode;
    const device = await this.attachedDevice(params.volumeId);
    // One read of the mount table answers every question below (staged? already published? published elsewhere?).
    const table = await this.mounter.listMounts();
    if (params.access.kind === 'block') {
      await this.publishBlock(params, device, readOnly, table, ctx);
    } else {
      await this.publishFilesystem(params, device, readOnly, table, ctx);
    }
    ctx.log.info({ volumeId: params.volumeId, readOnly }, 'volume published');
  }

  /**
   * The volume's device, looked up once without waiting: NodeStageVolume already waited for it, so a volume
   * without one here does not exist on this node (never attached, or detached since) and the spec's answer is
   * NOT_FOUND, whatever the staging path holds.
   */
  private async attachedDevice(volumeId: string): Promise<string> {
    const device = await this.devices.findNow(volumeId);
    if (device) return device;
    throw notFound(
      `volume ${volumeId} does not exist on this node: no device for it in ${this.devices.byIdDir} ` +
        `(looked for ${deviceLinkNames(volumeId).join(', ')}); is it attached here (ControllerPublishVolume)?`,
    );
  }

  private async publishFilesystem(
    params: PublishParams,
    device: string,
    readOnly: boolean,
    table: readonly MountEntry[],
    ctx: CallContext,
  ): Promise<void> {
    const staged = topMountAt(table, await canonicalMountPath(params.stagingPath));
    if (!staged || (await isBrokenMount(params.stagingPath))) {
      throw failedPrecondition(
        `volume ${params.volumeId} is attached (${device}) but not staged at staging_target_path ${params.stagingPath}` +
          `${staged ? ' (the mount there no longer answers)' : ''}; call NodeStageVolume first`,
      );
    }
    // Binding whatever happens to be mounted there would hand the pod another volume's data.
    if (!(await sameDevice(staged.source, device))) {
      throw failedPrecondition(
        `staging_target_path ${params.stagingPath} holds ${staged.source}, not volume ${params.volumeId} (${device})`,
      );
    }
    if (await this.keepExisting(params, readOnly, table, (m) => m.majMin === staged.majMin && m.fsRoot === staged.fsRoot, ctx)) {
      return;
    }
    if (params.access.singleTarget) {
      this.refuseSecondTarget(params, await this.targets.ofFilesystem(staged, params.targetPath, table));
    }
    await fs.mkdir(params.targetPath, { recursive: true });
    await this.mounter.bindMount(params.stagingPath, params.targetPath, readOnly);
  }

  private async publishBlock(
    params: PublishParams,
    device: string,
    readOnly: boolean,
    table: readonly MountEntry[],
    ctx: CallContext,
  ): Promise<void> {
    if (await this.keepExisting(params, readOnly, table, () => sameDevice(params.targetPath, device), ctx)) return;
    if (params.access.singleTarget) {
      this.refuseSecondTarget(params, await this.targets.ofDevice(device, params.targetPath, table));
    }
    await fs.mkdir(path.dirname(params.targetPath), { recursive: true });
    const existing = await statIfExists(params.targetPath);
    // The device is bound onto a file; an empty directory there (some COs pre-create one) is replaced.
    if (existing?.isDirectory()) await fs.rmdir(params.targetPath);
    if (!existing?.isFile()) await fs.writeFile(params.targetPath, '', { flag: 'a' });
    await this.mounter.bindMount(device, params.targetPath, readOnly);
  }

  /**
   * SINGLE_NODE_SINGLE_WRITER: "can only be published once as read/write on a single node, at any given time";
   * the spec's second NodePublishVolume table (for plugins with SINGLE_NODE_MULTI_WRITER) answers any other
   * target_path with FAILED_PRECONDITION, read-only or not. Repeats at the same target never get here.
   */
  private refuseSecondTarget(params: PublishParams, others: readonly string[]): void {
    if (others.length === 0) return;
    throw failedPrecondition(
      `volume ${params.volumeId} has access mode SINGLE_NODE_SINGLE_WRITER and is already published at ` +
        `${others.join(', ')}; it cannot also be published at target_path ${params.targetPath} until that is ` +
        `unpublished (use SINGLE_NODE_MULTI_WRITER for several targets on one node)`,
    );
  }

  /**
   * True when the target already has this volume published the same way (the call is a retry); ALREADY_EXISTS
   * when something else or the same volume with different read-only-ness is there. A broken mount is cleared.
   */
  private async keepExisting(
    params: PublishParams,
    readOnly: boolean,
    table: readonly MountEntry[],
    isThisVolume: (mount: { majMin: string; fsRoot: string }) => boolean | Promise<boolean>,
    ctx: CallContext,
  ): Promise<boolean> {
    const existing = topMountAt(table, await canonicalMountPath(params.targetPath));
    if (!existing) return false;
    if (await isBrokenMount(params.targetPath)) {
      ctx.log.warn({ volumeId: params.volumeId }, 'replacing a broken publish mount');
      await this.mounter.unmount(params.targetPath);
      return false;
    }
    const existingReadOnly = existing.vfsOptions.includes('ro');
    if ((await isThisVolume(existing)) && existingReadOnly === readOnly) return true;
    throw alreadyExists(
      `target_path ${params.targetPath} already has ${(await isThisVolume(existing)) ? `volume ${params.volumeId}` : existing.source} ` +
        `published ${existingReadOnly ? 'read-only' : 'read-write'}, incompatible with this request`,
    );
  }

  /**
   * Unmounts the target, whatever state a crash left it in, and removes the directory or file. A directory with
   * nothing mounted but files in it does not hold this volume: OK (the spec's answer for a volume not published
   * there), the files left alone with a warning.
   */
  async unpublish(volumeId: string, targetPath: string, ctx: CallContext): Promise<void> {
    await this.mounter.unmount(targetPath);
    if (!(await removeMountPoint(targetPath))) {
      ctx.log.warn({ volumeId, targetPath }, 'target_path is not mounted but holds files; left in place, not deleted');
    }
    ctx.log.info({ volumeId }, 'volume unpublished');
  }
}
