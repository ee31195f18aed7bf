import { status } from '@grpc/grpc-js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runTool } from '../../src/mounter/run-tool';
import { codeOf, fsTypeOn, MiB, mountCapability, NodeHarness } from './node-harness';

let h: NodeHarness;

beforeAll(async () => {
  h = await NodeHarness.start('node-fs');
});

afterAll(async () => {
  const leftovers = await h.close();
  expect(leftovers).toEqual({ mounts: [], loops: [] });
});

/** Stage + publish with the given capability; returns the target path. */
async function stageAndPublish(volumeId: string, fsType: string, readonly = false, pod = 'pod-a'): Promise<string> {
  const volumeCapability = mountCapability('SINGLE_NODE_WRITER', fsType);
  await h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability });
  const targetPath = h.targetPath(volumeId, pod);
  await h.node.nodePublishVolume({
    volumeId,
    stagingTargetPath: h.stagingPath(volumeId),
    targetPath,
    volumeCapability,
    readonly,
  });
  return targetPath;
}

async function unpublishAndUnstage(volumeId: string, pod = 'pod-a'): Promise<void> {
  await h.node.nodeUnpublishVolume({ volumeId, targetPath: h.targetPath(volumeId, pod) });
  await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
}

describe.each(['ext4', 'ext3', 'xfs'])('a blank volume staged as %s', (fsType) => {
  it('is formatted, keeps what a pod wrote across unpublish/unstage/stage, and leaves no mount behind', async () => {
    const { volumeId, loop } = await h.attachVolume(320 * MiB);
    const target = await stageAndPublish(volumeId, fsType);
    expect(await fsTypeOn(loop.device)).toBe(fsType);
    await fs.writeFile(path.join(target, 'hello.txt'), 'persisted');

    await unpublishAndUnstage(volumeId);
    await expect(fs.stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await h.fixture.leftoverMounts()).toEqual([]);

    const again = await stageAndPublish(volumeId, fsType);
    expect(await fs.readFile(path.join(again, 'hello.txt'), 'utf8')).toBe('persisted');
    await unpublishAndUnstage(volumeId);
  });
});

describe('publishing read-only', () => {
  it('lets the pod read but refuses its writes, while another read-write publish still writes', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const rw = await stageAndPublish(volumeId, 'ext4', false, 'writer');
    await fs.writeFile(path.join(rw, 'data'), 'written');
    const ro = h.targetPath(volumeId, 'reader');
    await h.node.nodePublishVolume({
      volumeId,
      stagingTargetPath: h.stagingPath(volumeId),
      targetPath: ro,
      volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4'),
      readonly: true,
    });
    expect(await fs.readFile(path.join(ro, 'data'), 'utf8')).toBe('written');
    await expect(fs.writeFile(path.join(ro, 'other'), 'x')).rejects.toMatchObject({ code: 'EROFS' });
    await h.node.nodeUnpublishVolume({ volumeId, targetPath: ro });
    await unpublishAndUnstage(volumeId, 'writer');
  });
});

