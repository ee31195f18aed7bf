import { cloneJson, goJson, goTypeName, isPlainMap, truthy } from './go-semantics';
import { isSpecNode, JsonObject, JsonValue, LoopVar, NodeSpec, specOf, TemplateNode } from './model';
import { ObjectTemplate } from './object-template';
import { setOwn } from './own-keys';

/** What a template is evaluated against: the coalesced values and the release. */
export interface TemplateInputs {
  /** Values after coalescing with the defaults (see `coalesceValues`). */
  readonly values: JsonObject;
  /** `service` is `.Release.Service`: "Helm" when absent, as `helm template` and `helm install` render it. */
  readonly release: { readonly name: string; readonly namespace: string; readonly service?: string };
  /** `.Chart.Name` and `.Chart.Version`; needed only by templates that read them. */
  readonly chart?: { readonly name: string; readonly version: string };
}

/** Helm's `.Release.Service`. */
export const HELM_RELEASE_SERVICE = 'Helm';

/** Raised when a template cannot be evaluated (Helm would fail to render as well). */
export class TemplateEvaluationError extends Error {
  public constructor(where: string, message: string) {
    super(`${where || '<root>'}: ${message}`);
    this.name = 'TemplateEvaluationError';
  }
}

type Env = ReadonlyMap<LoopVar, JsonValue>;

/**
 * Backend 1: the objects an object template renders for these inputs (none when disabled, one per
 * element with `forEach`), as plain JSON exactly as Helm would render them.
 */
export function evaluate(template: ObjectTemplate, inputs: TemplateInputs): JsonObject[] {
  const ev = new Evaluator(inputs);
  const where = template.file;
  if (template.enabledWhen !== undefined && !truthy(ev.value(template.enabledWhen, new Map(), `${where} (enabledWhen)`))) {
    return [];
  }
  const envs: Env[] = [];
  if (template.forEach === undefined) {
    envs.push(new Map());
  } else {
    for (const element of ev.iterate(template.forEach.list, new Map(), `${where} (forEach)`)) {
      envs.push(new Map([[template.forEach.item, element]]));
    }
  }
  return envs.map((env) => {
    const object = ev.value(template.body, env, where);
    if (!isPlainMap(object)) throw new TemplateEvaluationError(where, `the object must be a map, got ${goTypeName(object)}`);
    return object;
  });
}

/** Evaluates any node in value position (e.g. a condition or a sub-tree) for tests and tools. */
export function evaluateNode(node: TemplateNode, inputs: TemplateInputs): JsonValue {
  return new Evaluator(inputs).value(node, new Map(), '');
}

class Evaluator {
  public constructor(private readonly inputs: TemplateInputs) {}

