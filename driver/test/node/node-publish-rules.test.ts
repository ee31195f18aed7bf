import { exists } from '../helpers/fs';
import { status } from '@grpc/grpc-js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { VolumeCapability } from '../../src/grpc/csi-types';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import { blockPublishDir } from '../../src/grpc/request-validation';
import { blockCapability, MiB, mountCapability, NodeHarness } from './node-harness';

// The CSI spec's NodePublishVolume rules for a plugin with STAGE_UNSTAGE_VOLUME and SINGLE_NODE_MULTI_WRITER: the
// error table ("Volume does not exist" NOT_FOUND, "Staging target path not set" FAILED_PRECONDITION) and the second
// table for a second NodePublishVolume of one volume on one node.

let h: NodeHarness;
const mounter = new LinuxMounter();

beforeAll(async () => {
  // A device wait far longer than any test: NodePublishVolume must answer without it.
  h = await NodeHarness.start('node-pub', { deviceWaitTimeoutMs: 600_000 });
});

afterAll(async () => {
  const leftovers = await h.close();
  expect(leftovers).toEqual({ mounts: [], loops: [] });
});

interface Failure {
  code: number | 'no error';
  details: string;
}

async function failureOf(call: Promise<unknown>): Promise<Failure> {
  try {
    await call;
    return { code: 'no error', details: '' };
  } catch (error) {
    const e = error as { code: number; details: string };
    return { code: e.code, details: e.details };
  }
}

function publish(volumeId: string, cap: VolumeCapability, targetPath: string, readonly = false): Promise<unknown> {
  return h.node.nodePublishVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), targetPath, volumeCapability: cap, readonly });
}

function blockTarget(volumeId: string, pod: string): string {
  return path.join(blockPublishDir(h.config.kubeletDir), `pv-${volumeId}`, pod);
}

/** Undoes the given publishes and the stage whatever a failed expectation left behind. */
async function tearDown(volumeId: string, targets: readonly string[]): Promise<void> {
  for (const targetPath of targets) await h.node.nodeUnpublishVolume({ volumeId, targetPath });
  await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
}

describe('NodePublishVolume without staging_target_path', () => {
  it('answers FAILED_PRECONDITION naming staging_target_path and telling to stage first', async () => {
    const { volumeId } = await h.attachVolume(16 * MiB);
    const failure = await failureOf(
      h.node.nodePublishVolume({ volumeId, targetPath: h.targetPath(volumeId), volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4') }),
    );
    expect(failure.code).toBe(status.FAILED_PRECONDITION);
    expect(failure.details).toMatch(/^staging_target_path: not set.*NodeStageVolume/);
    expect(await exists(h.targetPath(volumeId))).toBe(false);
  });

  it('still answers INVALID_ARGUMENT for a staging_target_path that is not absolute', async () => {
    const { volumeId } = await h.attachVolume(16 * MiB);
    const failure = await failureOf(
      h.node.nodePublishVolume({
        volumeId,
        stagingTargetPath: 'relative/globalmount',
        targetPath: h.targetPath(volumeId),
        volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4'),
      }),
    );
    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details.startsWith('staging_target_path: expected an absolute path')).toBe(true);
  });

  it('reports a missing REQUIRED field first, with INVALID_ARGUMENT', async () => {
    const failure = await failureOf(h.node.nodePublishVolume({ volumeId: 'v', targetPath: h.targetPath('v') }));
    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details.startsWith('volume_capability:')).toBe(true);
  });
});

