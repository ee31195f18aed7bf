import { status } from '@grpc/grpc-js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import type { DeviceContents } from '../../src/mounter/mounter';
import { runTool } from '../../src/mounter/run-tool';
import { grpcCode } from '../helpers/csi-client';
import { MiB, mountCapability, NodeHarness } from './node-harness';

/**
 * The real mounter with a hook before each probe of a device (blkid): the point where NodeStageVolume has found
 * the device and holds the in-flight guard. Tests use it to hold a stage there or to take the device away.
 */
class ProbeHookMounter extends LinuxMounter {
  beforeProbe: ((device: string) => Promise<void>) | undefined;

  override async probeDevice(device: string): Promise<DeviceContents> {
    await this.beforeProbe?.(device);
    return super.probeDevice(device);
  }
}

const mounter = new ProbeHookMounter();
let h: NodeHarness;

beforeAll(async () => {
  h = await NodeHarness.start('node-contention', {}, mounter);
});

afterEach(() => {
  mounter.beforeProbe = undefined;
});

afterAll(async () => {
  const leftovers = await h.close();
  expect(leftovers).toEqual({ mounts: [], loops: [] });
});

/** The code and message of a failed call, or 'OK'. */
async function outcome(call: Promise<unknown>): Promise<{ code: string; message: string } | 'OK'> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return { code: status[grpcCode(error) ?? status.UNKNOWN] ?? 'UNKNOWN', message: String((error as { details?: string }).details) };
  }
}

describe('two volumes on one staging path', () => {
  it('the second NodeStageVolume or NodeUnstageVolume is ABORTED while the first stages there, however the path is spelled', async () => {
    const first = await h.attachVolume(64 * MiB);
    const second = await h.attachVolume(64 * MiB);
    const staging = h.stagingPath(first.volumeId);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atProbe = new Promise<void>((resolve) => (reached = resolve));
    mounter.beforeProbe = async () => {
      reached();
      await held;
    };
    const firstStage = h.node.nodeStageVolume({ volumeId: first.volumeId, stagingTargetPath: staging, volumeCapability: mountCapability() });
    await atProbe;
    const pending = { code: 'ABORTED', message: `an operation for path ${staging} is already in progress; retry later` };
    expect(await outcome(h.node.nodeStageVolume({ volumeId: second.volumeId, stagingTargetPath: staging, volumeCapability: mountCapability() }))).toEqual(pending);
    expect(await outcome(h.node.nodeStageVolume({ volumeId: second.volumeId, stagingTargetPath: `${staging}/`, volumeCapability: mountCapability() }))).toEqual(pending);
    expect(await outcome(h.node.nodeUnstageVolume({ volumeId: second.volumeId, stagingTargetPath: staging }))).toEqual(pending);
    release();
    await firstStage;
    const staged = await mounter.findMount(staging);
    expect(staged?.source).toBe(first.loop.device);
    // Once the first is done, the second volume's stage at the same path is the spec's ALREADY_EXISTS, not a race.
    mounter.beforeProbe = undefined;
    expect(await outcome(h.node.nodeStageVolume({ volumeId: second.volumeId, stagingTargetPath: staging, volumeCapability: mountCapability() }))).toEqual({
      code: 'ALREADY_EXISTS',
      message: `staging_target_path ${staging} already has ${first.loop.device} (ext4) mounted, not volume ${second.volumeId} as ext4 read-write`,
    });
    expect(await outcome(h.node.nodeUnstageVolume({ volumeId: first.volumeId, stagingTargetPath: staging }))).toBe('OK');
    expect(await mounter.findMount(staging)).toBeUndefined();
  });
});

describe('a device that disappears while its volume is staged', () => {
  it('is NOT_FOUND naming the volume and the device, and nothing is left mounted', async () => {
    const { volumeId, loop } = await h.attachVolume(64 * MiB);
    const staging = h.stagingPath(volumeId);
    // As a concurrent detach does: the by-id link goes and the loop device loses its backing file.
    mounter.beforeProbe = async () => {
      await fs.rm(path.join(h.config.byIdDir, `virtio-${volumeId.slice(0, 20)}`));
      await runTool('losetup', ['--detach', loop.device]);
    };
    const result = await outcome(h.node.nodeStageVolume({ volumeId, stagingTargetPath: staging, volumeCapability: mountCapability() }));
    expect(result).toEqual({
      code: 'NOT_FOUND',
      message: expect.stringMatching(
        new RegExp(
          `^volume ${volumeId} does not exist on this node any more: its device ${loop.device} disappeared while it was being staged \\(detached\\?\\); ` +
            'attach it again \\(ControllerPublishVolume\\) and retry\\. Staging stopped at: (blkid|lsblk|mkfs\\.ext4) ',
        ),
      ),
    });
    expect(await mounter.findMount(staging)).toBeUndefined();
  });

  it('a tool failing while the device is still there keeps its own error', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    mounter.beforeProbe = async () => {
      throw new Error('blkid stand-in failed');
    };
    expect(await outcome(h.node.nodeStageVolume({ volumeId, stagingTargetPath: h.stagingPath(volumeId), volumeCapability: mountCapability() }))).toEqual({
      code: 'INTERNAL',
      message: 'internal error: blkid stand-in failed',
    });
  });
});

describe('a directory that is not mounted but holds files', () => {
  it('NodeUnstageVolume and NodeUnpublishVolume answer OK (the volume is not there) and leave every file in place', async () => {
    const { volumeId } = await h.attachVolume(64 * MiB);
    const staging = h.stagingPath(volumeId);
    const target = h.targetPath(volumeId);
    for (const dir of [staging, target]) {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'someone-elses.txt'), 'keep me');
    }
    expect(await outcome(h.node.nodeUnpublishVolume({ volumeId, targetPath: target }))).toBe('OK');
    expect(await outcome(h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: staging }))).toBe('OK');
    for (const dir of [staging, target]) {
      expect(await fs.readFile(path.join(dir, 'someone-elses.txt'), 'utf8')).toBe('keep me');
    }
    // The parent of a real staging mount (kubelet's per-volume directory) is kept the same way.
    await fs.rm(staging, { recursive: true });
    await h.node.nodeStageVolume({ volumeId, stagingTargetPath: staging, volumeCapability: mountCapability() });
    expect(await outcome(h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: path.dirname(staging) }))).toBe('OK');
    expect((await mounter.findMount(staging))?.target).toBe(staging);
    await h.node.nodeUnstageVolume({ volumeId, stagingTargetPath: staging });
    expect(await mounter.findMount(staging)).toBeUndefined();
  });
});
