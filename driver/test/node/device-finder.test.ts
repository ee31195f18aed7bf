import { status } from '@grpc/grpc-js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import { DeviceFinder, deviceLinkNames } from '../../src/node/device-finder';
import { LoopFixture } from '../mounter/loop-fixture';

const VOLUME_ID = '3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f';
let fixture: LoopFixture;

beforeAll(async () => {
  fixture = await LoopFixture.create('devfind');
});

afterAll(async () => {
  await fixture.cleanup();
  expect(await fixture.leftoverLoops()).toEqual([]);
});

async function finderIn(dir: string, waitTimeoutMs = 5_000): Promise<DeviceFinder> {
  return new DeviceFinder(new LinuxMounter(), { byIdDir: dir, waitTimeoutMs, waitIntervalMs: 50 });
}

describe('deviceLinkNames', () => {
  it('covers virtio serials truncated to 20 characters, full ids, QEMU SCSI serials and WWNs', () => {
    expect(deviceLinkNames(VOLUME_ID)).toEqual([
      'virtio-3f2a9c1e-7b4d-4e8a-9',
      'virtio-3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f',
      'scsi-0QEMU_QEMU_HARDDISK_3f2a9c1e-7b4d-4e8a-9',
      'scsi-0QEMU_QEMU_HARDDISK_3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f',
      'wwn-0x3f2a9c1e7b4d4e8a9c0f1a2b3c4d5e6f',
    ]);
  });
});

describe('DeviceFinder', () => {
  it.each(deviceLinkNames(VOLUME_ID))('finds the device through a link named %s', async (name) => {
    const loop = await fixture.attach(1024 * 1024);
    const dir = await fixture.mkdir(`by-id-${name}`);
    await fs.symlink(loop.device, path.join(dir, name));
    expect(await (await finderIn(dir)).find(VOLUME_ID)).toBe(loop.device);
  });

  it('ignores a dangling link and a link to something that is not a block device', async () => {
    const dir = await fixture.mkdir('by-id-bad');
    await fs.symlink('/dev/nonexistent-loop', path.join(dir, deviceLinkNames(VOLUME_ID)[0]));
    await fs.symlink('/dev/null', path.join(dir, deviceLinkNames(VOLUME_ID)[1]));
    expect(await (await finderIn(dir)).findNow(VOLUME_ID)).toBeUndefined();
  });

  it('keeps looking, rescanning and settling udev (replaying events once), until the device appears', async () => {
    const loop = await fixture.attach(1024 * 1024);
    const dir = await fixture.mkdir('by-id-late');
    const settles: boolean[] = [];
    // udev makes the link during the third settle, as it would for a disk that the hypervisor attaches late.
    class LateUdev extends LinuxMounter {
      override async settleUdev(trigger?: boolean): Promise<void> {
        await super.settleUdev(trigger);
        settles.push(trigger ?? true);
        if (settles.length === 3) await fs.symlink(loop.device, path.join(dir, deviceLinkNames(VOLUME_ID)[2]));
      }
    }
    const finder = new DeviceFinder(new LateUdev(), { byIdDir: dir, waitTimeoutMs: 60_000, waitIntervalMs: 10 });
    expect(await finder.find(VOLUME_ID)).toBe(loop.device);
    // Events are replayed once per wait, not on every look.
    expect(settles).toEqual([true, false, false]);
  });

  it('gives NOT_FOUND naming the links it looked for once the bounded wait is over', async () => {
    const dir = await fixture.mkdir('by-id-empty');
    const failure = await (await finderIn(dir, 300)).find(VOLUME_ID).catch((e) => e);
    expect(failure).toMatchObject({ code: status.NOT_FOUND });
    expect(failure.message).toContain(`in ${dir} within 300 ms`);
    expect(failure.message).toContain('wwn-0x3f2a9c1e7b4d4e8a9c0f1a2b3c4d5e6f');
  });

  it('stops waiting with CANCELLED as soon as the caller cancels', async () => {
    const dir = await fixture.mkdir('by-id-cancel');
    const controller = new AbortController();
    const finding = (await finderIn(dir, 600_000)).find(VOLUME_ID, { signal: controller.signal });
    controller.abort(new Error('call cancelled by client'));
    await expect(finding).rejects.toMatchObject({ code: status.CANCELLED });
  });
});

describe('SCSI rescans', () => {
  it('ask every SCSI host to scan and a device to re-read its size, and do nothing where sysfs has no such files', async () => {
    const sysfs = await fixture.mkdir('sysfs');
    for (const host of ['host0', 'host1']) {
      await fs.mkdir(path.join(sysfs, 'class', 'scsi_host', host), { recursive: true });
      await fs.writeFile(path.join(sysfs, 'class', 'scsi_host', host, 'scan'), '');
    }
    const loop = await fixture.attach(1024 * 1024);
    const rescan = path.join(sysfs, 'block', path.basename(loop.device), 'device', 'rescan');
    await fs.mkdir(path.dirname(rescan), { recursive: true });
    await fs.writeFile(rescan, '');
    const mounter = new LinuxMounter({ sysfsRoot: sysfs });
    await mounter.rescanScsiHosts();
    await mounter.rescanDevice(loop.device);
    expect(await fs.readFile(path.join(sysfs, 'class', 'scsi_host', 'host1', 'scan'), 'utf8')).toBe('- - -');
    expect(await fs.readFile(rescan, 'utf8')).toBe('1');

    const empty = new LinuxMounter({ sysfsRoot: await fixture.mkdir('no-sysfs') });
    await empty.rescanScsiHosts();
    await empty.rescanDevice(loop.device);
  });
});
