import fc from 'fast-check';
import { SchemaNode } from '../../lib/chart/schema';
import { cloneJson, JsonObject, JsonValue } from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch, valuesFileText } from '../template/helm-harness';
import { CHART, pool, renderConstructs, SCHEMA } from './chart-harness';
import { isValid } from './random-values';

/*
 * No dead keys: every leaf key of the values schema changes the rendered output, in the constructs and
 * in Helm, starting from a base where every optional component is on (for mode-specific keys, from the
 * base of that mode). A key that changes nothing is a documented setting that silently does nothing.
 */
type Path = ReadonlyArray<string | number>;
interface Leaf { readonly path: Path; readonly schema: SchemaNode }

const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const RELEASE = { name: 'cinder-csi', namespace: 'kube-system' };
const DEFAULTS = (() => {
  const out: JsonObject = {};
  const props = SCHEMA.properties as Record<string, SchemaNode>;
  for (const [k, v] of Object.entries(props)) out[k] = defaultOf(v);
  return out;
})();

function defaultOf(node: SchemaNode): JsonValue {
  if ('default' in node) return cloneJson(node.default as JsonValue);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) out[k] = defaultOf(v);
  return out;
}

function leaves(node: SchemaNode, path: Path = []): Leaf[] {
  const properties = node.properties as Record<string, SchemaNode> | undefined;
  if (properties !== undefined) return Object.entries(properties).flatMap(([k, child]) => leaves(child, [...path, k]));
  const items = node.items as SchemaNode | undefined;
  if (node.type === 'array' && items?.properties !== undefined) return leaves(items, [...path, 0]);
  return [{ path, schema: node }];
}

const PICKS = ['changed-1', 'https://keystone.example:5000/v3', 'metadataService,configDrive', 'configDrive', '5m', 'xfs', 'ext3',
  'internal', 'admin', '/etc/other/cloud.conf', '/var/lib/k8s', 'mirror.example/x', 'x', 'key-2'];

/** Valid values for a leaf that differ from `current`, best candidates first. */
function candidates(node: SchemaNode, current: JsonValue | undefined): JsonValue[] {
  const differs = (v: JsonValue): boolean => JSON.stringify(v) !== JSON.stringify(current);
  if (Array.isArray(node.enum)) return (node.enum as JsonValue[]).filter(differs);
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'boolean': return [current !== true];
    case 'integer':
    case 'number': {
      const min = typeof node.minimum === 'number' ? node.minimum : -1000;
      const max = typeof node.maximum === 'number' ? node.maximum : 1000000;
      const c = typeof current === 'number' ? current : 0;
      return [c + 1, c - 1, min, max, 3].filter((n) => n >= min && n <= max).filter(differs);
    }
    case 'string': {
      const re = typeof node.pattern === 'string' ? new RegExp(node.pattern) : null;
      const min = typeof node.minLength === 'number' ? node.minLength : 0;
      const max = typeof node.maxLength === 'number' ? node.maxLength : Infinity;
      const sampled = re ? fc.sample(fc.stringMatching(re), { seed: 7, numRuns: 30 }) : [];
      return [...PICKS, ...sampled].filter((s) => s !== '' && s.length >= min && s.length <= max && (!re || re.test(s))).filter(differs).slice(0, 4);
    }
    case 'array': {
      const items = (node.items ?? {}) as SchemaNode;
      const base = Array.isArray(current) ? current : [];
      return candidates(items, undefined).slice(0, 2).map((item) => [...base, item]);
    }
    case 'object': {
      const ap = node.additionalProperties;
      const valueSchema = typeof ap === 'object' && ap !== null && !Array.isArray(ap) && Object.keys(ap).length ? (ap as SchemaNode) : null;
      const values = valueSchema ? candidates(valueSchema, undefined) : [{ matchLabelExpressions: [{ key: 'topology.cinder.csi.openstack.org/zone', values: ['nova'] }] }, 'free'];
      const base = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
      return values.slice(0, 2).map((v) => ({ ...base, 'example.com/key': v }));
    }
    default:
      return [];
  }
}

function get(values: JsonValue, path: Path): JsonValue | undefined {
  let cur: JsonValue | undefined = values;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, JsonValue>)[p as never];
  }
  return cur;
}

function set(values: JsonObject, path: Path, value: JsonValue): JsonObject {
  const out = cloneJson(values);
  let cur: JsonValue = out;
  path.forEach((p, i) => {
    const container = cur as Record<string | number, JsonValue>;
    if (i === path.length - 1) container[p] = value;
    // An optional map inside a list item (e.g. envFrom[0].configMapRef) is absent from the minimal item.
    else cur = container[p] ?? (container[p] = {});
  });
  return out;
}

/** A list item with every required field, for lists of objects that are empty by default. */
function minimalItem(items: SchemaNode): JsonObject {
  const out: JsonObject = {};
  const required = new Set(Array.isArray(items.required) ? items.required.map(String) : []);
  for (const [k, child] of Object.entries((items.properties ?? {}) as Record<string, SchemaNode>)) {
    if (required.has(k) && !('default' in child)) out[k] = child.properties !== undefined ? minimalItem(child) : candidates(child, undefined)[0];
  }
  return out;
}

