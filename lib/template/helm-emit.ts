import { goAnd, goCond, goExpr, goString, HelmNames } from './helm-expr';
import { isSpecNode, NodeSpec, specOf, TemplateNode } from './model';
import { ObjectTemplate } from './object-template';

/**
 * Backend 2: Helm template text (templates/<file>.yaml) for an object template. Output is block YAML
 * whose scalars are `{{ toJson ... }}` (JSON is YAML, so types and strings come out exact), keys are
 * JSON-quoted, and control lines use `{{-` so that they leave no trace. A collection that may end up
 * empty counts its entries and writes `{}`/`[]` when none was written (an empty block would be null).
 */
export function toHelm(template: ObjectTemplate): string {
  const names = new HelmNames();
  const where = template.file;
  const body = template.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || isSpecNode(body)) {
    throw new Error(`${where}: the object must be a literal map`);
  }
  const open: string[] = [];
  const close: string[] = [];
  if (template.enabledWhen !== undefined) {
    open.push(`{{- if ${goCond(template.enabledWhen, names, `${where} (enabledWhen)`)} }}`);
    close.unshift('{{- end }}');
  }
  if (template.forEach !== undefined) {
    const list = goExpr(template.forEach.list, names, `${where} (forEach)`);
    open.push(`{{- range ${names.bind(template.forEach.item)} := ${list} }}`);
    close.unshift('{{- end }}');
  }
  const emitter = new Emitter(names);
  const entries = emitter.mapEntries(body as MapNode, '', where, null);
  return `${[...open, '---'].join('\n')}${entries}\n${close.join('\n')}${close.length ? '\n' : ''}`;
}

type MapNode = { readonly [key: string]: TemplateNode | undefined };
type Spec<O extends NodeSpec['op']> = Extract<NodeSpec, { op: O }>;

class Emitter {
  public constructor(private readonly names: HelmNames) {}

  /** Text following `key:` or `-`: ` scalar` on the same line, or child lines indented by `indent`. */
  public value(node: TemplateNode, indent: string, where: string): string {
    if (typeof node === 'string') return ` ${this.scalarText(node)}`;
    if (typeof node === 'number' || typeof node === 'boolean') return ` ${goExprLiteral(node, where)}`;
    if (Array.isArray(node)) return this.list(node as readonly TemplateNode[], indent, where);
    if (!isSpecNode(node)) return this.map(node as MapNode, indent, where);
    const spec = specOf(node);
    switch (spec.op) {
      case 'ifElse':
        return `{{ if ${this.cond(spec.cond, where)} }}${this.value(spec.then, indent, where)}{{ else }}${this.value(spec.otherwise, indent, where)}{{ end }}`;
      case 'each':
      case 'eachEntry':
        return this.list([node], indent, where);
      case 'merge':
        return this.merge(spec, indent, where);
      case 'when':
        throw new Error(`${where}: when() is only allowed as a map entry or a list item`);
      default:
        return ` {{ toJson ${this.expr(node, where)} }}`;
    }
  }

  /** Entries of a map, each on its own line at `indent`; `counter` (if any) is bumped per entry written. */
  public mapEntries(node: MapNode, indent: string, where: string, counter: string | null): string {
    let out = '';
    for (const [key, child] of Object.entries(node)) {
      if (child === undefined) continue;
      out += this.entry(key, child, indent, where ? `${where}.${key}` : key, counter);
    }
    return out;
  }

  private entry(key: string, node: TemplateNode, indent: string, where: string, counter: string | null): string {
    if (isSpecNode(node)) {
      const spec = specOf(node);
      if (spec.op === 'when') {
        return `\n${indent}{{- if ${this.cond(spec.cond, where)} }}${this.entry(key, spec.node, indent, where, counter)}\n${indent}{{- end }}`;
      }
    }
    return `\n${indent}${this.keyText(key)}:${this.value(node, `${indent}  `, where)}${bump(counter, indent)}`;
  }

  private map(node: MapNode, indent: string, where: string): string {
    const present = Object.values(node).filter((v) => v !== undefined);
    if (present.length === 0) return ' {}';
    if (present.some((v) => !isWhen(v))) return this.mapEntries(node, indent, where, null);
    const counter = this.names.counter();
    return `\n${indent}{{- ${counter} := 0 }}${this.mapEntries(node, indent, where, counter)}${emptyFallback(counter, indent, '{}')}`;
  }

  private list(items: readonly TemplateNode[], indent: string, where: string): string {
    if (items.length === 0) return ' []';
    const always = items.some((item) => !isSpecNode(item) || !['when', 'each', 'eachEntry'].includes(specOf(item).op));
    const counter = always ? null : this.names.counter();
    let out = counter ? `\n${indent}{{- ${counter} := 0 }}` : '';
    items.forEach((item, i) => { out += this.items(item, indent, `${where}[${i}]`, counter); });
    return counter ? `${out}${emptyFallback(counter, indent, '[]')}` : out;
  }

  private items(node: TemplateNode, indent: string, where: string, counter: string | null): string {
    if (isSpecNode(node)) {
      const spec = specOf(node);
      switch (spec.op) {
        case 'when':
          return `\n${indent}{{- if ${this.cond(spec.cond, where)} }}${this.items(spec.node, indent, where, counter)}\n${indent}{{- end }}`;
        case 'each': {
          const list = this.expr(spec.list, where);
          const item = this.names.bind(spec.item);
          return `\n${indent}{{- range ${item} := ${list} }}${this.items(spec.body, indent, where, counter)}\n${indent}{{- end }}`;
        }
        case 'eachEntry': {
          const map = this.expr(spec.map, where);
          const key = this.names.bind(spec.key);
          const value = this.names.bind(spec.value);
          return `\n${indent}{{- range ${key}, ${value} := ${map} }}${this.items(spec.body, indent, where, counter)}\n${indent}{{- end }}`;
        }
        default:
          break;
      }
    }
    return `\n${indent}-${this.value(node, `${indent}  `, where)}${bump(counter, indent)}`;
  }