describe('safety: existing data is never formatted', () => {
  it.each([
    ['ext4', 'xfs'],
    ['xfs', 'ext4'],
    ['ext3', 'ext4'],
  ])('a volume holding %s staged as %s fails with FAILED_PRECONDITION and keeps its data', async (existing, requested) => {
    const { volumeId, loop } = await h.attachVolume(320 * MiB);
    await runTool(existing === 'xfs' ? 'mkfs.xfs' : `mkfs.${existing}`, existing === 'xfs' ? ['-q', loop.device] : ['-q', '-F', loop.device]);
    const scratch = await h.fixture.mkdir(`scratch-${volumeId}`);
    await runTool('mount', [loop.device, scratch]);
    await fs.writeFile(path.join(scratch, 'precious'), 'keep me');
    await runTool('umount', [scratch]);

    const failure = await h.node
      .nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: mountCapability('SINGLE_NODE_WRITER', requested) })
      .catch((e: { code: number; details: string }) => e);
    expect(failure).toMatchObject({ code: status.FAILED_PRECONDITION });
    expect((failure as { details: string }).details).toContain(`holds a ${existing} filesystem, but ${requested} was requested`);

    expect(await fsTypeOn(loop.device)).toBe(existing);
    await runTool('mount', ['-o', 'ro', loop.device, scratch]);
    expect(await fs.readFile(path.join(scratch, 'precious'), 'utf8')).toBe('keep me');
    await runTool('umount', [scratch]);
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });

  it('a volume holding ext4 staged as ext4 is mounted as it is, with its data', async () => {
    const { volumeId, loop } = await h.attachVolume(64 * MiB);
    await runTool('mkfs.ext4', ['-q', '-F', loop.device]);
    const scratch = await h.fixture.mkdir(`scratch-${volumeId}`);
    await runTool('mount', [loop.device, scratch]);
    await fs.writeFile(path.join(scratch, 'precious'), 'keep me');
    await runTool('umount', [scratch]);
    const target = await stageAndPublish(volumeId, 'ext4');
    expect(await fs.readFile(path.join(target, 'precious'), 'utf8')).toBe('keep me');
    await unpublishAndUnstage(volumeId);
  });

  it.each(['ext4', 'xfs'])('a volume holding only a partition table is not formatted as %s', async (requested) => {
    const { volumeId, loop } = await h.attachVolume(320 * MiB);
    await h.fixture.writePartitionTable(loop, 320 * MiB);
    const before = await firstSector(loop.file);
    const failure = await h.node
      .nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: mountCapability('SINGLE_NODE_WRITER', requested) })
      .catch((e: { code: number; details: string }) => e);
    expect(failure).toMatchObject({ code: status.FAILED_PRECONDITION });
    expect((failure as { details: string }).details).toContain('holds a dos partition table');
    const after = await firstSector(loop.file);
    expect(after.equals(before)).toBe(true);
  });
});

describe('mount flags', () => {
  it('are applied to the staging mount', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const volumeCapability = mountCapability('SINGLE_NODE_WRITER', 'ext4', ['noexec', 'nosuid']);
    await h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability });
    const { stdout } = await runTool('findmnt', ['--noheadings', '--output', 'VFS-OPTIONS', '--mountpoint', h.stagingPath(volumeId)]);
    expect(stdout.trim().split(',')).toEqual(expect.arrayContaining(['noexec', 'nosuid']));
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
  });

  it('never appear in an error, since they may carry credentials', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const failure = await h.node
      .nodeStageVolume({
        volumeId,
        stagingTargetPath: h.stagingPath(volumeId),
        volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4', ['password=hunter2-secret']),
      })
      .catch((e: { code: number; details: string }) => e);
    expect(failure).toMatchObject({ code: status.INTERNAL });
    expect((failure as { details: string }).details).toContain('-o <options>');
    expect((failure as { details: string }).details).not.toContain('hunter2');
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });
});