  public value(node: TemplateNode, env: Env, where: string): JsonValue {
    if (typeof node === 'string' || typeof node === 'boolean') return node;
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) throw new TemplateEvaluationError(where, `literal ${node} is not a finite number`);
      return node;
    }
    if (Array.isArray(node)) return this.list(node as readonly TemplateNode[], env, where);
    if (!isSpecNode(node)) return this.map(node as { readonly [key: string]: TemplateNode | undefined }, env, where);
    const spec = specOf(node);
    switch (spec.op) {
      case 'ref': return this.ref(spec, env, where);
      case 'concat': return spec.parts.map((part, i) => {
        const s = this.value(part, env, where);
        if (typeof s !== 'string') {
          throw new TemplateEvaluationError(where, `concat part ${i + 1} is a ${goTypeName(s)}, expected a string (wrap numbers and booleans with str())`);
        }
        return s;
      }).join('');
      case 'str': {
        const v = this.value(spec.value, env, where);
        return goJson(v);
      }
      case 'not': return !truthy(this.value(spec.value, env, where));
      case 'and': {
        let last: JsonValue = null;
        for (const arg of spec.args) {
          last = this.value(arg, env, where);
          if (!truthy(last)) return last;
        }
        return last;
      }
      case 'or': {
        let last: JsonValue = null;
        for (const arg of spec.args) {
          last = this.value(arg, env, where);
          if (truthy(last)) return last;
        }
        return last;
      }
      case 'eq':
      case 'ne': {
        const equal = this.equal(spec.left, spec.right, spec.numeric, env, where);
        return spec.op === 'eq' ? equal : !equal;
      }
      case 'default': {
        const v = this.value(spec.value, env, where);
        return truthy(v) ? v : this.value(spec.fallback, env, where);
      }
      case 'ifElse':
        return this.value(truthy(this.value(spec.cond, env, where)) ? spec.then : spec.otherwise, env, where);
      case 'when':
        throw new TemplateEvaluationError(where, 'when() is only allowed as a map entry or a list item');
      case 'each':
      case 'eachEntry':
        return this.items(node, env, where);
      case 'merge': {
        const out: JsonObject = {};
        spec.parts.forEach((part, i) => {
          // A nil map part contributes nothing, as Helm's range over nil does.
          const m = this.value(part, env, where) ?? {};
          if (!isPlainMap(m)) throw new TemplateEvaluationError(where, `mergeMaps part ${i + 1} is a ${goTypeName(m)}, expected a map`);
          for (const [key, value] of Object.entries(m)) setOwn(out, key, value);
        });
        return out;
      }
      case 'yaml': return cloneJson(this.value(spec.value, env, where));
      case 'replace': {
        const s = this.value(spec.value, env, where);
        if (typeof s !== 'string') throw new TemplateEvaluationError(where, `replace expects a string, got a ${goTypeName(s)}`);
        return s.split(spec.old).join(spec.replacement);
      }
      case 'include': {
        // A fragment sees only its parameters (and the inputs), as a Helm define sees only its argument.
        // A parameter left out is nil, as a key absent from Helm's dict.
        const inner = new Map<LoopVar, JsonValue>();
        for (const param of spec.fragment.params) {
          const arg = spec.args.find(([name]) => name === param.name)?.[1];
          const value = arg === undefined ? null : this.value(arg, env, `${where} (${spec.fragment.name}.${param.name})`);
          const empty = !truthy(value) && param.fallback !== undefined;
          inner.set(param.variable, empty ? this.value(param.fallback!, new Map(), `${spec.fragment.name} (default of ${param.name})`) : value);
        }
        const at = `${where} (${spec.fragment.name})`;
        if (spec.fragment.kind === 'value') return this.value(spec.fragment.body, inner, at);
        return this.text(spec.fragment.body as readonly TemplateNode[], inner, at);
      }
    }
  }

  /** A text fragment's lines, each followed by a newline; a `when` contributes its lines only when true. */
  private text(lines: readonly TemplateNode[], env: Env, where: string): string {
    let out = '';
    for (const line of lines) {
      if (isSpecNode(line) && specOf(line).op === 'when') {
        const spec = specOf(line) as Extract<NodeSpec, { op: 'when' }>;
        if (truthy(this.value(spec.cond, env, where))) {
          out += this.text(Array.isArray(spec.node) ? spec.node as readonly TemplateNode[] : [spec.node], env, where);
        }
        continue;
      }
      const s = this.value(line, env, where);
      if (typeof s !== 'string') throw new TemplateEvaluationError(where, `a text line is a ${goTypeName(s)}, expected a string`);
      out += `${s}\n`;
    }
    return out;
  }

  /** Elements of a list for `range` (nil ranges over nothing). */
  public iterate(node: TemplateNode, env: Env, where: string): JsonValue[] {
    const list = this.value(node, env, where);
    if (list === null) return [];
    if (!Array.isArray(list)) throw new TemplateEvaluationError(where, `range can't iterate over a ${goTypeName(list)}, expected a list`);
    return list;
  }

  private map(node: { readonly [key: string]: TemplateNode | undefined }, env: Env, where: string): JsonObject {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(node)) {
      if (child === undefined) continue;
      const at = where ? `${where}.${key}` : key;
      const v = this.optionalValue(child, env, at);
      if (v !== ABSENT) setOwn(out, key, v);
    }
    return out;
  }

  private optionalValue(node: TemplateNode, env: Env, where: string): JsonValue | typeof ABSENT {
    if (isSpecNode(node)) {
      const spec = specOf(node);
      if (spec.op === 'when') return truthy(this.value(spec.cond, env, where)) ? this.optionalValue(spec.node, env, where) : ABSENT;
    }
    return this.value(node, env, where);
  }

  private list(node: readonly TemplateNode[], env: Env, where: string): JsonValue[] {
    const out: JsonValue[] = [];
    node.forEach((item, i) => out.push(...this.items(item, env, `${where}[${i}]`)));
    return out;
  }

  /** The list items one node contributes: `when` may contribute none, `each` one per element. */
  private items(node: TemplateNode, env: Env, where: string): JsonValue[] {
    if (!isSpecNode(node)) return [this.value(node, env, where)];
    const spec = specOf(node);
    switch (spec.op) {
      case 'when':
        return truthy(this.value(spec.cond, env, where)) ? this.items(spec.node, env, where) : [];
      case 'each':
        return this.iterate(spec.list, env, where).flatMap((element) => {
          const inner = new Map(env);
          inner.set(spec.item, element);
          return this.items(spec.body, inner, where);
        });
      case 'eachEntry': {
        const m = this.value(spec.map, env, where);
        if (m === null) return [];
        if (!isPlainMap(m)) throw new TemplateEvaluationError(where, `range can't iterate over a ${goTypeName(m)}, expected a map`);
        return Object.keys(m).sort(compareKeys).flatMap((key) => {
          const inner = new Map(env);
          inner.set(spec.key, key);
          inner.set(spec.value, m[key]);
          return this.items(spec.body, inner, where);
        });
      }
      default:
        return [this.value(node, env, where)];
    }
  }

  private ref(spec: Extract<NodeSpec, { op: 'ref' }>, env: Env, where: string): JsonValue {
    let current: JsonValue | undefined;
    let described: string;
    switch (spec.root.kind) {
      case 'values':
        current = this.inputs.values;
        described = '.Values';
        break;
      case 'release':
        current = spec.root.field === 'Name' ? this.inputs.release.name
          : spec.root.field === 'Namespace' ? this.inputs.release.namespace
            : this.inputs.release.service ?? HELM_RELEASE_SERVICE;
        described = `.Release.${spec.root.field}`;
        break;
      case 'chart':
        if (this.inputs.chart === undefined) throw new TemplateEvaluationError(where, `.Chart.${spec.root.field} is read but the inputs give no chart`);
        current = spec.root.field === 'Name' ? this.inputs.chart.name : this.inputs.chart.version;
        described = `.Chart.${spec.root.field}`;
        break;
      case 'loop':
        if (!env.has(spec.root.variable)) {
          throw new TemplateEvaluationError(where, `a ${spec.root.variable.hint} ref is used outside the each() that defines it`);
        }
        current = env.get(spec.root.variable);
        described = `$${spec.root.variable.hint}`;
        break;
    }
    for (const key of spec.path) {
      if (current === null || current === undefined) {
        throw new TemplateEvaluationError(where, `nil pointer evaluating ${described}.${key} (${described} is not set)`);
      }
      if (!isPlainMap(current)) {
        throw new TemplateEvaluationError(where, `can't evaluate field ${key} in ${described}: it is a ${goTypeName(current)}, not a map`);
      }
      current = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : null;
      described = `${described}.${key}`;
    }
    return cloneJson(current ?? null);
  }

  private equal(left: TemplateNode, right: TemplateNode, numeric: boolean, env: Env, where: string): boolean {
    const a = this.value(left, env, where);
    const b = this.value(right, env, where);
    if (numeric) {
      if (typeof a !== 'number' || typeof b !== 'number') {
        throw new TemplateEvaluationError(where, `numeric comparison of a ${goTypeName(a)} with a ${goTypeName(b)}`);
      }
      return a === b;
    }
    const basic = (v: JsonValue): boolean => typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number';
    if (!basic(a) || !basic(b) || typeof a !== typeof b) {
      throw new TemplateEvaluationError(where, `incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
    }
    return a === b;
  }
}

const ABSENT = Symbol('absent');

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