function withItems(values: JsonObject, node: SchemaNode, path: Path = []): JsonObject {
  let out = values;
  for (const [k, child] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
    const p = [...path, k];
    const items = child.items as SchemaNode | undefined;
    if (child.type === 'array' && items?.properties !== undefined) {
      const list = get(out, p);
      if (!Array.isArray(list) || list.length === 0) out = set(out, p, [minimalItem(items)]);
    } else if (child.properties !== undefined) {
      out = withItems(out, child, p);
    }
  }
  return out;
}

/** Bases: everything on with inline credentials, then each other cloud.conf mode. */
function bases(): Array<{ name: string; values: JsonObject }> {
  let allOn = withItems(DEFAULTS, SCHEMA);
  allOn = set(allOn, ['snapshots', 'enabled'], true);
  allOn = set(allOn, ['openshift', 'enabled'], true);
  allOn = set(allOn, ['volumeAttributesClasses', 'enabled'], true);
  allOn = set(set(allOn, ['metrics', 'service', 'enabled'], true), ['metrics', 'serviceMonitor', 'enabled'], true);
  allOn = set(allOn, ['tests', 'enabled'], true);
  allOn = set(allOn, ['cloudConfig', 'mode'], 'secret');
  const globalSchema = ((SCHEMA.properties as Record<string, SchemaNode>).cloudConfig.properties as Record<string, SchemaNode>).global;
  for (const [k, child] of Object.entries(globalSchema.properties as Record<string, SchemaNode>)) {
    if (child.type === 'string') allOn = set(allOn, ['cloudConfig', 'global', k], candidates(child, '')[0]);
  }
  // [Global] is written in mode secret only; the other modes refuse it, so their bases leave it at the defaults.
  const noGlobal = set(allOn, ['cloudConfig', 'global'], cloneJson(get(DEFAULTS, ['cloudConfig', 'global']) as JsonValue));
  const existing = set(set(set(noGlobal, ['cloudConfig', 'mode'], 'existingSecret'), ['cloudConfig', 'existingSecret', 'name'], 'cloud-conf'), ['cloudConfig', 'existingSecret', 'mountOnNode'], true);
  // Several regions are served outside mode secret only; a class's `cloud` must name one of them.
  const regions = set(existing, ['cloudConfig', 'cloudNames'], ['changed-1']);
  // Without the ServiceMonitor (which needs them), so that turning the metrics Services off is a valid change.
  const hostPath = set(set(noGlobal, ['cloudConfig', 'mode'], 'hostPath'), ['metrics', 'serviceMonitor', 'enabled'], false);
  // Mode secret with a verbatim cloud.conf: the typed keys stay empty.
  const raw = set(set(noGlobal, ['cloudConfig', 'mode'], 'secret'), ['cloudConfig', 'raw'], '[Global]\nauth-url = "https://keystone.example:5000/v3"\n');
  const out = [{ name: 'all on, mode secret', values: allOn }, { name: 'mode existingSecret', values: existing },
    { name: 'mode existingSecret, one region', values: regions }, { name: 'mode hostPath', values: hostPath },
    { name: 'mode secret, raw cloud.conf', values: raw }];
  for (const b of out) if (!isValid(b.values)) throw new Error(`base "${b.name}" is not valid values`);
  return out;
}

const constructsOutput = (values: JsonObject): string => JSON.stringify(byIdentity(renderConstructs(values, RELEASE)));

async function helmOutput(version: (typeof HELM_VERSIONS)[number], values: JsonObject): Promise<string> {
  const file = scratch.file('values.json', valuesFileText(values));
  const r = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
  if (!r.ok) throw new Error(`helm ${version} failed: ${r.stderr}`);
  return JSON.stringify(byIdentity(r.objects));
}

test('every leaf key of the values schema changes the output of the constructs and of helm (3 and 4)', async () => {
  const baseList = bases().map((b) => ({ ...b, constructs: constructsOutput(b.values), helm: new Map<string, Promise<string>>() }));
  const all = leaves(SCHEMA);
  expect(all.length).toBeGreaterThan(50);
  const dead = await pool(all, 3, async (leaf) => {
    const key = leaf.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
    for (const base of baseList) {
      for (const value of candidates(leaf.schema, get(base.values, leaf.path) ?? (leaf.schema.default as JsonValue | undefined))) {
        const changed = set(base.values, leaf.path, value);
        if (!isValid(changed) || constructsOutput(changed) === base.constructs) continue;
        const helmDead: string[] = [];
        for (const version of HELM_VERSIONS) {
          if (!base.helm.has(version)) base.helm.set(version, helmOutput(version, base.values));
          if ((await helmOutput(version, changed)) === (await base.helm.get(version))) helmDead.push(version);
        }
        return helmDead.length ? `${key}: changes the constructs' output but not helm ${helmDead.join(', ')}'s` : null;
      }
    }
    return `${key}: no valid change of this key changes the rendered objects`;
  });
  expect(dead.filter((d) => d !== null)).toEqual([]);
}, 600_000);
