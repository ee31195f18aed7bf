import { status } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import { codeOf, MiB, mountCapability, NodeHarness } from './node-harness';

let h: NodeHarness;
const mounter = new LinuxMounter();

beforeAll(async () => {
  h = await NodeHarness.start('node-stale');
});

afterAll(async () => {
  const leftovers = await h.close();
  expect(leftovers).toEqual({ mounts: [], loops: [] });
});

/**
 * Leaves a stale mount at target, as a crashed FUSE daemon (or a vanished NFS server) does: the mount table still
 * lists it, but every stat() of the path fails with ENOTCONN.
 */
async function staleMountAt(target: string): Promise<void> {
  const source = await h.fixture.mkdir(`fuse-src-${path.basename(path.dirname(target))}`);
  await fs.mkdir(target, { recursive: true });
  const daemon = spawn('bindfs', ['-f', source, target], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  try {
    while (!(await mounter.findMount(target))) {
      if (daemon.exitCode !== null) throw new Error(`bindfs exited with ${daemon.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    daemon.kill('SIGKILL');
    await exited;
  }
  await expect(fs.stat(target)).rejects.toMatchObject({ code: 'ENOTCONN' });
}

describe('stale mounts left by a crash', () => {
  it('are reported by NodeGetVolumeStats as an abnormal condition', async () => {
    const target = h.targetPath('stale-stats');
    await staleMountAt(target);
    const stats = await h.node.nodeGetVolumeStats({ volumeId: 'stale-stats', volumePath: target });
    expect(stats.volumeCondition?.abnormal).toBe(true);
    expect(stats.volumeCondition?.message).toContain('ENOTCONN');
    await h.node.nodeUnpublishVolume({ volumeId: 'stale-stats', targetPath: target });
  });

  it('are unmounted and removed by NodeUnpublishVolume', async () => {
    const target = h.targetPath('stale-unpublish');
    await staleMountAt(target);
    await h.node.nodeUnpublishVolume({ volumeId: 'stale-unpublish', targetPath: target });
    expect(await mounter.findMount(target)).toBeUndefined();
    await expect(fs.stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('are replaced by NodeStageVolume and NodePublishVolume, which then work', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const staging = h.stagingPath(volumeId);
    const target = h.targetPath(volumeId);
    await staleMountAt(staging);
    await staleMountAt(target);
    const volumeCapability = mountCapability('SINGLE_NODE_WRITER', 'ext4');
    await h.node.nodeStageVolume({ volumeId, stagingTargetPath: staging, volumeCapability });
    await h.node.nodePublishVolume({ volumeId, stagingTargetPath: staging, targetPath: target, volumeCapability });
    await fs.writeFile(path.join(target, 'after-crash'), 'ok');
    expect(await fs.readFile(path.join(staging, 'after-crash'), 'utf8')).toBe('ok');
    await h.node.nodeUnpublishVolume({ volumeId, targetPath: target });
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: staging });
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });

  it('make NodePublishVolume fail with FAILED_PRECONDITION when the staging mount itself is stale', async () => {
    const { volumeId } = await h.attachVolume(16 * MiB);
    await staleMountAt(h.stagingPath(volumeId));
    expect(
      await codeOf(
        h.node.nodePublishVolume({
          volumeId,
          stagingTargetPath: h.stagingPath(volumeId),
          targetPath: h.targetPath(volumeId),
          volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4'),
        }),
      ),
    ).toBe(status.FAILED_PRECONDITION);
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });
});
