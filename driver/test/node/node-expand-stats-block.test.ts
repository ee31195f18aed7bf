import { status } from '@grpc/grpc-js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CAP_SYS_RESOURCE, hasCapability } from '../../src/mounter/capabilities';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import { runTool } from '../../src/mounter/run-tool';
import { blockPublishDir } from '../../src/grpc/request-validation';
import { blockCapability, codeOf, MiB, mountCapability, NodeHarness } from './node-harness';

let h: NodeHarness;
const mounter = new LinuxMounter();

beforeAll(async () => {
  h = await NodeHarness.start('node-xsb');
});

afterAll(async () => {
  const leftovers = await h.close();
  expect(leftovers).toEqual({ mounts: [], loops: [] });
});

async function stageAndPublish(volumeId: string, fsType: string, mountFlags: string[] = []): Promise<string> {
  const volumeCapability = mountCapability('SINGLE_NODE_WRITER', fsType, mountFlags);
  await h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability });
  const targetPath = h.targetPath(volumeId);
  await h.node.nodePublishVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), targetPath, volumeCapability });
  return targetPath;
}

async function unpublishAndUnstage(volumeId: string): Promise<void> {
  await h.node.nodeUnpublishVolume({ volumeId, targetPath: h.targetPath(volumeId) });
  await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
}

async function dfTotalBytes(target: string): Promise<number> {
  const { stdout } = await runTool('df', ['--block-size=1', '--output=size', target]);
  return Number(stdout.trim().split('\n')[1]);
}

describe('NodeExpandVolume', () => {
  it('grows a published xfs filesystem to the grown device', async () => {
    const { volumeId, loop } = await h.attachVolume(320 * MiB);
    const target = await stageAndPublish(volumeId, 'xfs');
    const before = await dfTotalBytes(target);
    await h.fixture.grow(loop, 640 * MiB);
    const res = await h.node.nodeExpandVolume({ volumeId, volumePath: target, capacityRange: { requiredBytes: 640 * MiB } });
    expect(Number(res.capacityBytes)).toBe(640 * MiB);
    const after = await dfTotalBytes(target);
    expect(after).toBeGreaterThan(before + 300 * MiB);
    // Repeating it is harmless and gives the same answer.
    expect(Number((await h.node.nodeExpandVolume({ volumeId, volumePath: target })).capacityBytes)).toBe(640 * MiB);
    await unpublishAndUnstage(volumeId);
  });

  // Found by the fuzz suite: xfs_growfs on a read-only publish failed with EROFS and answered INTERNAL.
  it('grows xfs published read-only through the staging path; without one it is FAILED_PRECONDITION saying why', async () => {
    const { volumeId, loop } = await h.attachVolume(320 * MiB);
    const volumeCapability = mountCapability('SINGLE_NODE_WRITER', 'xfs');
    const staging = h.stagingPath(volumeId);
    const target = h.targetPath(volumeId);
    await h.node.nodeStageVolume({ volumeId, stagingTargetPath: staging, volumeCapability });
    await h.node.nodePublishVolume({ volumeId, stagingTargetPath: staging, targetPath: target, volumeCapability, readonly: true });
    const before = await dfTotalBytes(target);
    await h.fixture.grow(loop, 640 * MiB);
    const refused = await h.node.nodeExpandVolume({ volumeId, volumePath: target }).then(
      () => undefined,
      (error: { code: number; details: string }) => ({ code: error.code, details: error.details }),
    );
    expect(refused).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `volume ${volumeId}: cannot grow its filesystem at read-only volume_path ${target} without a read-write staging_target_path`,
    });
    const res = await h.node.nodeExpandVolume({ volumeId, volumePath: target, stagingTargetPath: staging });
    expect(Number(res.capacityBytes)).toBe(640 * MiB);
    expect(await dfTotalBytes(target)).toBeGreaterThan(before + 250 * MiB);
    await unpublishAndUnstage(volumeId);
  });

  it('grows a published ext4 filesystem online, or without CAP_SYS_RESOURCE says so and grows it at the next stage', async () => {
    const { volumeId, loop } = await h.attachVolume(64 * MiB);
    const target = await stageAndPublish(volumeId, 'ext4');
    await fs.writeFile(path.join(target, 'kept'), 'data');
    const before = await dfTotalBytes(target);
    await h.fixture.grow(loop, 128 * MiB);
    if (await hasCapability(CAP_SYS_RESOURCE)) {
      await h.node.nodeExpandVolume({ volumeId, volumePath: target });
    } else {
      const failure = await h.node.nodeExpandVolume({ volumeId, volumePath: target }).catch((e) => e);
      expect(failure).toMatchObject({ code: status.FAILED_PRECONDITION });
      expect(failure.details).toContain('needs CAP_SYS_RESOURCE');
      await unpublishAndUnstage(volumeId);
      await stageAndPublish(volumeId, 'ext4');
    }
    expect(await dfTotalBytes(target)).toBeGreaterThan(before + 48 * MiB);
    expect(await fs.readFile(path.join(target, 'kept'), 'utf8')).toBe('data');
    await unpublishAndUnstage(volumeId);
  });

  it('says FAILED_PRECONDITION while the device is still smaller than the size asked for', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const target = await stageAndPublish(volumeId, 'ext4');
    expect(await codeOf(h.node.nodeExpandVolume({ volumeId, volumePath: target, capacityRange: { requiredBytes: 128 * MiB } }))).toBe(
      status.FAILED_PRECONDITION,
    );
    await unpublishAndUnstage(volumeId);
  });
});

