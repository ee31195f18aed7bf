import fc from 'fast-check';
import { JsonObject, JsonValue } from '../../lib/template';
import { resolveValues } from '../../lib/resolve-values';
import { CinderCsiValuesInput } from '../../lib/values';
import { SchemaNode } from '../../lib/chart/schema';

/**
 * Random values files generated from the values JSON Schema (fast-check, fixed seed, so every run
 * tests the same files): every key optional, odd strings and numbers, empty and non-empty maps and
 * lists, booleans that switch components on and off. Kept: files the constructs accept (schema and
 * semantic checks), i.e. the valid values files.
 */
export function randomValuesFiles(schema: SchemaNode, count: number, seed: number): JsonObject[] {
  const arb = fc.tuple(arbitraryFor(schema, 'root') as fc.Arbitrary<JsonObject>, fc.nat(5))
    .map(([values, scheme]) => withUsableObjectValues(withServedClouds(withUsableCloudConfig(values, scheme)), scheme));
  const out: JsonObject[] = [];
  let run = 0;
  while (out.length < count) {
    if (run > 20) throw new Error(`only ${out.length} of ${count} random values files were valid; loosen the generator`);
    for (const sample of fc.sample(arb, { seed: seed + run, numRuns: count * 2 })) {
      // Through JSON, as the values file Helm reads: plain prototypes, -0 becomes 0.
      const candidate = JSON.parse(JSON.stringify(sample)) as JsonObject;
      if (out.length < count && isValid(candidate)) out.push(candidate);
    }
    run++;
  }
  return out;
}

/**
 * Random [Global] sections almost never satisfy the controller's credential rules (and the chart refuses [Global]
 * keys outside mode secret), so most random files would be rejected. This keeps the random strings but, in mode
 * secret, fills in whatever one credential scheme still lacks (password, application credential by id or by name,
 * user id with a trust) and, in the other modes, drops [Global]. Rejected files are the semantic-rules test's job.
 */
function withUsableCloudConfig(values: JsonObject, scheme: number): JsonObject {
  let cc = values.cloudConfig;
  if (cc === undefined || typeof cc !== 'object' || cc === null || Array.isArray(cc)) return values;
  const mode = (cc as JsonObject).mode ?? 'existingSecret';
  const { raw, ...typed } = cc as JsonObject;
  if (mode !== 'secret') {
    const { global: _dropped, ...rest } = typed;
    return { ...values, cloudConfig: rest };
  }
  // One scheme in six writes a verbatim cloud.conf (raw) instead of the typed keys, which must then stay empty.
  if (scheme === 5 && typeof raw === 'string' && raw !== '') {
    const limit = isMap(typed.blockStorage) ? typed.blockStorage.nodeVolumeAttachLimit : undefined;
    const { global: _g, blockStorage: _b, metadata: _m, ...rest } = typed;
    return { ...values, cloudConfig: { ...rest, raw, ...(limit === undefined ? {} : { blockStorage: { nodeVolumeAttachLimit: limit } }) } };
  }
  cc = typed;
  const g: Record<string, JsonValue> = { ...(((cc as JsonObject).global ?? {}) as JsonObject) };
  const fill = (key: string, value: string): void => { if (typeof g[key] !== 'string' || g[key] === '') g[key] = value; };
  const clear = (...keys: string[]): void => { for (const k of keys) g[k] = ''; };
  fill('authUrl', 'https://keystone.example:5000/v3');
  switch (scheme % 4) {
    case 0: // password with user and project domains
      clear('applicationCredentialId', 'applicationCredentialName', 'applicationCredentialSecret', 'userId');
      fill('username', 'svc'); fill('password', 'pw'); fill('userDomainName', 'Default'); fill('projectName', 'p'); fill('projectDomainId', 'default');
      break;
    case 1: // application credential by id
      fill('applicationCredentialId', 'ac-id'); fill('applicationCredentialSecret', 'ac-secret');
      break;
    case 2: // application credential by name, with a user id
      clear('applicationCredentialId');
      fill('applicationCredentialName', 'ac'); fill('applicationCredentialSecret', 'ac-secret'); fill('userId', 'u-1');
      break;
    default: // user id, password and a trust
      clear('applicationCredentialId', 'applicationCredentialName', 'applicationCredentialSecret');
      fill('userId', 'u-1'); fill('password', 'pw'); fill('trustId', 't-1');
      break;
  }
  return { ...values, cloudConfig: { ...(cc as JsonObject), global: g } };
}

