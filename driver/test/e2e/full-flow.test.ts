import { GiB } from '../helpers/sizes';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator, type Server } from '../../test-support/emulator';
import type { VolumeCapability } from '../../src/grpc/csi-types';
import { runDriver, type DriverHandle } from '../../src/main';
import { runTool } from '../../src/mounter/run-tool';
import { connectCsi, type CsiClient } from '../helpers/csi-client';
import { LoopFixture } from '../mounter/loop-fixture';

const ZONE_KEY = 'topology.cinder.csi.openstack.org/zone';
const capability: VolumeCapability = { mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } };

let fixture: LoopFixture;
let emulator: Emulator;
let node: Server;
let driver: DriverHandle;
let csi: CsiClient;
let kubeletDir: string;

beforeAll(async () => {
  fixture = await LoopFixture.create('e2e');
  emulator = await startEmulator({ dataDir: await fixture.mkdir('cinder-data'), byIdDir: await fixture.mkdir('by-id') });
  node = emulator.addServer({ name: 'worker-1' });
  emulator.setMetadataServer(node.id);
  const cloudConf = path.join(fixture.dir, 'cloud.conf');
  await fs.writeFile(cloudConf, `${emulator.cloudConf()}\n[Metadata]\nsearch-order = metadataService\n`);
  kubeletDir = await fixture.mkdir('kubelet');
  const socket = path.join(fixture.dir, 'csi.sock');
  driver = await runDriver(
    [
      '--endpoint', `unix://${socket}`,
      '--cloud-config', cloudConf,
      '--kubelet-dir', kubeletDir,
      '--by-id-dir', emulator.byIdDir,
      '--metadata-url', emulator.metadataUrl,
    ],
    { logDestination: { write: () => undefined } },
  );
  csi = await connectCsi(socket);
});

afterAll(async () => {
  csi?.close();
  await driver?.close();
  await emulator?.close();
  const left = { mounts: await fixture.leftoverMounts(), loops: await fixture.leftoverLoops() };
  await fixture.cleanup();
  expect(left).toEqual({ mounts: [], loops: [] });
});

function paths(volumeId: string, pod: string): { staging: string; target: string } {
  return {
    staging: path.join(kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'cinder.csi.openstack.org', volumeId, 'globalmount'),
    target: path.join(kubeletDir, 'pods', pod, 'volumes', 'kubernetes.io~csi', volumeId, 'mount'),
  };
}

/** What kubelet and the attacher do to give a pod the volume; returns the pod's mount path. */
async function attachAndMount(volumeId: string, nodeId: string, pod: string): Promise<string> {
  const { publishContext } = await csi.controller.controllerPublishVolume({ volumeId, nodeId, volumeCapability: capability });
  const { staging, target } = paths(volumeId, pod);
  await csi.node.nodeStageVolume({ volumeId, publishContext, stagingTargetPath: staging, volumeCapability: capability });
  await csi.node.nodePublishVolume({ volumeId, publishContext, stagingTargetPath: staging, targetPath: target, volumeCapability: capability });
  return target;
}

async function unmountAndDetach(volumeId: string, nodeId: string, pod: string): Promise<void> {
  const { staging, target } = paths(volumeId, pod);
  await csi.node.nodeUnpublishVolume({ volumeId, targetPath: target });
  await csi.node.nodeUnstageVolume({ volumeId, stagingTargetPath: staging });
  await csi.controller.controllerUnpublishVolume({ volumeId, nodeId });
}

