import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A block device's kernel number, as sysfs names it under /sys/dev/block/<major>:<minor>. */
export interface DeviceNumber {
  readonly major: number;
  readonly minor: number;
}

/** Splits st_rdev the way glibc's major()/minor() do (12+20 bit major, 20+12 bit minor, 64-bit dev_t). */
export function splitDeviceNumber(rdev: number | bigint): DeviceNumber {
  const dev = BigInt(rdev);
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/**
 * The sysfs directory of the block device at `device` (a device node, a link to one, or a file a device node is
 * bind-mounted onto). Fails with the path named when it is not a block device.
 */
export async function sysfsBlockDir(device: string, sysfsRoot: string): Promise<string> {
  const stat = await fs.stat(device, { bigint: true });
  if (!stat.isBlockDevice()) throw new Error(`${device} is not a block device`);
  const { major, minor } = splitDeviceNumber(stat.rdev);
  return path.join(sysfsRoot, 'dev', 'block', `${major}:${minor}`);
}

/** Size in bytes from the kernel's own count of 512-byte sectors (sysfs "size"), without running a tool. */
export async function blockDeviceSize(device: string, sysfsRoot: string): Promise<number> {
  const file = path.join(await sysfsBlockDir(device, sysfsRoot), 'size');
  const text = (await fs.readFile(file, 'utf8')).trim();
  const sectors = Number(text);
  if (text === '' || !Number.isSafeInteger(sectors * 512)) throw new Error(`${file}: unexpected content "${text}"`);
  return sectors * 512;
}

/** Whether the kernel knows partitions on the device (sysfs subdirectories with a "partition" file, as lsblk sees them). */
export async function hasPartitions(device: string, sysfsRoot: string): Promise<boolean> {
  const dir = await sysfsBlockDir(device, sysfsRoot);
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    try {
      await fs.access(path.join(dir, entry.name, 'partition'));
      return true;
    } catch {
      // not a partition (queue/, power/, holders/, ...)
    }
  }
  return false;
}