const isMap = (x: JsonValue | undefined): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * A class's random `cloud` is almost never one of the random `cloudConfig.cloudNames` (the rule refuses it), so
 * each drawn `cloud` becomes one of the served clouds in turn, or is dropped when none is served (mode secret
 * refuses served clouds, so there they are dropped too). Rejected files are the semantic-rules test's job.
 */
function withServedClouds(values: JsonObject): JsonObject {
  const cc = isMap(values.cloudConfig) ? values.cloudConfig : {};
  const served = cc.mode === 'secret' || !Array.isArray(cc.cloudNames) ? [] : cc.cloudNames.filter((n, i, all) => all.indexOf(n) === i);
  let turn = 0;
  const pickCloud = (list: JsonValue | undefined): JsonValue | undefined => {
    if (!Array.isArray(list)) return list;
    return list.map((item) => {
      if (!isMap(item) || !('cloud' in item)) return item;
      const { cloud: _drawn, ...rest } = item;
      return served.length === 0 ? rest : { ...rest, cloud: served[turn++ % served.length]! };
    });
  };
  const out: JsonObject = { ...values };
  if (isMap(values.cloudConfig)) out.cloudConfig = { ...values.cloudConfig, ...(Array.isArray(cc.cloudNames) ? { cloudNames: served } : {}) };
  if (values.storageClasses !== undefined) out.storageClasses = pickCloud(values.storageClasses)!;
  if (isMap(values.snapshots) && values.snapshots.classes !== undefined) out.snapshots = { ...values.snapshots, classes: pickCloud(values.snapshots.classes)! };
  return out;
}

/**
 * `enabled: false` renders nothing, so it is kept in one scheme in six only (an empty render is compared too, but
 * rarely); a ServiceMonitor gets its Services and test Pods a StorageClass, as the rules require.
 */
function withUsableObjectValues(values: JsonObject, scheme: number): JsonObject {
  const out: JsonObject = { ...values };
  if (scheme !== 4) delete out.enabled;
  const metrics = isMap(out.metrics) ? out.metrics : undefined;
  if (metrics !== undefined && isMap(metrics.serviceMonitor) && metrics.serviceMonitor.enabled === true) {
    out.metrics = { ...metrics, service: { ...(isMap(metrics.service) ? metrics.service : {}), enabled: true } };
  }
  if (isMap(out.tests) && out.tests.enabled === true && Array.isArray(out.storageClasses) && out.storageClasses.length === 0) {
    out.tests = { ...out.tests, enabled: false };
  }
  return out;
}

export function isValid(values: JsonObject): boolean {
  try {
    resolveValues(values as CinderCsiValuesInput);
    return true;
  } catch {
    return false;
  }
}

const ODD_STRINGS = ['', 'yes', 'no', 'on', 'null', '~', '1.0', '0x10', '1e3', 'a: b', '- x', '# hash', '"quoted"', "it's", '<a>&amp;', '{{ .Values.x }}', 'Grüße 日本 🚀', ' padded ', 'tab\there', 'line\nbreak', '\\back\\slash',
  // YAML 1.1 timestamps and base 60, 1.2 octal, hex and binary look-alikes, and 1.1's extra line breaks.
  '2024-06-01', '12:30:00', '0o17', '0x1F', '0b1', 'a\u2028b', 'a\u0085b'];