describe('a volume restored from a smaller snapshot', () => {
  it.each(['ext4', 'xfs'])('has its %s filesystem grown to the device at stage', async (fsType) => {
    const { volumeId, loop } = await h.attachVolume(320 * MiB);
    await stageAndPublish(volumeId, fsType);
    await unpublishAndUnstage(volumeId);
    await h.fixture.grow(loop, 640 * MiB);
    const target = await stageAndPublish(volumeId, fsType);
    expect(await dfTotalBytes(target)).toBeGreaterThan(560 * MiB);
    await unpublishAndUnstage(volumeId);
  });
});

describe('an ext4 volume grown while it is staged at another path', () => {
  it('stages at a second path without growing it there (that would be an online grow, which needs CAP_SYS_RESOURCE; NodeExpandVolume grows it)', async () => {
    const { volumeId, loop } = await h.attachVolume(64 * MiB);
    const first = { volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4') };
    await h.node.nodeStageVolume(first);
    await h.fixture.grow(loop, 128 * MiB);
    const second = { ...first, stagingTargetPath: path.join(h.config.kubeletDir, 'plugins', 'second', volumeId, 'globalmount') };
    // Before the fix, the stage tried to grow the filesystem as if unmounted; resize2fs found it mounted and failed.
    expect(await codeOf(h.node.nodeStageVolume(second))).toBe('no error');
    expect(await dfTotalBytes(second.stagingTargetPath)).toBeLessThan(70 * MiB);
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: second.stagingTargetPath });
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: first.stagingTargetPath });
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });
});

describe('block volumes', () => {
  it('are published as a block device of the volume size at the target, and unpublished without trace', async () => {
    const { volumeId, loop } = await h.attachVolume(48 * MiB);
    const stage = { volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: blockCapability() };
    await h.node.nodeStageVolume(stage);
    await h.node.nodeStageVolume(stage);
    // kubelet's layout for raw block volumes: plugins/kubernetes.io/csi/volumeDevices/publish/<pv>/<pod uid>
    const targetPath = path.join(blockPublishDir(h.config.kubeletDir), `pv-${volumeId}`, 'pod-b-uid');
    const publish = { ...stage, targetPath };
    await h.node.nodePublishVolume(publish);
    await h.node.nodePublishVolume(publish);
    const stat = await fs.stat(targetPath);
    expect(stat.isBlockDevice()).toBe(true);
    expect(stat.rdev).toBe((await fs.stat(loop.device)).rdev);
    expect(await mounter.deviceSize(targetPath)).toBe(48 * MiB);

    const stats = await h.node.nodeGetVolumeStats({ volumeId, volumePath: targetPath });
    expect(stats.usage.map((u) => [u.unit, Number(u.total)])).toEqual([['BYTES', 48 * MiB]]);
    expect(stats.volumeCondition?.abnormal).toBe(false);

    await h.fixture.grow(loop, 96 * MiB);
    expect(Number((await h.node.nodeExpandVolume({ volumeId, volumePath: targetPath })).capacityBytes)).toBe(96 * MiB);

    await h.node.nodeUnpublishVolume({ volumeId, targetPath });
    await h.node.nodeUnpublishVolume({ volumeId, targetPath });
    await expect(fs.stat(targetPath)).rejects.toMatchObject({ code: 'ENOENT' });
    await h.node.nodeUnstageVolume(stage);
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });

  it('refuses to publish a device onto a target that already holds another device', async () => {
    const a = await h.attachVolume(16 * MiB);
    const b = await h.attachVolume(16 * MiB);
    const targetPath = path.join(h.config.kubeletDir, 'pods', 'pod-c', 'volumeDevices', 'dev');
    await h.node.nodePublishVolume({ volumeId: a.volumeId, stagingTargetPath: h.stagingPath(a.volumeId), targetPath, volumeCapability: blockCapability() });
    expect(
      await codeOf(
        h.node.nodePublishVolume({ volumeId: b.volumeId, stagingTargetPath: h.stagingPath(b.volumeId), targetPath, volumeCapability: blockCapability() }),
      ),
    ).toBe(status.ALREADY_EXISTS);
    await h.node.nodeUnpublishVolume({ volumeId: a.volumeId, targetPath });
  });
});

