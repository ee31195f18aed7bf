import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CAP_SYS_RESOURCE, hasCapability } from '../../src/mounter/capabilities';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import { runTool, ToolError } from '../../src/mounter/run-tool';
import { LoopFixture } from './loop-fixture';

const MiB = 1024 * 1024;
const mounter = new LinuxMounter();
let fixture: LoopFixture;

beforeAll(async () => {
  fixture = await LoopFixture.create('mounter');
});

afterAll(async () => {
  // Every test unmounts what it mounted; the fixture then detaches its loop devices.
  const mountsLeftByTests = await fixture.leftoverMounts();
  await fixture.cleanup();
  expect(mountsLeftByTests).toEqual([]);
  expect(await fixture.leftoverMounts()).toEqual([]);
  expect(await fixture.leftoverLoops()).toEqual([]);
});

describe('runTool', () => {
  it('reports the tool, its exit code and the end of its stderr when it fails', async () => {
    const failure = await runTool('mount', ['/nonexistent-device-for-test', '/nonexistent-dir']).catch((e) => e);
    expect(failure).toBeInstanceOf(ToolError);
    expect(failure.message).toMatch(/^mount \/nonexistent-device-for-test \/nonexistent-dir failed with exit code \d+: .+/);
  });

  it('reports a tool that is not installed as not startable rather than hanging or crashing', async () => {
    const failure = await runTool('no-such-tool-cinder-csi', []).catch((e) => e);
    expect(failure).toBeInstanceOf(ToolError);
    expect(failure.reason).toBe('spawn');
  });

  it('stops a tool when the caller cancels', async () => {
    const controller = new AbortController();
    const running = runTool('sleep', ['30'], { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ reason: 'aborted' });
  });
});

describe('settleUdev', () => {
  it('runs udevadm where it exists and is a no-op where it does not (containers, minimal hosts)', async () => {
    await mounter.settleUdev();
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent-bin';
    try {
      await expect(mounter.settleUdev()).resolves.toBeUndefined();
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('probeDevice', () => {
  it('sees a new sparse device as blank', async () => {
    const loop = await fixture.attach(64 * MiB);
    expect(await mounter.probeDevice(loop.device)).toEqual({ kind: 'blank' });
  });

  it('sees the filesystem it holds', async () => {
    const loop = await fixture.attach(64 * MiB);
    await runTool('mkfs.ext3', ['-q', '-F', loop.device]);
    expect(await mounter.probeDevice(loop.device)).toEqual({ kind: 'filesystem', fsType: 'ext3' });
  });

  it('sees a partition table even without any filesystem', async () => {
    const loop = await fixture.attach(64 * MiB);
    await fixture.writePartitionTable(loop, 64 * MiB);
    expect(await mounter.probeDevice(loop.device)).toEqual({ kind: 'partition-table', partitionTableType: 'dos' });
  });
});

describe('mount, bind mount and unmount', () => {
  it('mounts a formatted device, finds it in the mount table and unmounts it idempotently', async () => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, 'ext4');
    const target = await fixture.mkdir('plain');
    await mounter.mount(loop.device, target, 'ext4', ['noatime']);
    const entry = await mounter.findMount(target);
    expect(entry).toMatchObject({ target, source: loop.device, fsType: 'ext4', fsRoot: '/' });
    expect(entry?.vfsOptions).toContain('noatime');
    await mounter.unmount(target);
    expect(await mounter.findMount(target)).toBeUndefined();
    await mounter.unmount(target);
  });

  it('makes a read-only bind mount refuse writes while the source stays writable', async () => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, 'ext4');
    const source = await fixture.mkdir('bind-src');
    const target = await fixture.mkdir('bind-ro');
    await mounter.mount(loop.device, source, 'ext4', []);
    await mounter.bindMount(source, target, true);
    await expect(fs.writeFile(path.join(target, 'f'), 'x')).rejects.toMatchObject({ code: 'EROFS' });
    await fs.writeFile(path.join(source, 'f'), 'x');
    expect((await mounter.findMount(target))?.vfsOptions).toContain('ro');
    await mounter.unmount(target);
    await mounter.unmount(source);
  });

  it('removes every mount stacked on one path', async () => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, 'ext4');
    const source = await fixture.mkdir('stack-src');
    const target = await fixture.mkdir('stack');
    await mounter.mount(loop.device, source, 'ext4', []);
    await mounter.bindMount(source, target, false);
    await mounter.bindMount(source, target, false);
    await mounter.unmount(target);
    expect(await mounter.findMount(target)).toBeUndefined();
    await mounter.unmount(source);
  });

  it('treats a lazily detached mount as already unmounted', async () => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, 'ext4');
    const target = await fixture.mkdir('lazy');
    await mounter.mount(loop.device, target, 'ext4', []);
    await runTool('umount', ['--lazy', target]);
    await mounter.unmount(target);
    expect(await mounter.findMount(target)).toBeUndefined();
  });

  it('binds a device node onto a file so the file is the block device', async () => {
    const loop = await fixture.attach(32 * MiB);
    const target = path.join(await fixture.mkdir('blk'), 'dev');
    await fs.writeFile(target, '');
    await mounter.bindMount(loop.device, target, false);
    expect((await fs.stat(target)).isBlockDevice()).toBe(true);
    expect(await mounter.deviceSize(target)).toBe(32 * MiB);
    await mounter.unmount(target);
    expect((await fs.stat(target)).isFile()).toBe(true);
  });
});