const noProto = (k: string): boolean => k !== '__proto__' && k !== 'constructor' && k !== 'prototype';
/** Names every JavaScript object inherits: ordinary keys in the values' string maps (labels, parameters, resources, ...). */
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
/** A key of a user map with typed values: one key in eight is a prototype name. */
const userMapKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 7, arbitrary: anyString().filter(noProto) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
);

function anyString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
}

/** Free-form JSON without nulls (the design forbids nulls; cdk8s would drop them). */
const freeForm: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString(),
    fc.integer({ min: -5, max: 2000000 }),
    fc.constantFrom(0, 1000000, 0.5, 1e20),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(anyString().filter(noProto), tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value;

function arbitraryFor(node: SchemaNode, key: string): fc.Arbitrary<JsonValue> {
  if (Array.isArray(node.enum)) return fc.constantFrom(...(node.enum as JsonValue[]));
  const type = node.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => arbitraryFor({ ...node, type: t }, key)));
  switch (type) {
    case 'boolean': return fc.boolean();
    case 'integer': return integerArb(node);
    case 'number': return fc.oneof(integerArb(node), fc.constantFrom(0.5, 1.25));
    case 'string': return stringArb(node, key);
    case 'array': {
      const items = node.items as SchemaNode | undefined;
      return fc.array(items ? arbitraryFor(items, `${key}[]`) : freeForm, { maxLength: 3 });
    }
    case 'object': return objectArb(node, key);
    default:
      return freeForm;
  }
}

function integerArb(node: SchemaNode): fc.Arbitrary<number> {
  const min = typeof node.minimum === 'number' ? node.minimum : -3;
  const max = typeof node.maximum === 'number' ? node.maximum : 2000000;
  const small = fc.integer({ min, max: Math.min(max, min + 5) });
  const big = [0, 1000000, max].filter((n) => n >= min && n <= max);
  return fc.oneof(small, fc.constantFrom(...big));
}

function stringArb(node: SchemaNode, key: string): fc.Arbitrary<string> {
  const minLength = typeof node.minLength === 'number' ? node.minLength : 0;
  const maxLength = typeof node.maxLength === 'number' ? node.maxLength : Infinity;
  const fits = (s: string): boolean => s.length >= minLength && s.length <= maxLength;
  if (typeof node.pattern === 'string') {
    const re = new RegExp(node.pattern);
    return fc.stringMatching(re).filter((s) => fits(s) && re.test(s));
  }
  // Secrets: mostly empty, so that credentials come in the combinations the constructs accept.
  if (/password|secret/i.test(key)) return fc.oneof(fc.constant(''), anyString()).filter(fits);
  return anyString().filter(fits);
}

function objectArb(node: SchemaNode, key: string): fc.Arbitrary<JsonValue> {
  const properties = node.properties as Record<string, SchemaNode> | undefined;
  if (properties === undefined) {
    const ap = node.additionalProperties;
    // Labels, annotations, nodeSelector, parameters and resources (maps with typed values) draw prototype names among
    // their keys; free-form objects (affinity, security contexts) do not.
    const typed = typeof ap === 'object' && ap !== null && !Array.isArray(ap) && Object.keys(ap).length > 0;
    const valueArb = typed ? arbitraryFor(ap as SchemaNode, `${key}{}`) : freeForm;
    const keyArb = typed ? userMapKey : anyString().filter(noProto);
    return fc.dictionary(keyArb, valueArb, { maxKeys: 3, noNullPrototype: true }) as fc.Arbitrary<JsonValue>;
  }
  const model: Record<string, fc.Arbitrary<JsonValue>> = {};
  for (const [name, child] of Object.entries(properties)) model[name] = arbitraryFor(child, `${key}.${name}`);
  // Inside list items the schema's required keys must be present; elsewhere the defaults fill in.
  const required = key.endsWith('[]') && Array.isArray(node.required) ? node.required.map(String) : [];
  return fc.record(model, { requiredKeys: required }) as fc.Arbitrary<JsonValue>;
}
