import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { blockDeviceSize, hasPartitions, splitDeviceNumber } from '../../src/mounter/block-device';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import type { MountEntry } from '../../src/mounter/mounter';
import { allMounts, parseMountInfo, topMountAt } from '../../src/mounter/mount-table';
import { runTool } from '../../src/mounter/run-tool';
import { LoopFixture } from './loop-fixture';

const MiB = 1024 * 1024;
const mounter = new LinuxMounter();
let fixture: LoopFixture;

beforeAll(async () => {
  fixture = await LoopFixture.create('mount-table');
});

afterAll(async () => {
  const mountsLeftByTests = await fixture.leftoverMounts();
  await fixture.cleanup();
  expect(mountsLeftByTests).toEqual([]);
});

describe('parseMountInfo', () => {
  const sample = [
    '27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard',
    // optional fields (several), an escaped space and backslash in the mount point
    '40 27 7:3 / /var/lib/kubelet/pods/a\\040b/c\\134d rw,noatime shared:5 master:2 - xfs /dev/loop3 rw,nouuid',
    // a device node bind-mounted onto a file: findmnt shows the file as "devtmpfs[/loop3]"
    '41 27 0:6 /loop3 /k/publish/vol ro,relatime - devtmpfs udev rw,size=10k',
    // a read-only bind of a healthy filesystem; and one whose superblock the kernel made read-only
    '42 27 7:4 /sub /k/pods/x rw - ext4 /dev/loop4 ro,errors=remount-ro',
    // an empty source (the kernel writes "none" instead, but be exact) and no optional fields
    '43 27 0:50 / /run/empty rw - tmpfs  rw',
    'not a mountinfo line',
    '',
  ].join('\n');

  it('reads every field the node service uses, unescaping paths and spelling bind sources as findmnt does', () => {
    expect(parseMountInfo(sample)).toEqual<MountEntry[]>([
      { target: '/', source: '/dev/vda', fsType: 'ext4', vfsOptions: ['rw', 'relatime'], fsOptions: ['rw', 'discard'], majMin: '254:0', fsRoot: '/' },
      {
        target: '/var/lib/kubelet/pods/a b/c\\d',
        source: '/dev/loop3',
        fsType: 'xfs',
        vfsOptions: ['rw', 'noatime'],
        fsOptions: ['rw', 'nouuid'],
        majMin: '7:3',
        fsRoot: '/',
      },
      { target: '/k/publish/vol', source: 'udev[/loop3]', fsType: 'devtmpfs', vfsOptions: ['ro', 'relatime'], fsOptions: ['rw', 'size=10k'], majMin: '0:6', fsRoot: '/loop3' },
      { target: '/k/pods/x', source: '/dev/loop4[/sub]', fsType: 'ext4', vfsOptions: ['rw'], fsOptions: ['ro', 'errors=remount-ro'], majMin: '7:4', fsRoot: '/sub' },
      { target: '/run/empty', source: '', fsType: 'tmpfs', vfsOptions: ['rw'], fsOptions: ['rw'], majMin: '0:50', fsRoot: '/' },
    ]);
  });

  it('gives an empty table for empty input', () => {
    expect(parseMountInfo('')).toEqual([]);
  });

  it('finds the topmost of mounts stacked on one path, and nothing for a path without mounts', () => {
    const stacked = parseMountInfo(
      ['50 27 7:3 / /k/t rw - ext4 /dev/loop3 rw', '51 27 7:3 / /k/other rw - ext4 /dev/loop3 rw', '52 50 7:4 / /k/t ro - xfs /dev/loop4 rw'].join('\n'),
    );
    expect(topMountAt(stacked, '/k/t')).toMatchObject({ source: '/dev/loop4', fsType: 'xfs' });
    expect(topMountAt(stacked, '/k/none')).toBeUndefined();
  });
});