describe('growing filesystems', () => {
  it('grows a mounted xfs filesystem to its grown device', async () => {
    const loop = await fixture.attach(320 * MiB);
    await mounter.format(loop.device, 'xfs');
    const target = await fixture.mkdir('grow-xfs');
    await mounter.mount(loop.device, target, 'xfs', []);
    expect(await mounter.filesystemSize(loop.device, target, 'xfs')).toBeLessThanOrEqual(320 * MiB);
    await fixture.grow(loop, 640 * MiB);
    expect(await mounter.deviceSize(loop.device)).toBe(640 * MiB);
    await mounter.growFilesystem(loop.device, target, 'xfs');
    expect(await mounter.filesystemSize(loop.device, target, 'xfs')).toBe(640 * MiB);
    await mounter.unmount(target);
  });

  it('grows a mounted ext4 filesystem online when the process may (CAP_SYS_RESOURCE), else says why not', async () => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, 'ext4');
    const target = await fixture.mkdir('grow-ext4');
    await mounter.mount(loop.device, target, 'ext4', []);
    await fixture.grow(loop, 128 * MiB);
    if (await hasCapability(CAP_SYS_RESOURCE)) {
      await mounter.growFilesystem(loop.device, target, 'ext4');
      expect(await mounter.filesystemSize(loop.device, target, 'ext4')).toBe(128 * MiB);
    } else {
      await expect(mounter.growFilesystem(loop.device, target, 'ext4')).rejects.toThrow(/resize2fs .*Permission denied/);
      expect(await mounter.filesystemSize(loop.device, target, 'ext4')).toBe(64 * MiB);
    }
    await mounter.unmount(target);
  });

  it.each(['ext3', 'ext4'] as const)('grows an unmounted %s filesystem, keeping its files', async (fsType) => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, fsType);
    const target = await fixture.mkdir(`grow-offline-${fsType}`);
    await mounter.mount(loop.device, target, fsType, []);
    await fs.writeFile(path.join(target, 'kept'), 'data');
    await mounter.unmount(target);
    await fixture.grow(loop, 128 * MiB);
    await mounter.growUnmountedFilesystem(loop.device, fsType);
    expect(await mounter.filesystemSize(loop.device, undefined, fsType)).toBe(128 * MiB);
    await mounter.mount(loop.device, target, fsType, []);
    expect(await fs.readFile(path.join(target, 'kept'), 'utf8')).toBe('data');
    await mounter.unmount(target);
  });
});

describe('filesystemStats', () => {
  it('matches what df reports for the mount', async () => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, 'ext4');
    const target = await fixture.mkdir('stats');
    await mounter.mount(loop.device, target, 'ext4', []);
    await fs.writeFile(path.join(target, 'data'), Buffer.alloc(MiB, 1));
    const stats = await mounter.filesystemStats(target);
    const { stdout } = await runTool('df', ['--block-size=1', '--output=size,used,avail,itotal,iused,iavail', target]);
    const [size, used, avail, itotal, iused, iavail] = stdout.trim().split('\n')[1].trim().split(/\s+/).map(Number);
    expect(stats).toEqual({
      totalBytes: size,
      usedBytes: used,
      availableBytes: avail,
      totalInodes: itotal,
      usedInodes: iused,
      freeInodes: iavail,
    });
    await mounter.unmount(target);
  });
});
