import { promises as fs } from 'node:fs';
import { isCorruptMountError } from '../mounter/mount-table';

/**
 * Removes a mount point that has just been unmounted: an empty directory or the file a block volume was bound
 * onto. Never recursive: a directory that still has content holds files that are not the volume's (nothing is
 * mounted there any more), and deleting them could delete someone's data. Says false when it kept such a
 * directory, true when the mount point is gone.
 */
export async function removeMountPoint(target: string): Promise<boolean> {
  let stat;
  try {
    stat = await fs.lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  try {
    if (stat.isDirectory()) await fs.rmdir(target);
    else await fs.unlink(target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
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