describe('the in-process mount table', () => {
  it('agrees with findmnt on every mount the node service makes (plain, bind of a dir, read-only bind, device onto a file, odd names)', async () => {
    const loop = await fixture.attach(64 * MiB);
    await mounter.format(loop.device, 'ext4');
    const staging = await fixture.mkdir('staging dir');
    await mounter.mount(loop.device, staging, 'ext4', ['noatime']);
    await fs.mkdir(path.join(staging, 'sub'));
    const publish = await fixture.mkdir('publish\\rw');
    await mounter.bindMount(staging, publish, false);
    const readOnly = await fixture.mkdir('publish-ro');
    await mounter.bindMount(path.join(staging, 'sub'), readOnly, true);
    const blockTarget = path.join(await fixture.mkdir('block'), 'dev');
    await fs.writeFile(blockTarget, '');
    const raw = await fixture.attach(32 * MiB);
    await mounter.bindMount(raw.device, blockTarget, false);
    try {
      const ours = (await allMounts()).filter((m) => m.target.startsWith(fixture.dir + path.sep));
      const { stdout } = await runTool('findmnt', ['--json', '--list', '--output', 'TARGET,SOURCE,FSTYPE,VFS-OPTIONS,FS-OPTIONS,MAJ:MIN,FSROOT']);
      const rows = (JSON.parse(stdout) as { filesystems: Array<Record<string, string>> }).filesystems;
      const theirs = rows
        .filter((r) => r.target.startsWith(fixture.dir + path.sep))
        .map((r) => ({
          target: r.target,
          source: r.source,
          fsType: r.fstype,
          vfsOptions: r['vfs-options'].split(','),
          fsOptions: r['fs-options'].split(','),
          majMin: r['maj:min'],
          fsRoot: r.fsroot,
        }));
      expect(ours.map((m) => m.target)).toEqual([staging, publish, readOnly, blockTarget]);
      expect(ours).toEqual(theirs);
    } finally {
      for (const target of [blockTarget, readOnly, publish, staging]) await mounter.unmount(target);
    }
  });
});

describe('block devices from sysfs', () => {
  it('splits a 64-bit device number like glibc major()/minor()', () => {
    expect(splitDeviceNumber(0x0703)).toEqual({ major: 7, minor: 3 });
    // major 259 (blkext), minor 70000: the high minor bits live above bit 20
    const rdev = (259n << 8n) | (70000n & 0xffn) | ((70000n & ~0xffn) << 12n);
    expect(splitDeviceNumber(rdev)).toEqual({ major: 259, minor: 70000 });
    expect(splitDeviceNumber(Number(rdev))).toEqual({ major: 259, minor: 70000 });
  });

  it('reads the size of a device, of a link to it and of a file it is bound onto', async () => {
    const loop = await fixture.attach(48 * MiB);
    const link = path.join(fixture.dir, 'by-id-link');
    await fs.symlink(loop.device, link);
    expect(await blockDeviceSize(loop.device, '/sys')).toBe(48 * MiB);
    expect(await blockDeviceSize(link, '/sys')).toBe(48 * MiB);
    await fixture.grow(loop, 80 * MiB);
    expect(await mounter.deviceSize(link)).toBe(80 * MiB);
  });

  it('names a path that is not a block device', async () => {
    await expect(blockDeviceSize(fixture.dir, '/sys')).rejects.toThrow(`${fixture.dir} is not a block device`);
  });

  it('sees partitions where sysfs lists them under the device, and none on a plain device', async () => {
    const plain = await fixture.attach(64 * MiB);
    expect(await hasPartitions(plain.device, '/sys')).toBe(false);
    // This kernel does not scan loop devices for partitions, so the partition comes from a sysfs tree of our own.
    const { major, minor } = splitDeviceNumber((await fs.stat(plain.device, { bigint: true })).rdev);
    const sysfs = await fixture.mkdir('sysfs');
    const deviceDir = await fixture.mkdir('sysfs', 'dev', 'block', `${major}:${minor}`);
    await fs.mkdir(path.join(deviceDir, 'queue'));
    expect(await hasPartitions(plain.device, sysfs)).toBe(false);
    await fs.mkdir(path.join(deviceDir, 'loopXp1'));
    await fs.writeFile(path.join(deviceDir, 'loopXp1', 'partition'), '1\n');
    expect(await hasPartitions(plain.device, sysfs)).toBe(true);
  });
});
