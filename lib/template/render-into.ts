import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { evaluate, TemplateInputs } from './evaluate';
import { JsonObject, JsonValue } from './model';
import { ObjectTemplate } from './object-template';
import { setOwn } from './own-keys';

/**
 * Evaluates an object template and adds each resulting object to `scope` as a cdk8s `ApiObject`, so
 * that apps see ordinary objects they can patch (`addJsonPatch`). Construct ids: the template's file
 * name, plus `-<index>` for `forEach` templates. Returns the created objects (empty when disabled).
 */
export function renderInto(scope: Construct, template: ObjectTemplate, inputs: TemplateInputs): ApiObject[] {
  const objects = evaluate(template, inputs);
  return objects.map((object, index) => {
    const id = template.forEach === undefined ? template.file : `${template.file}-${index}`;
    return new TemplateApiObject(scope, id, toApiObjectProps(encodeKeys(object) as JsonObject, template.file));
  });
}

/*
 * cdk8s cannot synthesize a map with a key that plain JavaScript objects inherit: its sanitizer reads
 * `obj.constructor.name` (a label named `constructor` makes it throw) and copies keys by assignment (a
 * `__proto__` key vanishes). Such keys pass through cdk8s escaped and are restored in `toJson`; a JSON patch
 * that names one must use the escaped form, `\u0000key:<name>`.
 */
const ESCAPE = '\u0000key:';
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

function needsEscape(key: string): boolean {
  return INHERITED.has(key) || key.startsWith(ESCAPE);
}

function encodeKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(encodeKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) out[needsEscape(key) ? `${ESCAPE}${key}` : key] = encodeKeys(child);
  return out;
}

function decodeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: { [key: string]: unknown } = {};
  for (const [key, child] of Object.entries(value)) setOwn(out, key.startsWith(ESCAPE) ? key.slice(ESCAPE.length) : key, decodeKeys(child));
  return out;
}

/** An ApiObject whose manifest keeps keys such as `constructor` and `__proto__` (see `encodeKeys`). */
class TemplateApiObject extends ApiObject {
  public override toJson(): any {
    return decodeKeys(super.toJson());
  }
}

function toApiObjectProps(object: JsonObject, file: string): { apiVersion: string; kind: string; [key: string]: unknown } {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new Error(`object template "${file}": the object needs string apiVersion and kind`);
  }
  return { ...object, apiVersion, kind };
}
