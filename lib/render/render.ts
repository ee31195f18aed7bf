import { App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { CinderCsi } from '../cinder-csi';
import { JsonObject, mergeValueFiles } from '../template';
import { manifestsYaml } from './manifest-yaml';
import { parseSet } from './set-values';

export interface RenderOptions {
  /** Contents of values files in order (later wins), like `helm -f a.yaml -f b.yaml`. */
  readonly valuesFiles?: ReadonlyArray<{ readonly name: string; readonly content: string }>;
  /** `--set` expressions in order, applied after the files. */
  readonly set?: readonly string[];
  /** `--set-string` expressions in order (every value a string), applied after the `--set` ones, as Helm does. */
  readonly setString?: readonly string[];
  readonly releaseName?: string;
  readonly namespace?: string;
}

/**
 * Plain YAML for a values file, without Helm: the same objects `helm template` renders from the same
 * values (values coalesced over the chart defaults and validated against the chart's schema).
 */
export function renderManifests(options: RenderOptions = {}): string {
  const layers: JsonObject[] = (options.valuesFiles ?? []).map((f) => parseValuesFile(f.name, f.content));
  for (const s of options.set ?? []) layers.push(parseSet(s));
  for (const s of options.setString ?? []) layers.push(parseSet(s, {}, true));
  const values = mergeValueFiles(...layers);
  const app = new App({ outdir: 'cdk8s.out' });
  const chart = new Chart(app, 'cinder-csi');
  new CinderCsi(chart, 'cinder-csi', { ...values, releaseName: options.releaseName, namespace: options.namespace });
  return manifestsYaml(chart.toJson());
}

/** Values files are read as Helm reads them: YAML 1.1 (`yes` is a boolean), a map at the top. */
export function parseValuesFile(name: string, content: string): JsonObject {
  let value: unknown;
  try {
    value = parse(content, { version: '1.1', uniqueKeys: true, merge: true });
  } catch (e) {
    throw new Error(`${name}: invalid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${name}: a values file must be a map of keys`);
  return value as JsonObject;
}
