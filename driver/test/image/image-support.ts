import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SUPPORTED_FS_TYPES } from '../../src/mounter/mounter';

const DRIVER = path.join(__dirname, '..', '..');
const SCRIPTS = path.join(DRIVER, '..', 'scripts', 'image');

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; rejects with its exit code, stderr and stdout in the message. */
export function run(file: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed (${String(error.code ?? error.signal)}):\n${stderr}${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** podman on the project's container store (scripts/image/podman.sh). */
export function podman(args: readonly string[], timeoutMs = 120_000): Promise<CommandResult> {
  return run('bash', [path.join(SCRIPTS, 'podman.sh'), ...args], timeoutMs);
}

/** Builds driver/Dockerfile with scripts/image/build.sh (reused when its inputs are unchanged); returns the tag. */
export async function buildImage(): Promise<string> {
  const { stdout } = await run('bash', [path.join(SCRIPTS, 'build.sh')], 40 * 60_000);
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1];
}

export interface ImageFile {
  /** Path inside the image, without the leading slash. */
  readonly path: string;
  readonly bytes: number;
  readonly type: 'file' | 'dir' | 'link' | 'other';
}

/** Every entry of the image's file system, from `podman export` of a container made from it (never started). */
export async function imageFiles(image: string): Promise<ImageFile[]> {
  const { stdout: id } = await podman(['create', image]);
  try {
    const container = id.trim();
    const { stdout } = await run('bash', ['-o', 'pipefail', '-c', `bash "$0" export "$1" | tar -tv --numeric-owner`, path.join(SCRIPTS, 'podman.sh'), container], 120_000);
    return stdout.split('\n').filter((l) => l !== '').map(parseTarLine);
  } finally {
    await podman(['rm', '--force', id.trim()]);
  }
}

/** One line of GNU `tar -tv`: mode owner size date time path [-> target]. */
function parseTarLine(line: string): ImageFile {
  const m = /^(\S)\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.*?)(?: -> .*)?$/.exec(line);
  if (!m) throw new Error(`unexpected tar listing line: ${line}`);
  const type = m[1] === '-' ? 'file' : m[1] === 'd' ? 'dir' : m[1] === 'l' ? 'link' : 'other';
  return { path: m[3].replace(/^\.?\//, '').replace(/\/$/, ''), bytes: Number(m[2]), type };
}

/** The image's uncompressed size as podman reports it. */
export async function imageSize(image: string): Promise<number> {
  const { stdout } = await podman(['image', 'inspect', '--format', '{{.Size}}', image]);
  return Number(stdout.trim());
}

/** Bytes per part of the image: Node, the driver's code, its dependencies, shared libraries, tools, the rest. */
export function sizeBreakdown(files: readonly ImageFile[]): Record<string, number> {
  const parts: Record<string, number> = { node: 0, driver: 0, node_modules: 0, libraries: 0, tools: 0, other: 0 };
  for (const f of files) {
    if (f.type !== 'file') continue;
    const part =
      f.path === 'usr/local/bin/node' ? 'node'
      : f.path.startsWith('opt/cinder-csi/node_modules/') ? 'node_modules'
      : f.path.startsWith('opt/cinder-csi/') ? 'driver'
      : /^usr\/lib(64)?\//.test(f.path) ? 'libraries'
      : /^usr\/s?bin\//.test(f.path) ? 'tools'
      : 'other';
    parts[part] += f.bytes;
  }
  return parts;
}

/**
 * The programs driver/src runs (`runTool('name', ...)`; `mkfs.${fsType}` for each supported file system), read from the
 * source so that a tool added to the driver and forgotten in the image fails the image test.
 */
export async function toolsTheDriverRuns(): Promise<string[]> {
  const tools = new Set<string>(SUPPORTED_FS_TYPES.map((fsType) => `mkfs.${fsType}`));
  for (const file of await sourceFiles(path.join(DRIVER, 'src'))) {
    for (const m of (await fs.readFile(file, 'utf8')).matchAll(/runTool\(\s*'([^']+)'/g)) tools.add(m[1]);
  }
  return [...tools].sort();
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return Promise.resolve(e.name.endsWith('.ts') ? [full] : []);
  }));
  return nested.flat();
}
