import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MountEntry } from './mounter';

/** The kernel's mount table of this process's mount namespace (what findmnt reads too). */
export const MOUNTINFO_PATH = '/proc/self/mountinfo';

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes (\040, \011, \012, \134). */
function unescapeOctal(field: string): string {
  return field.includes('\\') ? field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))) : field;
}

function options(value: string): string[] {
  return value.split(',').filter((o) => o.length > 0);
}

/**
 * Parses /proc/<pid>/mountinfo (proc(5)) into mount entries, in mount order:
 * `id parent maj:min root mount-point mount-options [optional fields...] - fstype source super-options`.
 * The source is given as findmnt shows it: with the mounted directory appended in brackets for a bind mount of
 * a subdirectory or a file (e.g. "devtmpfs[/loop0]"). Lines that do not have this shape are skipped.
 */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 7 || separator < 0 || fields.length < separator + 3) continue;
    const fsRoot = unescapeOctal(fields[3]);
    const source = unescapeOctal(fields[separator + 2]);
    entries.push({
      target: unescapeOctal(fields[4]),
      source: fsRoot === '/' ? source : `${source}[${fsRoot}]`,
      fsType: unescapeOctal(fields[separator + 1]),
      vfsOptions: options(fields[5]),
      fsOptions: options(fields[separator + 3] ?? ''),
      majMin: fields[2],
      fsRoot,
    });
  }
  return entries;
}

/** Errors from stat() that mean "something is mounted here but it no longer works". */
const CORRUPT_MOUNT_ERRORS = new Set(['ENOTCONN', 'ESTALE', 'EIO', 'EHOSTDOWN']);

export function isCorruptMountError(error: unknown): boolean {
  return CORRUPT_MOUNT_ERRORS.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/**
 * The path as the mount table spells it: symlinks resolved where possible (kubelet's directory may be a symlink),
 * otherwise just normalised, so that a target whose directory vanished or whose mount is broken is still found.
 */
export async function canonicalMountPath(target: string): Promise<string> {
  const absolute = path.resolve(target);
  try {
    return await fs.realpath(absolute);
  } catch {
    try {
      return path.join(await fs.realpath(path.dirname(absolute)), path.basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/**
 * The whole mount table of this process's mount namespace, in mount order, read from the kernel in-process. The
 * read is synchronous on purpose: procfs text is generated from kernel memory and never waits on a device, and one
 * read takes less time than the four thread-pool round trips of an asynchronous readFile (open, stat, read, close).
 */
export async function allMounts(mountInfoPath: string = MOUNTINFO_PATH): Promise<MountEntry[]> {
  return parseMountInfo(readFileSync(mountInfoPath, 'utf8'));
}

/** The topmost mount in `mounts` whose target is exactly `canonicalTarget` (see canonicalMountPath). */
export function topMountAt(mounts: readonly MountEntry[], canonicalTarget: string): MountEntry | undefined {
  for (let i = mounts.length - 1; i >= 0; i--) if (mounts[i].target === canonicalTarget) return mounts[i];
  return undefined;
}

/**
 * Every mount whose target is exactly this path, bottom first. Compares against the whole table rather than
 * resolving the path through the mount, which fails on a broken mount or a missing directory.
 */
export async function mountsAt(target: string, mountInfoPath: string = MOUNTINFO_PATH): Promise<MountEntry[]> {
  const [wanted, mounts] = await Promise.all([canonicalMountPath(target), allMounts(mountInfoPath)]);
  return mounts.filter((entry) => entry.target === wanted);
}