describe('NodeGetVolumeStats', () => {
  it('reports bytes and inodes as statfs/df see them on the mount', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const target = await stageAndPublish(volumeId, 'ext4');
    await fs.writeFile(path.join(target, 'blob'), Buffer.alloc(4 * MiB, 7));
    await fs.mkdir(path.join(target, 'dir'));
    const stats = await h.node.nodeGetVolumeStats({ volumeId, volumePath: target });
    const { stdout } = await runTool('df', ['--block-size=1', '--output=size,used,avail,itotal,iused,iavail', target]);
    const [size, used, avail, itotal, iused, iavail] = stdout.trim().split('\n')[1].trim().split(/\s+/).map(Number);
    const byUnit = Object.fromEntries(stats.usage.map((u) => [u.unit, [Number(u.total), Number(u.used), Number(u.available)]]));
    expect(byUnit).toEqual({ BYTES: [size, used, avail], INODES: [itotal, iused, iavail] });
    expect(stats.volumeCondition).toMatchObject({ abnormal: false });
    await unpublishAndUnstage(volumeId);
  });

  it('reports a lazily unmounted volume as abnormal instead of failing', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const target = await stageAndPublish(volumeId, 'ext4');
    await runTool('umount', ['--lazy', target]);
    const stats = await h.node.nodeGetVolumeStats({ volumeId, volumePath: target });
    expect(stats.volumeCondition?.abnormal).toBe(true);
    expect(stats.volumeCondition?.message).toContain('nothing is mounted');
    expect(stats.usage).toEqual([]);
    await unpublishAndUnstage(volumeId);
  });

  it('reports a filesystem the kernel made read-only after an error as abnormal', async () => {
    const { volumeId, loop } = await h.attachVolume(64 * MiB);
    const target = await stageAndPublish(volumeId, 'ext4', ['errors=remount-ro']);
    await fs.writeFile(`/sys/fs/ext4/${path.basename(loop.device)}/trigger_fs_error`, 'test error');
    await expect(fs.writeFile(path.join(target, 'f'), 'x')).rejects.toMatchObject({ code: 'EROFS' });
    const stats = await h.node.nodeGetVolumeStats({ volumeId, volumePath: target });
    expect(stats.volumeCondition).toMatchObject({ abnormal: true });
    expect(stats.volumeCondition?.message).toContain('read-only');
    await unpublishAndUnstage(volumeId);
  });

  it('answers NOT_FOUND for a path that does not exist', async () => {
    expect(await codeOf(h.node.nodeGetVolumeStats({ volumeId: 'vol-1', volumePath: h.targetPath('nothing-here') }))).toBe(
      status.NOT_FOUND,
    );
  });
});