  /**
   * Shallow merge, later parts win: each entry is written only if no later part provides its key, so
   * the YAML never holds a duplicate key.
   */
  private merge(spec: Spec<'merge'>, indent: string, where: string): string {
    // An unconditional literal entry is always written (by its part or by a later one): no empty check.
    const alwaysNonEmpty = spec.parts.some((part) => isLiteralMap(part) && Object.values(part).some((c) => c !== undefined && whenCondition(c) === null));
    const counter = alwaysNonEmpty ? null : this.names.counter();
    const id = counter ? counter.slice(2) : String(this.names.counter().slice(2));
    let out = counter ? `\n${indent}{{- ${counter} := 0 }}` : '';
    spec.parts.forEach((part, i) => {
      const later = spec.parts.slice(i + 1);
      const at = `${where} (mergeMaps part ${i + 1})`;
      if (isLiteralMap(part)) {
        for (const [key, child] of Object.entries(part)) {
          if (child === undefined) continue;
          const guards = this.overrideGuards(later, goString(key), key, at);
          if (guards === null) continue;
          const entry = this.entry(key, child, indent, `${at}.${key}`, counter);
          out += guards.length ? `\n${indent}{{- if ${goAnd(guards)} }}${entry}\n${indent}{{- end }}` : entry;
        }
      } else {
        const k = `$k${id}_${i}`;
        const v = `$v${id}_${i}`;
        const guards = this.overrideGuards(later, k, null, at) ?? [];
        const line = `\n${indent}{{ toJson ${k} }}: {{ toJson ${v} }}${bump(counter, indent)}`;
        const body = guards.length ? `\n${indent}{{- if ${goAnd(guards)} }}${line}\n${indent}{{- end }}` : line;
        out += `\n${indent}{{- range ${k}, ${v} := ${this.expr(part, at)} }}${body}\n${indent}{{- end }}`;
      }
    });
    return counter ? `${out}${emptyFallback(counter, indent, '{}')}` : out;
  }

  /**
   * Conditions under which no later part provides the key (`keyExpr` is a Go string operand; `staticKey`
   * is its value when known). null: a later part always provides it.
   */
  private overrideGuards(later: readonly TemplateNode[], keyExpr: string, staticKey: string | null, where: string): string[] | null {
    const guards: string[] = [];
    const fixedKeys: string[] = [];
    for (const part of later) {
      if (isLiteralMap(part)) {
        for (const [key, child] of Object.entries(part)) {
          if (child === undefined) continue;
          const cond = whenCondition(child);
          if (staticKey !== null) {
            if (key !== staticKey) continue;
            if (cond === null) return null;
            guards.push(`(not ${this.cond(cond, where)})`);
          } else if (cond === null) {
            fixedKeys.push(key);
          } else {
            guards.push(`(or (ne ${keyExpr} ${goString(key)}) (not ${this.cond(cond, where)}))`);
          }
        }
      } else {
        guards.push(`(not (hasKey ${this.expr(part, where)} ${keyExpr}))`);
      }
    }
    if (fixedKeys.length === 1) guards.push(`(ne ${keyExpr} ${goString(fixedKeys[0])})`);
    if (fixedKeys.length > 1) guards.push(`(not (has ${keyExpr} (list ${fixedKeys.map(goString).join(' ')})))`);
    return guards;
  }

  private expr(node: TemplateNode, where: string): string {
    return goExpr(node, this.names, where);
  }

  private cond(node: TemplateNode, where: string): string {
    return goCond(node, this.names, where);
  }

  /** A literal string as YAML text; `{{` would start a template action, so such strings go through one. */
  private scalarText(s: string): string {
    return s.includes('{{') ? `{{ toJson ${goString(s)} }}` : JSON.stringify(s);
  }

  /** Plain keys stay bare for readability; anything a YAML 1.1 or 1.2 parser could read otherwise is quoted. */
  private keyText(key: string): string {
    return BARE_KEY.test(key) && !YAML_SPECIAL_WORDS.has(key.toLowerCase()) ? key : this.scalarText(key);
  }
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const YAML_SPECIAL_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

function goExprLiteral(value: number | boolean, where: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${where}: literal ${value} is not a finite number`);
  return JSON.stringify(value);
}

function bump(counter: string | null, indent: string): string {
  return counter ? `\n${indent}{{- ${counter} = add1 ${counter} }}` : '';
}

/** Written after the entries: a flow `{}`/`[]` on its own line is the block value when nothing was written. */
function emptyFallback(counter: string, indent: string, empty: string): string {
  return `\n${indent}{{- if not ${counter} }}\n${indent}${empty}\n${indent}{{- end }}`;
}

function isWhen(node: TemplateNode | undefined): boolean {
  return node !== undefined && isSpecNode(node) && specOf(node).op === 'when';
}

function whenCondition(node: TemplateNode): TemplateNode | null {
  if (!isSpecNode(node)) return null;
  const spec = specOf(node);
  return spec.op === 'when' ? spec.cond : null;
}

function isLiteralMap(node: TemplateNode): node is MapNode {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !isSpecNode(node);
}