describe('NodePublishVolume for a volume without a device on this node', () => {
  it.each([
    ['filesystem', mountCapability('SINGLE_NODE_WRITER', 'ext4'), (id: string) => h.targetPath(id)],
    ['block', blockCapability(), (id: string) => blockTarget(id, 'pod-1')],
  ])('answers NOT_FOUND at once for a %s volume, naming the links it looked for', async (_kind, cap, target) => {
    const volumeId = 'f1f1f1f1-0000-4000-8000-000000000000';
    const failure = await failureOf(publish(volumeId, cap, target(volumeId)));
    expect(failure.code).toBe(status.NOT_FOUND);
    expect(failure.details).toContain(`volume ${volumeId} does not exist on this node`);
    expect(failure.details).toContain('virtio-f1f1f1f1-0000-4000-8');
    expect(await exists(target(volumeId))).toBe(false);
  });

  it('answers NOT_FOUND for a staged volume whose device has gone, and publishes once it is back', async () => {
    const { volumeId, loop } = await h.attachVolume(16 * MiB);
    const cap = mountCapability('SINGLE_NODE_WRITER', 'ext4');
    await h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: cap });
    const link = path.join(h.config.byIdDir, `virtio-${volumeId.slice(0, 20)}`);
    await fs.unlink(link);
    try {
      expect((await failureOf(publish(volumeId, cap, h.targetPath(volumeId)))).code).toBe(status.NOT_FOUND);
    } finally {
      await fs.symlink(loop.device, link);
    }
    await publish(volumeId, cap, h.targetPath(volumeId));
    await tearDown(volumeId, [h.targetPath(volumeId)]);
  });

  it('answers FAILED_PRECONDITION "not staged" when the device is there but the staging path holds nothing', async () => {
    const { volumeId, loop } = await h.attachVolume(16 * MiB);
    const failure = await failureOf(publish(volumeId, mountCapability('SINGLE_NODE_WRITER', 'ext4'), h.targetPath(volumeId)));
    expect(failure.code).toBe(status.FAILED_PRECONDITION);
    expect(failure.details).toContain(`volume ${volumeId} is attached (${loop.device}) but not staged at staging_target_path`);
    expect(failure.details).toContain('call NodeStageVolume first');
  });
});