describe('the whole driver against the OpenStack emulator, on real loop devices', () => {
  it('keeps data written by a pod through snapshot and restore into a larger volume', async () => {
    const info = await csi.node.nodeGetInfo({});
    expect(info.nodeId).toBe(node.id);
    expect(info.accessibleTopology?.segments[ZONE_KEY]).toBe(node.availabilityZone);

    const { volume } = await csi.controller.createVolume({
      name: 'pvc-original',
      capacityRange: { requiredBytes: GiB },
      volumeCapabilities: [capability],
      accessibilityRequirements: { requisite: [{ segments: info.accessibleTopology?.segments ?? {} }] },
    });
    const original = volume?.volumeId ?? '';
    expect(original).not.toBe('');

    const target = await attachAndMount(original, info.nodeId, 'writer');
    await fs.writeFile(path.join(target, 'payload.txt'), 'written before the snapshot');
    await runTool('sync', []);
    await unmountAndDetach(original, info.nodeId, 'writer');

    const { snapshot } = await csi.controller.createSnapshot({ name: 'snap-1', sourceVolumeId: original });
    expect(snapshot?.readyToUse).toBe(true);

    const restored = await csi.controller.createVolume({
      name: 'pvc-restored',
      capacityRange: { requiredBytes: 2 * GiB },
      volumeCapabilities: [capability],
      volumeContentSource: { snapshot: { snapshotId: snapshot?.snapshotId ?? '' } },
    });
    const restoredId = restored.volume?.volumeId ?? '';
    expect(restoredId).not.toBe(original);

    const restoredTarget = await attachAndMount(restoredId, info.nodeId, 'reader');
    expect(await fs.readFile(path.join(restoredTarget, 'payload.txt'), 'utf8')).toBe('written before the snapshot');
    // Restored into a bigger volume: the filesystem was grown to it at stage.
    const stats = await csi.node.nodeGetVolumeStats({ volumeId: restoredId, volumePath: restoredTarget });
    const bytes = stats.usage.find((u) => u.unit === 'BYTES');
    expect(Number(bytes?.total)).toBeGreaterThan(1.5 * GiB);
    expect(stats.volumeCondition?.abnormal).toBe(false);
    await unmountAndDetach(restoredId, info.nodeId, 'reader');

    await csi.controller.deleteVolume({ volumeId: restoredId });
    await csi.controller.deleteSnapshot({ snapshotId: snapshot?.snapshotId ?? '' });
    await csi.controller.deleteVolume({ volumeId: original });
    expect(emulator.volumes()).toEqual([]);
    expect(await fixture.leftoverMounts()).toEqual([]);
  });

  it('gives a pod a raw block volume of the requested size, and takes it back', async () => {
    const block: VolumeCapability = { block: {}, accessMode: { mode: 'SINGLE_NODE_WRITER' } };
    const { volume } = await csi.controller.createVolume({ name: 'pvc-block', capacityRange: { requiredBytes: GiB }, volumeCapabilities: [block] });
    const volumeId = volume?.volumeId ?? '';
    const { publishContext } = await csi.controller.controllerPublishVolume({ volumeId, nodeId: node.id, volumeCapability: block });
    const staging = path.join(kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'volumeDevices', 'staging', volumeId);
    const target = path.join(kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'volumeDevices', 'publish', volumeId, 'pod-uid-1');
    await csi.node.nodeStageVolume({ volumeId, publishContext, stagingTargetPath: staging, volumeCapability: block });
    await csi.node.nodePublishVolume({ volumeId, publishContext, stagingTargetPath: staging, targetPath: target, volumeCapability: block });

    expect((await fs.stat(target)).isBlockDevice()).toBe(true);
    const { stdout } = await runTool('blockdev', ['--getsize64', target]);
    expect(Number(stdout.trim())).toBe(GiB);
    const handle = await fs.open(target, 'r+');
    try {
      await handle.write(Buffer.from('raw bytes'), 0, 9, 4096);
    } finally {
      await handle.close();
    }

    await csi.node.nodeUnpublishVolume({ volumeId, targetPath: target });
    await csi.node.nodeUnstageVolume({ volumeId, stagingTargetPath: staging });
    await csi.controller.controllerUnpublishVolume({ volumeId, nodeId: node.id });
    const file = emulator.volumes().find((v) => v.id === volumeId)?.file ?? '';
    const bytes = Buffer.alloc(9);
    const backing = await fs.open(file, 'r');
    try {
      await backing.read(bytes, 0, 9, 4096);
    } finally {
      await backing.close();
    }
    expect(bytes.toString()).toBe('raw bytes');
    await csi.controller.deleteVolume({ volumeId });
    await expect(fs.stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('grows a published xfs volume online: ControllerExpandVolume, then NodeExpandVolume', async () => {
    const xfs: VolumeCapability = { mount: { fsType: 'xfs' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } };
    const { volume } = await csi.controller.createVolume({ name: 'pvc-grow', capacityRange: { requiredBytes: GiB }, volumeCapabilities: [xfs] });
    const volumeId = volume?.volumeId ?? '';
    const { publishContext } = await csi.controller.controllerPublishVolume({ volumeId, nodeId: node.id, volumeCapability: xfs });
    const { staging, target } = paths(volumeId, 'grower');
    await csi.node.nodeStageVolume({ volumeId, publishContext, stagingTargetPath: staging, volumeCapability: xfs });
    await csi.node.nodePublishVolume({ volumeId, publishContext, stagingTargetPath: staging, targetPath: target, volumeCapability: xfs });
    await fs.writeFile(path.join(target, 'before-growth'), 'kept');

    const expanded = await csi.controller.controllerExpandVolume({ volumeId, capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: xfs });
    expect(expanded.nodeExpansionRequired).toBe(true);
    const grown = await csi.node.nodeExpandVolume({
      volumeId,
      volumePath: target,
      stagingTargetPath: staging,
      capacityRange: { requiredBytes: 2 * GiB },
      volumeCapability: xfs,
    });
    expect(Number(grown.capacityBytes)).toBe(2 * GiB);
    const stats = await csi.node.nodeGetVolumeStats({ volumeId, volumePath: target });
    expect(Number(stats.usage.find((u) => u.unit === 'BYTES')?.total)).toBeGreaterThan(1.9 * GiB);
    expect(await fs.readFile(path.join(target, 'before-growth'), 'utf8')).toBe('kept');

    await unmountAndDetach(volumeId, node.id, 'grower');
    await csi.controller.deleteVolume({ volumeId });
  });
});
