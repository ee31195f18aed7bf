import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
const TABLE = join(ROOT, 'scripts/referees/referees.tsv');

export interface Referee {
  readonly name: string;
  readonly module: string;
  /** What the Go module proxy is asked for: a tag, or the tag's commit where the proxy refuses the tag. */
  readonly version: string;
  readonly pkg: string;
  readonly how: 'install' | 'module' | 'k8s';
  /** The release tag (the image tag the chart deploys, for the sidecars). */
  readonly tag: string;
}

/** The referees the tests build from the Go module proxy, as scripts/referees/referees.tsv lists them. */
export function referees(): Referee[] {
  return readFileSync(TABLE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [name, module, version, pkg, how, tag] = l.split('\t');
      return { name, module, version, pkg, how: how as Referee['how'], tag: tag || version };
    });
}

export const CACHE = process.env.CINDER_CSI_CACHE ?? '/var/cache/cinder-csi';

/**
 * Builds (once per version; cached in $CINDER_CSI_CACHE) and returns the paths of the named referees. Throws with the
 * build script's own message when Go or the module proxy is missing: a suite that needs a referee never skips.
 */
export function buildReferees(names: readonly string[]): Record<string, string> {
  try {
    execFileSync('bash', [join(ROOT, 'scripts/referees/build.sh'), ...names], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60 * 60_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`building the referees (${names.join(', ')}) failed:\n${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}`);
  }
  const all = referees();
  const paths: Record<string, string> = {};
  for (const name of names) {
    const r = all.find((x) => x.name === name);
    if (!r) throw new Error(`no referee named ${name} in ${TABLE}`);
    paths[name] = join(CACHE, 'bin', `${r.name}-${r.tag}`);
  }
  return paths;
}

/** The directory holding the external-snapshotter CRDs at the snapshotter's version (fetched with csi-snapshotter). */
export function snapshotCrdDir(): string {
  const r = referees().find((x) => x.name === 'csi-snapshotter');
  if (!r) throw new Error('csi-snapshotter is not in the referee table');
  return join(CACHE, 'crds', `snapshot-${r.tag}`);
}