describe('errors', () => {
  it('answers NOT_FOUND when the device never appears within the bounded wait', async () => {
    const failure = await h.node
      .nodeStageVolume({
        volumeId: 'f0f0f0f0-0000-4000-8000-000000000000',
        stagingTargetPath: h.stagingPath('never'),
        volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4'),
      })
      .catch((e) => e);
    expect(failure).toMatchObject({ code: status.NOT_FOUND });
    expect(failure.details).toContain('virtio-f0f0f0f0-0000-4000-8');
  });

  it.each([
    ['volume_id', { volumeId: '', stagingTargetPath: '/x', volumeCapability: mountCapability('SINGLE_NODE_WRITER', '') }],
    ['staging_target_path', { volumeId: 'v', stagingTargetPath: '', volumeCapability: mountCapability('SINGLE_NODE_WRITER', '') }],
    ['staging_target_path', { volumeId: 'v', stagingTargetPath: 'relative/dir', volumeCapability: mountCapability('SINGLE_NODE_WRITER', '') }],
    ['volume_capability', { volumeId: 'v', stagingTargetPath: '/x' }],
    ['volume_capability.mount.fs_type', { volumeId: 'v', stagingTargetPath: '/x', volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'btrfs') }],
    ['volume_capability.access_mode', { volumeId: 'v', stagingTargetPath: '/x', volumeCapability: { mount: {} } }],
  ])('NodeStageVolume answers INVALID_ARGUMENT naming %s', async (field, request) => {
    const failure = await h.node.nodeStageVolume(request).catch((e) => e);
    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(failure.details.startsWith(`${field}:`)).toBe(true);
  });

  // csi-sanity ("should fail when volume is not found") sends volume_path "some/path" and wants NOT_FOUND, as the
  // upstream cinder-csi-plugin answers: no volume of this plugin can be at a relative path.
  it.each([
    ['NodeGetVolumeStats', () => h.node.nodeGetVolumeStats({ volumeId: 'vol-rel', volumePath: 'some/path' })],
    ['NodeExpandVolume', () => h.node.nodeExpandVolume({ volumeId: 'vol-rel', volumePath: 'some/path' })],
  ])('%s answers NOT_FOUND for a relative volume_path, without looking it up', async (_rpc, call) => {
    const failure = await call().catch((e) => e);
    expect(failure).toMatchObject({
      code: status.NOT_FOUND,
      details: 'volume_path "some/path" is not an absolute path, so volume vol-rel is not published or staged there',
    });
  });

  it('NodePublishVolume answers INVALID_ARGUMENT for a target outside kubelet pod directories', async () => {
    const failure = await h.node
      .nodePublishVolume({
        volumeId: 'v',
        stagingTargetPath: h.stagingPath('v'),
        targetPath: path.join(h.config.kubeletDir, 'pods', '..', 'etc'),
        volumeCapability: mountCapability('SINGLE_NODE_WRITER', ''),
      })
      .catch((e) => e);
    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(failure.details).toMatch(/^target_path: expected a path under .*\/pods\//);
  });

  it('NodePublishVolume accepts kubelet\'s volumeDevices/publish layout only for block volumes', async () => {
    const targetPath = path.join(blockPublishDir(h.config.kubeletDir), 'pv-x', 'pod-uid');
    const failure = await h.node
      .nodePublishVolume({ volumeId: 'v', stagingTargetPath: h.stagingPath('v'), targetPath, volumeCapability: mountCapability('SINGLE_NODE_WRITER', '') })
      .catch((e) => e);
    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(failure.details).toMatch(/^target_path: expected a path under .*\/pods\/, got/);
  });

  it('NodePublishVolume answers FAILED_PRECONDITION for a filesystem volume that was not staged', async () => {
    const { volumeId } = await h.attachVolume(16 * MiB);
    expect(
      await codeOf(
        h.node.nodePublishVolume({
          volumeId,
          stagingTargetPath: h.stagingPath(volumeId),
          targetPath: h.targetPath(volumeId),
          volumeCapability: mountCapability('SINGLE_NODE_WRITER', ''),
        }),
      ),
    ).toBe(status.FAILED_PRECONDITION);
  });

  it.each([
    ['NodeUnstageVolume', 'staging_target_path', () => h.node.nodeUnstageVolume({ volumeId: 'v' })],
    ['NodeUnpublishVolume', 'target_path', () => h.node.nodeUnpublishVolume({ volumeId: 'v' })],
    ['NodeGetVolumeStats', 'volume_path', () => h.node.nodeGetVolumeStats({ volumeId: 'v' })],
    ['NodeExpandVolume', 'volume_path', () => h.node.nodeExpandVolume({ volumeId: 'v' })],
    ['NodeExpandVolume', 'volume_id', () => h.node.nodeExpandVolume({ volumePath: '/x' })],
  ])('%s answers INVALID_ARGUMENT naming %s', async (_rpc, field, call) => {
    const failure = await call().catch((e) => e);
    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(failure.details.startsWith(`${field}:`)).toBe(true);
  });
});

describe('NodeGetCapabilities and NodeGetInfo', () => {
  it('advertises staging, stats, expansion, volume condition and single-node multi-writer', async () => {
    const res = await h.node.nodeGetCapabilities({});
    expect(res.capabilities.map((c) => c.rpc?.type).sort()).toEqual(
      ['EXPAND_VOLUME', 'GET_VOLUME_STATS', 'SINGLE_NODE_MULTI_WRITER', 'STAGE_UNSTAGE_VOLUME', 'VOLUME_CONDITION'].sort(),
    );
  });

  it('reports the configured node id, zone topology and a non-zero attach limit', async () => {
    const res = await h.node.nodeGetInfo({});
    expect(res).toEqual({
      nodeId: 'node-under-test',
      maxVolumesPerNode: 256,
      accessibleTopology: { segments: { 'topology.cinder.csi.openstack.org/zone': 'nova' } },
    });
  });
});
