import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { VolumeCapability } from '../../src/grpc/csi-types';
import type { DriverUnderTest } from './driver-under-test';
import { type Cleanup, createVolume, GiB } from './spec-support';

/** A volume created and controller-published to this machine, as the CO hands it to the node plugin. */
export interface AttachedVolume {
  readonly volumeId: string;
  readonly publishContext: Record<string, string>;
  readonly volumeContext: Record<string, string>;
}

/**
 * The CO's side of the node lifecycle: it remembers what it staged and published, so that after a test (passed or
 * failed) everything is unpublished and unstaged before the controller detaches and deletes — the order the spec
 * requires of a CO (NodeUnpublish before NodeUnstage before ControllerUnpublish).
 */
export class NodeBookkeeping {
  private readonly published: Array<{ volumeId: string; targetPath: string }> = [];
  private readonly staged: Array<{ volumeId: string; stagingTargetPath: string }> = [];

  constructor(
    private readonly driver: () => DriverUnderTest,
    private readonly cleanup: Cleanup,
  ) {}

  /** CreateVolume + ControllerPublishVolume to the node id NodeGetInfo reports. */
  async attach(capability: VolumeCapability, requiredBytes = GiB): Promise<AttachedVolume> {
    const d = this.driver();
    const volume = await createVolume(d, this.cleanup, { capability, requiredBytes });
    const nodeId = (await d.node.nodeGetInfo({})).nodeId;
    const res = await d.controller.controllerPublishVolume({
      volumeId: volume.volumeId,
      nodeId,
      volumeCapability: capability,
      readonly: false,
      volumeContext: volume.volumeContext,
    });
    return { volumeId: volume.volumeId, publishContext: res.publishContext, volumeContext: volume.volumeContext };
  }

  async stage(volume: AttachedVolume, capability: VolumeCapability, stagingTargetPath?: string): Promise<string> {
    const d = this.driver();
    const staging = stagingTargetPath ?? (await d.stagingPath(volume.volumeId));
    this.staged.push({ volumeId: volume.volumeId, stagingTargetPath: staging });
    await d.node.nodeStageVolume({
      volumeId: volume.volumeId,
      publishContext: volume.publishContext,
      volumeContext: volume.volumeContext,
      stagingTargetPath: staging,
      volumeCapability: capability,
    });
    return staging;
  }

  async publish(volume: AttachedVolume, capability: VolumeCapability, staging: string, targetPath?: string, readonly = false): Promise<string> {
    const d = this.driver();
    const target = targetPath ?? (await d.targetPath(volume.volumeId));
    this.published.push({ volumeId: volume.volumeId, targetPath: target });
    await d.node.nodePublishVolume({
      volumeId: volume.volumeId,
      publishContext: volume.publishContext,
      volumeContext: volume.volumeContext,
      stagingTargetPath: staging,
      targetPath: target,
      volumeCapability: capability,
      readonly,
    });
    return target;
  }

  /** Remember a target/staging path a test published or staged by hand, so it is undone afterwards too. */
  track(entry: { volumeId: string; targetPath?: string; stagingTargetPath?: string }): void {
    if (entry.targetPath) this.published.push({ volumeId: entry.volumeId, targetPath: entry.targetPath });
    if (entry.stagingTargetPath) this.staged.push({ volumeId: entry.volumeId, stagingTargetPath: entry.stagingTargetPath });
  }

  async run(): Promise<void> {
    const d = this.driver();
    const errors: string[] = [];
    for (const p of this.published.splice(0).reverse()) {
      await d.node.nodeUnpublishVolume(p).catch((e: Error) => errors.push(`NodeUnpublishVolume ${p.targetPath}: ${e.message}`));
    }
    for (const s of this.staged.splice(0).reverse()) {
      await d.node.nodeUnstageVolume(s).catch((e: Error) => errors.push(`NodeUnstageVolume ${s.stagingTargetPath}: ${e.message}`));
    }
    try {
      await this.cleanup.run();
    } catch (e) {
      errors.push((e as Error).message);
    }
    if (errors.length > 0) throw new Error(`node clean-up failed:\n${errors.join('\n')}`);
  }
}

export { exists } from '../helpers/fs';

/** Kubelet's raw block layout: volumeDevices/staging/<pv> and volumeDevices/publish/<pv>/<pod uid>. */
export async function blockPaths(driver: DriverUnderTest, volumeId: string): Promise<{ staging: string; target: string }> {
  const base = path.join(driver.kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'volumeDevices');
  const staging = path.join(base, 'staging', volumeId);
  const publishDir = path.join(base, 'publish', volumeId);
  await fs.mkdir(staging, { recursive: true });
  await fs.mkdir(publishDir, { recursive: true });
  return { staging, target: path.join(publishDir, 'pod-uid-1') };
}
