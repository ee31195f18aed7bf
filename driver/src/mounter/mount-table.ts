import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MountEntry } from './mounter';
import { runTool, type ToolOptions } from './run-tool';

const COLUMNS = 'TARGET,SOURCE,FSTYPE,VFS-OPTIONS,FS-OPTIONS,MAJ:MIN,FSROOT';

interface FindmntRow {
  target?: unknown;
  source?: unknown;
  fstype?: unknown;
  'vfs-options'?: unknown;
  'fs-options'?: unknown;
  'maj:min'?: unknown;
  fsroot?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function options(value: unknown): string[] {
  return text(value)
    .split(',')
    .filter((o) => o.length > 0);
}

/** Parses `findmnt --json --list` output into mount entries, in mount order. */
export function parseFindmntJson(json: string): MountEntry[] {
  if (json.trim() === '') return [];
  const parsed = JSON.parse(json) as { filesystems?: FindmntRow[] };
  return (parsed.filesystems ?? []).map((row) => ({
    target: text(row.target),
    source: text(row.source),
    fsType: text(row.fstype),
    vfsOptions: options(row['vfs-options']),
    fsOptions: options(row['fs-options']),
    majMin: text(row['maj:min']),
    fsRoot: text(row.fsroot),
  }));
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

/** The whole mount table of this process's mount namespace, in mount order. */
export async function allMounts(toolOptions: ToolOptions = {}): Promise<MountEntry[]> {
  let stdout: string;
  try {
    ({ stdout } = await runTool('findmnt', ['--json', '--list', '--output', COLUMNS], toolOptions));
  } catch (error) {
    // findmnt exits 1 with no output when the table is empty (never on a real system, but be exact).
    if ((error as { exitCode?: number }).exitCode === 1) return [];
    throw error;
  }
  return parseFindmntJson(stdout);
}

/**
 * Every mount whose target is exactly this path, bottom first. Reads the whole table rather than asking findmnt
 * for the mount point, because findmnt resolves the path itself and fails on a broken mount or a missing directory.
 */
export async function mountsAt(target: string, toolOptions: ToolOptions = {}): Promise<MountEntry[]> {
  const wanted = await canonicalMountPath(target);
  return (await allMounts(toolOptions)).filter((entry) => entry.target === wanted);
}