describe('a second publish target on the node', () => {
  it('is refused with FAILED_PRECONDITION for a SINGLE_NODE_SINGLE_WRITER filesystem, read-only or not, naming the first', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const cap = mountCapability('SINGLE_NODE_SINGLE_WRITER', 'ext4');
    await h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: cap });
    const first = h.targetPath(volumeId, 'pod-1');
    const second = h.targetPath(volumeId, 'pod-2');
    try {
      await publish(volumeId, cap, first);
      // The idempotent repeat at the same target is still fine.
      await publish(volumeId, cap, first);
      for (const readonly of [false, true]) {
        const failure = await failureOf(publish(volumeId, cap, second, readonly));
        expect(failure.code).toBe(status.FAILED_PRECONDITION);
        expect(failure.details).toContain('SINGLE_NODE_SINGLE_WRITER');
        expect(failure.details).toContain(`already published at ${first}`);
        expect(await exists(second)).toBe(false);
      }
      // Once the first target is gone, the volume may move to another one.
      await h.node.nodeUnpublishVolume({ volumeId, targetPath: first });
      await publish(volumeId, cap, second);
      await fs.writeFile(path.join(second, 'moved'), 'ok');
    } finally {
      await tearDown(volumeId, [first, second]);
    }
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });

  it.each(['SINGLE_NODE_MULTI_WRITER', 'SINGLE_NODE_WRITER', 'MULTI_NODE_MULTI_WRITER'] as const)(
    'is allowed for a %s filesystem, each target writable',
    async (mode) => {
      const { volumeId } = await h.attachVolume(64 * MiB);
      const cap = mountCapability(mode, 'ext4');
      await h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: cap });
      const targets = [h.targetPath(volumeId, 'pod-1'), h.targetPath(volumeId, 'pod-2')];
      try {
        for (const target of targets) await publish(volumeId, cap, target);
        for (const [i, target] of targets.entries()) await fs.writeFile(path.join(target, `from-${i}`), 'x');
        expect((await fs.readdir(h.stagingPath(volumeId))).sort()).toEqual(['from-0', 'from-1', 'lost+found']);
      } finally {
        await tearDown(volumeId, targets);
      }
    },
  );

  it('is refused with FAILED_PRECONDITION for a SINGLE_NODE_SINGLE_WRITER block volume, repeats at the same target answer OK', async () => {
    const { volumeId } = await h.attachVolume(16 * MiB);
    const cap = blockCapability('SINGLE_NODE_SINGLE_WRITER');
    await h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: cap });
    const [first, second] = [blockTarget(volumeId, 'pod-1'), blockTarget(volumeId, 'pod-2')];
    try {
      await publish(volumeId, cap, first);
      await publish(volumeId, cap, first);
      const failure = await failureOf(publish(volumeId, cap, second));
      expect(failure.code).toBe(status.FAILED_PRECONDITION);
      expect(failure.details).toContain(`already published at ${first}`);
      expect(await exists(second)).toBe(false);
    } finally {
      await tearDown(volumeId, [first, second]);
    }
  });

  it('is allowed for a SINGLE_NODE_MULTI_WRITER block volume', async () => {
    const { volumeId, loop } = await h.attachVolume(16 * MiB);
    const cap = blockCapability('SINGLE_NODE_MULTI_WRITER');
    const targets = [blockTarget(volumeId, 'pod-1'), blockTarget(volumeId, 'pod-2')];
    try {
      for (const target of targets) await publish(volumeId, cap, target);
      const rdev = (await fs.stat(loop.device)).rdev;
      for (const target of targets) expect((await fs.stat(target)).rdev).toBe(rdev);
    } finally {
      await tearDown(volumeId, targets);
    }
  });

  it("is not confused with kubelet's own bind mounts (volume-subpaths, the global block map) or the staging mount", async () => {
    const fsVolume = await h.attachVolume(64 * MiB);
    const blockVolume = await h.attachVolume(16 * MiB);
    const fsCap = mountCapability('SINGLE_NODE_SINGLE_WRITER', 'ext4');
    const blockCap = blockCapability('SINGLE_NODE_SINGLE_WRITER');
    await h.node.nodeStageVolume({ volumeId: fsVolume.volumeId, stagingTargetPath: h.stagingPath(fsVolume.volumeId), volumeCapability: fsCap });
    // kubelet binds a subPath of the volume into the pod's volume-subpaths, and a raw block device into
    // plugins/kubernetes.io/csi/volumeDevices/<pv>/dev/<pod uid> (its global map path).
    const subpath = path.join(h.config.kubeletDir, 'pods', 'pod-0', 'volume-subpaths', 'vol', 'container', '0');
    const globalMap = path.join(h.config.kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'volumeDevices', `pv-${blockVolume.volumeId}`, 'dev', 'pod-0');
    const fsTarget = h.targetPath(fsVolume.volumeId, 'pod-1');
    const devTarget = blockTarget(blockVolume.volumeId, 'pod-1');
    try {
      await fs.mkdir(subpath, { recursive: true });
      await mounter.bindMount(h.stagingPath(fsVolume.volumeId), subpath, false);
      await fs.mkdir(path.dirname(globalMap), { recursive: true });
      await fs.writeFile(globalMap, '');
      await mounter.bindMount(blockVolume.loop.device, globalMap, false);

      await publish(fsVolume.volumeId, fsCap, fsTarget);
      await publish(blockVolume.volumeId, blockCap, devTarget);
      expect((await fs.stat(devTarget)).isBlockDevice()).toBe(true);
    } finally {
      for (const p of [subpath, globalMap]) {
        await mounter.unmount(p);
        await fs.rm(p, { recursive: true, force: true });
      }
      await tearDown(fsVolume.volumeId, [fsTarget]);
      await h.node.nodeUnpublishVolume({ volumeId: blockVolume.volumeId, targetPath: devTarget });
    }
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });
});
