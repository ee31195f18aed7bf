import { JsonValue } from './model';
import { setOwn } from './own-keys';

/**
 * Go text/template truthiness (also sprig's `empty`, negated): false, 0, "", nil and empty maps/lists
 * are falsy; everything else is truthy.
 */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export function isPlainMap(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Go type name Helm would print in an error for this value. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Go orders map keys by their bytes (UTF-8), which differs from JavaScript's UTF-16 order. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/**
 * Go's `encoding/json` (Helm `toJson`): sorted keys, `<>&` and U+2028/U+2029 escaped as \uXXXX.
 * JavaScript number formatting matches Go's float64 JSON formatting (fixed below 1e21, exponent below 1e-6).
 */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot encode ${value} as JSON`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(HTML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort(compareGoStrings);
    return `{${keys.map((k) => `${goJson(k)}:${goJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  throw new Error(`cannot encode a ${typeof value} as JSON`);
}

/**
 * Deep copy of a JSON value so that rendered objects never alias user-supplied values. Built from
 * literals on purpose: `structuredClone` may create objects of another realm (e.g. under jest), and cdk8s
 * treats an object whose constructor is not its own `Object` as a number/string union and keeps only
 * its `value` field.
 */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, cloneJson(v));
    return out as T;
  }
  return value;
}
