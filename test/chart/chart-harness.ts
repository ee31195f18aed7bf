import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, Chart } from 'cdk8s';
import { CinderCsi } from '../../lib/cinder-csi';
import { JsonObject, JsonValue } from '../../lib/template';
import { CinderCsiValuesError } from '../../lib/resolve-values';
import { CinderCsiValuesInput } from '../../lib/values';

export const ROOT = resolve(__dirname, '../..');
export const CHART = resolve(ROOT, 'charts/cinder-csi');
export const SCHEMA = JSON.parse(readFileSync(resolve(ROOT, 'lib/generated/values.schema.json'), 'utf8')) as JsonObject;

export interface Release { readonly name: string; readonly namespace: string }

/** What the constructs synthesize for a values file (the same path as cdk8s synth and cinder-csi-render). */
export function renderConstructs(values: JsonObject, release: Release): JsonObject[] {
  const app = new App({ outdir: resolve(ROOT, '.tmp/cdk8s.out') });
  const chart = new Chart(app, 'cinder-csi');
  new CinderCsi(chart, 'cinder-csi', { ...(values as CinderCsiValuesInput), releaseName: release.name, namespace: release.namespace });
  return chart.toJson() as JsonObject[];
}

/** The constructs' verdict on a values file: [] when they accept it, else the problems of the CinderCsiValuesError. */
export function constructsProblems(values: JsonObject, release: Release): string[] {
  try {
    renderConstructs(values, release);
    return [];
  } catch (e) {
    if (!(e instanceof CinderCsiValuesError)) throw e;
    expect(e.message).toBe(`invalid cinder-csi values:\n  ${e.problems.join('\n  ')}`);
    return [...e.problems];
  }
}

/** Runs async tasks with at most `limit` in flight (Helm processes on a shared machine). */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Readable differences between two sets of objects keyed by identity: one line per differing path. */
export function describeDifferences(expected: Record<string, JsonObject>, actual: Record<string, JsonObject>, max = 15): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (!(key in actual)) out.push(`${key}: missing from helm output`);
    else if (!(key in expected)) out.push(`${key}: only in helm output`);
    else diffValue(expected[key], actual[key], key, out);
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}

function diffValue(a: JsonValue, b: JsonValue, path: string, out: string[]): void {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) out.push(`${path}: constructs have ${a.length} items, helm ${b.length}`);
      for (let i = 0; i < Math.min(a.length, b.length); i++) diffValue(a[i], b[i], `${path}[${i}]`, out);
      return;
    }
    const ma = a as JsonObject;
    const mb = b as JsonObject;
    for (const k of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
      // Own keys only: a key named `constructor` or `__proto__` is an ordinary key of a values map.
      if (!Object.hasOwn(mb, k)) out.push(`${path}.${k}: constructs ${JSON.stringify(ma[k])}, helm has no such key`);
      else if (!Object.hasOwn(ma, k)) out.push(`${path}.${k}: helm ${JSON.stringify(mb[k])}, constructs have no such key`);
      else diffValue(ma[k], mb[k], `${path}.${k}`, out);
    }
    return;
  }
  if (!Object.is(a, b) && !(a === 0 && b === 0)) out.push(`${path}: constructs ${JSON.stringify(a)}, helm ${JSON.stringify(b)}`);
}
