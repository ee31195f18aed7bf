import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { HelmFragments, JsonObject, JsonValue, ObjectTemplate, toHelm } from '../../lib/template';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

export const HELM_VERSIONS = ['v3', 'v4'] as const;
export type HelmVersion = (typeof HELM_VERSIONS)[number];

/** The real Helm binaries extracted by scripts/helm.sh. */
export function helmBinary(version: HelmVersion): string {
  const bin = join(ROOT, '.tmp', 'helm', version, 'helm');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run scripts/helm.sh first`);
  return bin;
}

/** A scratch directory removed by `cleanup()`; Helm's own config and cache dirs live inside it too. */
export class Scratch {
  public readonly dir = mkdtempSync(join(tmpdir(), 'cinder-csi-helm-'));
  private counter = 0;

  public file(name: string, content: string): string {
    const path = join(this.dir, `${this.counter++}-${name}`);
    writeFileSync(path, content);
    return path;
  }

  public env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.dir,
      HELM_CACHE_HOME: join(this.dir, '.cache'),
      HELM_CONFIG_HOME: join(this.dir, '.config'),
      HELM_DATA_HOME: join(this.dir, '.data'),
    };
  }

  public cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A values object as the text of a values file for Helm. JSON is YAML, except that YAML 1.1 reads a raw
 * U+0085/U+2028/U+2029 (legal inside JSON strings) as a line break: those are escaped.
 */
export function valuesFileText(values: JsonValue): string {
  return JSON.stringify(values).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes a minimal chart holding these object templates (values.yaml = the defaults, as JSON). */
export function writeTestChart(scratch: Scratch, templates: readonly ObjectTemplate[], defaults: JsonObject): string {
  const chart = join(scratch.dir, `chart-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: sample\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'values.yaml'), `${JSON.stringify(defaults, null, 2)}\n`);
  const fragments = new HelmFragments();
  for (const t of templates) writeFileSync(join(chart, 'templates', `${t.file}.yaml`), toHelm(t, fragments));
  if (fragments.size > 0) writeFileSync(join(chart, 'templates', '_helpers.tpl'), fragments.text());
  return chart;
}

export interface HelmResult {
  readonly ok: boolean;
  readonly objects: JsonObject[];
  readonly stderr: string;
}

/** Runs `helm template` and parses every document of its output. */
export async function helmTemplate(
  scratch: Scratch, version: HelmVersion, chart: string, args: readonly string[],
): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(helmBinary(version), ['template', ...args, chart], {
      env: scratch.env(), maxBuffer: 64 * 1024 * 1024,
    });
    return { ok: true, objects: parseManifests(stdout), stderr };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, objects: [], stderr: err.stderr ?? err.message };
  }
}

export function parseManifests(text: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML from helm: ${doc.errors.map((e) => e.message).join('; ')}\n${text}`);
    const value = doc.toJS() as JsonValue;
    if (value === null) continue;
    out.push(value as JsonObject);
  }
  return out;
}

/** Objects keyed by apiVersion/kind/namespace/name, for order-independent comparison. */
export function byIdentity(objects: readonly JsonObject[]): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const o of objects) {
    const meta = (o.metadata ?? {}) as JsonObject;
    const key = `${String(o.apiVersion)}/${String(o.kind)}/${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
    if (key in out) throw new Error(`two objects with identity ${key}`);
    out[key] = o;
  }
  return out;
}
