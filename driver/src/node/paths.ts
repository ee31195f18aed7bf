import { promises as fs } from 'node:fs';
import { internal } from '../grpc/errors';
import { isCorruptMountError } from '../mounter/mount-table';

/**
 * Removes a mount point that has just been unmounted: an empty directory or the file a block volume was bound
 * onto. Never recursive: a directory that still has content means the unmount did not happen as believed, and
 * deleting it could delete the user's data.
 */
export async function removeMountPoint(target: string): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (stat.isDirectory()) await fs.rmdir(target);
    else await fs.unlink(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw internal(`${target} is not mounted but is not empty either; left in place for inspection`);
    }
    throw error;
  }
}

/** Whether two paths name the same block device (the mount table may spell it differently from the by-id link). */
export async function sameDevice(a: string, b: string): Promise<boolean> {
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.isBlockDevice() && sb.isBlockDevice() && sa.rdev === sb.rdev;
  } catch {
    return false;
  }
}

/** lstat that says undefined for a missing path instead of throwing. */
export async function statIfExists(target: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await fs.stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether something is mounted at target that no longer answers (stale, I/O errors, transport gone). */
export async function isBrokenMount(target: string): Promise<boolean> {
  try {
    await fs.stat(target);
    return false;
  } catch (error) {
    return isCorruptMountError(error);
  }
}