describe('idempotency', () => {
  it('answers OK to every call repeated, with one mount per path', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const stage = {
      volumeId,
      stagingTargetPath: h.stagingPath(volumeId),
      volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4'),
    };
    await h.node.nodeStageVolume(stage);
    await h.node.nodeStageVolume(stage);
    const publish = { ...stage, targetPath: h.targetPath(volumeId), readonly: false };
    await h.node.nodePublishVolume(publish);
    await h.node.nodePublishVolume(publish);
    expect((await h.fixture.leftoverMounts()).sort()).toEqual([h.stagingPath(volumeId), h.targetPath(volumeId)].sort());

    await h.node.nodeUnpublishVolume({ volumeId, targetPath: h.targetPath(volumeId) });
    await h.node.nodeUnpublishVolume({ volumeId, targetPath: h.targetPath(volumeId) });
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });

  it('answers ALREADY_EXISTS when the same paths are asked for incompatibly', async () => {
    const { volumeId } = await h.attachVolume(320 * MiB);
    const target = await stageAndPublish(volumeId, 'ext4');
    expect(
      await codeOf(
        h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'xfs') }),
      ),
    ).toBe(status.ALREADY_EXISTS);
    expect(
      await codeOf(
        h.node.nodePublishVolume({
          volumeId,
          stagingTargetPath: h.stagingPath(volumeId),
          targetPath: target,
          volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4'),
          readonly: true,
        }),
      ),
    ).toBe(status.ALREADY_EXISTS);
    await unpublishAndUnstage(volumeId);
  });

  it('refuses to publish when the staging path holds another volume', async () => {
    const a = await h.attachVolume(64 * MiB);
    const b = await h.attachVolume(64 * MiB);
    const volumeCapability = mountCapability('SINGLE_NODE_WRITER', 'ext4');
    await h.node.nodeStageVolume({ volumeId: a.volumeId, stagingTargetPath: h.stagingPath(a.volumeId), volumeCapability });
    const failure = await h.node
      .nodePublishVolume({
        volumeId: b.volumeId,
        stagingTargetPath: h.stagingPath(a.volumeId),
        targetPath: h.targetPath(b.volumeId),
        volumeCapability,
      })
      .catch((e: { code: number; details: string }) => e);
    expect(failure).toMatchObject({ code: status.FAILED_PRECONDITION });
    expect((failure as { details: string }).details).toContain(`not volume ${b.volumeId}`);
    await expect(fs.stat(h.targetPath(b.volumeId))).rejects.toMatchObject({ code: 'ENOENT' });
    await h.node.nodeUnstageVolume({ volumeId: a.volumeId, stagingTargetPath: h.stagingPath(a.volumeId) });
  });

  it('cleans up after a crash: a lazily detached mount, a directory without mount, a staging mount whose directory was moved', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const target = await stageAndPublish(volumeId, 'ext4');
    // Lazily detached target: the directory stays, the mount is gone.
    await runTool('umount', ['--lazy', target]);
    await h.node.nodeUnpublishVolume({ volumeId, targetPath: target });
    await expect(fs.stat(target)).rejects.toMatchObject({ code: 'ENOENT' });

    // Directory without mount for a target that was never published.
    const orphan = h.targetPath(volumeId, 'orphan');
    await fs.mkdir(orphan, { recursive: true });
    await h.node.nodeUnpublishVolume({ volumeId, targetPath: orphan });
    await expect(fs.stat(orphan)).rejects.toMatchObject({ code: 'ENOENT' });

    // The staging dir's parent renamed away under its mount: the mount follows, and is found and removed there.
    const staging = h.stagingPath(volumeId);
    const moved = `${path.dirname(staging)}-moved`;
    await fs.rename(path.dirname(staging), moved);
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: path.join(moved, 'globalmount') });
    await fs.rm(moved, { recursive: true });
    expect(await h.fixture.leftoverMounts()).toEqual([]);
  });

  it('turns away a call on a volume while another call on it is still running, with ABORTED', async () => {
    const { volumeId, loop } = await h.attachVolume(64 * MiB);
    const link = path.join(h.config.byIdDir, `virtio-${volumeId.slice(0, 20)}`);
    // Without its device link the stage keeps waiting for the device, holding the volume.
    await fs.unlink(link);
    const staging = h.node.nodeStageVolume({
      volumeId,
      stagingTargetPath: h.stagingPath(volumeId),
      volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'ext4'),
    });
    let stagingDone = false;
    void staging.then(
      () => (stagingDone = true),
      () => (stagingDone = true),
    );
    let code: number | string = 'no error';
    while (code !== status.ABORTED && !stagingDone) {
      code = await codeOf(h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) }));
    }
    expect(code).toBe(status.ABORTED);
    await fs.symlink(loop.device, link);
    await staging;
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId) });
  });
});

async function firstSector(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(512);
    await handle.read(buffer, 0, 512, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}
