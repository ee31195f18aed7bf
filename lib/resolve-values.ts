import Ajv, { ErrorObject } from 'ajv';
import valuesDefaults from './generated/values.defaults.json';
import valuesSchema from './generated/values.schema.json';
import { CHART_NAME, CHART_VERSION } from './metadata';
import { nearestKey, patternWords } from './schema-words';
import { checkAssertions, cloneJson, coalesceValues, HELM_RELEASE_SERVICE, JsonObject, JsonValue, TemplateInputs } from './template';
import { setOwn } from './template/own-keys';
import { CinderCsiValues, CinderCsiValuesInput } from './values';
import { valuesRules } from './values/rules';

/*
 * Turns construct props into template inputs exactly as Helm turns a values file into `.Values`: the
 * user's values are coalesced over the defaults generated from lib/values (Helm's rules: maps merge, lists
 * and scalars replace), then validated against the same JSON Schema the chart ships, then checked for what
 * a schema cannot express. Error messages name the key and what was expected, never the value given, so
 * that a password cannot leak into a log.
 */

/** The release identity; Helm's rules: a DNS subdomain of at most 53 characters, in a DNS-label namespace. */
export interface ReleaseProps {
  /** Release (instance) name, prefix of every object name. @default "cinder-csi" */
  readonly releaseName?: string;
  /** Namespace of the namespaced objects. @default "kube-system" */
  readonly namespace?: string;
  /**
   * The `app.kubernetes.io/managed-by` label (Helm's `.Release.Service`). The constructs synthesize what
   * `helm template` renders, so the default is Helm's "Helm"; an app that applies the objects itself may say so. @default "Helm"
   */
  readonly releaseService?: string;
}

export const DEFAULT_RELEASE_NAME = 'cinder-csi';
export const DEFAULT_NAMESPACE = 'kube-system';

/** Invalid props or values; `problems` lists each one as `<key>: <what was expected>`. */
export class CinderCsiValuesError extends Error {
  public constructor(public readonly problems: readonly string[]) {
    super(`invalid cinder-csi values:\n  ${problems.join('\n  ')}`);
    this.name = 'CinderCsiValuesError';
  }
}

// verbose: an error carries the schema it failed (the known keys of an object, for "did you mean").
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSchema = ajv.compile(valuesSchema);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Helm's rule for release names: DNS labels joined by dots (e.g. `storage.prod`). */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The defaults of every value (lib/generated/values.defaults.json, the chart's values.yaml). */
export function defaultValues(): CinderCsiValues {
  // cloneJson, not structuredClone: a copy from another realm (jest) makes cdk8s keep only `.value` of objects.
  return cloneJson(valuesDefaults as JsonValue) as unknown as CinderCsiValues;
}

/** Coalesces `input` over the defaults and validates the result; throws CinderCsiValuesError. */
export function resolveValues(input: CinderCsiValuesInput = {}): CinderCsiValues {
  const user = withoutUndefined(input, '');
  if (!isMap(user)) throw new CinderCsiValuesError(['<root>: must be an object']);
  const values = coalesceValues(valuesDefaults as unknown as JsonObject, user);
  const problems = schemaProblems(values);
  if (problems.length === 0) problems.push(...semanticProblems(values as unknown as CinderCsiValues));
  if (problems.length > 0) throw new CinderCsiValuesError(problems);
  return values as unknown as CinderCsiValues;
}

/** Template inputs from construct props (`releaseName`, `namespace`, then any values). */
export function templateInputs(props: ReleaseProps & CinderCsiValuesInput = {}): TemplateInputs {
  const { releaseName = DEFAULT_RELEASE_NAME, namespace = DEFAULT_NAMESPACE, releaseService = HELM_RELEASE_SERVICE, ...input } = props;
  const releaseProblems: string[] = [];
  if (typeof releaseName !== 'string' || !RELEASE_NAME.test(releaseName) || releaseName.length > 53) {
    releaseProblems.push('releaseName: must be a DNS subdomain (lower-case letters, digits, "-", "." between labels) of at most 53 characters, as Helm requires');
  }
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace) || namespace.length > 63) {
    releaseProblems.push('namespace: must be a DNS label (lower-case letters, digits, "-") of at most 63 characters');
  }
  if (typeof releaseService !== 'string' || !LABEL_VALUE.test(releaseService)) {
    releaseProblems.push('releaseService: must be a label value (at most 63 letters, digits, "-", "_", ".", starting and ending alphanumeric)');
  }
  if (releaseProblems.length > 0) throw new CinderCsiValuesError(releaseProblems);
  const values = resolveValues(input);
  return {
    values: values as unknown as JsonObject,
    release: { name: releaseName, namespace, service: releaseService },
    chart: { name: CHART_NAME, version: CHART_VERSION },
  };
}

/** Schema violations of coalesced values, as `<dotted.key>: <expected>`. */
export function schemaProblems(values: JsonObject): string[] {
  if (validateSchema(values)) return [];
  const seen = new Set<string>();
  for (const error of validateSchema.errors ?? []) seen.add(describe(error));
  return [...seen];
}

function describe(error: ErrorObject): string {
  const key = keyOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties ?? {}) as Record<string, unknown>);
      const guess = nearestKey(unknown, known);
      return `${join(key, unknown)}: unknown key${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`;
    }
    case 'required':
      return `${join(key, String(params.missingProperty))}: is required`;
    case 'enum':
      return `${key}: must be one of ${(params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'type':
      return `${key}: must be ${params.type === 'integer' ? 'an integer' : `of type ${String(params.type)}`}`;
    case 'pattern':
      return `${key}: ${patternWords(String(params.pattern))}`;
    default:
      // ajv's own messages ("must be >= 0", "must NOT have fewer than 1 characters") never include the value.
      return `${key}: ${error.message ?? 'is invalid'}`;
  }
}

function keyOf(instancePath: string): string {
  if (instancePath === '') return '<root>';
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

function join(key: string, child: string): string {
  return key === '<root>' ? child : `${key}.${child}`;
}

/**
 * What the schema cannot say: the failed rules of lib/values/rules.ts, each as `<key>: <expected>`, in the
 * order of that list (the chart's templates/validate.yaml fails at the first of them with the same message).
 * Exported so that generators of random valid values (the chart equivalence test) can keep to values the
 * constructs accept.
 */
export function semanticProblems(values: CinderCsiValues): string[] {
  // The rules read only `.Values`; the release is required by the evaluator's inputs, not by any rule.
  return checkAssertions(valuesRules, {
    values: values as unknown as JsonObject,
    release: { name: DEFAULT_RELEASE_NAME, namespace: DEFAULT_NAMESPACE },
  });
}

/** Drops `undefined` (an unset optional prop means "use the default") and rejects non-JSON values. */
function withoutUndefined(value: unknown, key: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CinderCsiValuesError([`${key || '<root>'}: must be a finite number`]);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => withoutUndefined(item, `${key}[${i}]`));
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const at = key === '' ? k : `${key}.${k}`;
      // Helm writes the values as YAML to validate them and reads a key with U+0085 (NEL) back broken: it fails.
      if (k.includes('\u0085')) throw new CinderCsiValuesError([`${at}: a key must not contain U+0085 (NEL); Helm cannot read it`]);
      if (v !== undefined) setOwn(out, k, withoutUndefined(v, at));
    }
    return out;
  }
  throw new CinderCsiValuesError([`${key || '<root>'}: must be plain JSON data (string, number, boolean, list or map)`]);
}

/** A plain `{...}` object from any realm (JSON.parse, structuredClone, vm contexts), not a class instance. */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function isMap(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
