import { goAnd, goCond, goExpr, goString, HelmNames, includeCall } from './helm-expr';
import { FragmentDefinition, isSpecNode, makeNode, NodeSpec, specOf, TemplateNode } from './model';
import { ObjectTemplate } from './object-template';

/** Longest line written into a template file; longer actions are wrapped (Go templates allow newlines inside actions). */
export const MAX_TEMPLATE_LINE = 160;

/**
 * Backend 2: Helm template text (templates/<file>.yaml) for an object template. Output is block YAML
 * whose scalars are `{{ toJson ... }}` (JSON is YAML, so types and strings come out exact), and control
 * lines use `{{-` so that they leave no trace. A collection that may end up empty counts its entries and
 * writes `{}`/`[]` when none was written (an empty block would be null). Fragments are `include`d; their
 * `define`s go to `fragments` (the chart's _helpers.tpl) or, without it, to the end of this file.
 */
export function toHelm(template: ObjectTemplate, fragments?: HelmFragments): string {
  const own = fragments ?? new HelmFragments();
  const { open, document, close } = helmDocument(template, own);
  const text = `${[...open, '---'].join('\n')}${document}\n${close.join('\n')}${close.length ? '\n' : ''}`;
  return wrapLongLines(fragments === undefined && own.size > 0 ? `${text}${own.text()}` : text);
}

/**
 * Several object templates written into one file, one YAML document each, in order; neighbours under the same
 * single condition (no loop, no variables of their own) share one `if`, e.g. a ClusterRole and its binding.
 */
export function toHelmFile(templates: readonly ObjectTemplate[], fragments: HelmFragments): string {
  const parts = templates.map((template) => helmDocument(template, fragments));
  const sameGate = (a: HelmDocument | undefined, b: HelmDocument | undefined): boolean => a !== undefined && b !== undefined
    && a.open.length === 1 && b.open.length === 1 && a.close.length === 1 && b.close.length === 1 && a.open[0] === b.open[0];
  const text = parts.map((part, i) => {
    const open = sameGate(parts[i - 1], part) ? [] : part.open;
    const close = sameGate(part, parts[i + 1]) ? [] : part.close;
    return `${[...open, '---'].join('\n')}${part.document}\n${close.join('\n')}${close.length ? '\n' : ''}`;
  }).join('');
  return wrapLongLines(text);
}

/** One object template's document (`---` and the object) and the lines that open and close its condition and loop. */
interface HelmDocument {
  readonly open: readonly string[];
  readonly document: string;
  readonly close: readonly string[];
}

function helmDocument(template: ObjectTemplate, fragments: HelmFragments): HelmDocument {
  const names = new HelmNames('$', (f) => fragments.use(f));
  const where = template.file;
  const body = template.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || isSpecNode(body)) {
    throw new Error(`${where}: the object must be a literal map`);
  }
  const open = names.shorten([body, template.enabledWhen ?? false, template.forEach?.list ?? false]);
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
  return { open, document: new Emitter(names, fragments).mapEntries(body as MapNode, '', where, null), close };
}

/**
 * The `define`s of the fragments used by a set of templates, each written once in the order of first use
 * (a fragment used by another comes before it).
 */
export class HelmFragments {
  private readonly defines = new Map<FragmentDefinition, { readonly text: string; readonly block: boolean; readonly trim?: boolean }>();
  private readonly byName = new Map<string, FragmentDefinition>();
  private readonly pending = new Set<FragmentDefinition>();

  public get size(): number {
    return this.defines.size;
  }

  /** Writes the fragment's define unless already written; `block`: its use is `include ... | nindent`. */
  public use(fragment: FragmentDefinition): { readonly block: boolean; readonly trim?: boolean } {
    const done = this.defines.get(fragment);
    if (done !== undefined) return done;
    if (this.pending.has(fragment)) throw new Error(`fragment ${fragment.name} uses itself`);
    const other = this.byName.get(fragment.name);
    if (other !== undefined && other !== fragment) throw new Error(`two fragments are named ${fragment.name}`);
    this.byName.set(fragment.name, fragment);
    this.pending.add(fragment);
    const names = new HelmNames(fragment.params.length > 0 ? '$.root' : '$', (f) => this.use(f));
    let prelude = '';
    for (const p of fragment.params) {
      if (p.fallback === undefined) {
        names.bindParam(p.variable, `$.${p.name}`);
        continue;
      }
      const local = names.acquire(p.name);
      prelude += `\n{{- ${local} := default ${goExpr(p.fallback, names, `${fragment.name} (default of ${p.name})`)} $.${p.name} }}`;
      names.bindParam(p.variable, local);
    }
    prelude += names.shorten([fragment.body, ...fragment.params.map((p) => p.fallback ?? false)]).map((line) => `\n${line}`).join('');
    const emitter = new Emitter(names, this);
    const comment = `{{/* ${fragment.description.replace(/\*\//g, '* /')} */}}`;
    let entry: { text: string; block: boolean; trim?: boolean };
    if (fragment.kind === 'text') {
      const body = emitter.textLines(asLines(fragment.body, fragment.name), fragment.name);
      // The text starts at its first line: the prelude's actions trim the newline after them.
      const lead = prelude.replace(/ }}$/, ' -}}');
      entry = { text: `${comment}\n{{- define ${goString(fragment.name)} -}}${lead}\n${body}{{ end }}\n`, block: false };
    } else {
      const content = emitter.value(fragment.body, '', fragment.name);
      const choice = isSpecNode(fragment.body) && specOf(fragment.body).op === 'ifElse' ? specOf(fragment.body) as Spec<'ifElse'> : null;
      const then = choice && emitter.value(choice.then, '', fragment.name);
      const otherwise = choice && emitter.value(choice.otherwise, '', fragment.name);
      if (choice && then && otherwise && !`${then}${otherwise}`.includes('\n')) {
        // A choice between two scalars: one branch per line, trimmed so that the include is the scalar alone.
        const cond = goCond(choice.cond, names, fragment.name);
        const lines = [`{{- if ${cond} -}}`, then.trimStart(), '{{- else -}}', otherwise.trimStart(), '{{- end -}}'];
        entry = { text: `${comment}\n{{- define ${goString(fragment.name)} -}}${prelude}\n${lines.join('\n')}\n{{- end }}\n`, block: false };
      } else if (content.startsWith('\n')) {
        // A body that opens with a control line renders a leading newline: `trim` it before `nindent`. The
        // prelude's last action trims the newline after it.
        entry = {
          text: `${comment}\n{{- define ${goString(fragment.name)} -}}${prelude.replace(/ }}$/, ' -}}')}${content}\n{{- end }}\n`,
          block: true,
          trim: content.startsWith('\n{{-'),
        };
      } else if (content.includes('\n')) {
        throw new Error(`fragment ${fragment.name}: a value fragment must be a map, a list or a scalar (not an ifElse between a scalar and a block)`);
      } else {
        entry = { text: `${comment}\n{{- define ${goString(fragment.name)} -}}${prelude}\n${content.trimStart()}\n{{- end }}\n`, block: false };
      }
    }
    this.pending.delete(fragment);
    this.defines.set(fragment, entry);
    return entry;
  }

  /** All defines, one blank line apart. */
  public text(): string {
    return wrapLongLines([...this.defines.values()].map((d) => d.text).join('\n'));
  }
}

function asLines(body: TemplateNode, where: string): readonly TemplateNode[] {
  if (!Array.isArray(body)) throw new Error(`${where}: a text fragment's body must be a list of lines`);
  return body as readonly TemplateNode[];
}

type MapNode = { readonly [key: string]: TemplateNode | undefined };
type SpecNodeOf = Parameters<typeof specOf>[0];
type Spec<O extends NodeSpec['op']> = Extract<NodeSpec, { op: O }>;

class Emitter {
  /** Conditions of the `{{- if }}` blocks being written: an emptiness test for one of them is not needed. */
  private readonly holding: string[] = [];

  public constructor(private readonly names: HelmNames, private readonly fragments: HelmFragments) {}

  /** `text()` written while `cond` is known to hold. */
  private under(cond: string, text: () => string): string {
    this.holding.push(cond);
    try {
      return text();
    } finally {
      this.holding.pop();
    }
  }

  /** The `{}`/`[]` written when nothing else was, unless a condition being written guarantees an entry. */
  private emptyUnless(presence: string, indent: string, empty: string): string {
    return this.holding.includes(presence) ? '' : emptyWhenNot(presence, indent, empty);
  }

  /**
   * Text following `key:` or `-`: ` scalar` on the same line, or child lines indented by `indent`; `lead` is the
   * width of the line before the value (a flow collection is chosen only when the whole line stays short).
   */
  public value(node: TemplateNode, indent: string, where: string, lead: number = indent.length): string {
    if (typeof node === 'string') return ` ${this.scalarText(node)}`;
    if (typeof node === 'number' || typeof node === 'boolean') return ` ${goExprLiteral(node, where)}`;
    const flow = this.flow(node, where);
    if (flow !== null && (isSpecNode(node) || lead + 1 + flow.length <= MAX_FLOW_LINE)) return ` ${flow}`;
    if (Array.isArray(node)) return this.list(node as readonly TemplateNode[], indent, where);
    if (!isSpecNode(node)) return this.map(node as MapNode, indent, where);
    const spec = specOf(node);
    switch (spec.op) {
      case 'ifElse': {
        // A flow branch shares its line with the `{{ if }}`: it counts towards the line's width.
        const head = `{{ if ${this.cond(spec.cond, where)} }}`;
        const then = this.value(spec.then, indent, where, lead + head.length);
        return `${head}${then}{{ else }}${this.value(spec.otherwise, indent, where, lead + head.length)}{{ end }}`;
      }
      case 'each':
      case 'eachEntry':
        return this.list([node], indent, where);
      case 'merge':
        return this.merge(spec, indent, where);
      case 'when':
        throw new Error(`${where}: when() is only allowed as a map entry or a list item`);
      case 'include': {
        if (spec.fragment.kind === 'text') return ` {{ toJson ${this.expr(node, where)} }}`;
        const { block, trim } = this.fragments.use(spec.fragment);
        const call = includeCall(spec, this.names, where);
        return block ? `\n${indent}{{- ${call}${trim ? ' | trim' : ''} | nindent ${indent.length} }}` : ` {{ ${call} }}`;
      }
      default:
        return ` {{ toJson ${this.expr(node, where)} }}`;
    }
  }

  /**
   * A short literal collection (no template node inside) as flow YAML, e.g. `verbs: [get, list, watch]`,
   * `seccompProfile: { type: RuntimeDefault }`; null when the node computes anything.
   */
  private flow(node: TemplateNode, where: string): string | null {
    if (typeof node === 'string') return this.scalarText(node, true);
    if (typeof node === 'number' || typeof node === 'boolean') return goExprLiteral(node, where);
    if (isSpecNode(node)) {
      // A scalar expression is one `{{ toJson ... }}` (JSON is flow YAML); structure (when, each, merge, a lazy
      // ifElse, a block fragment) needs block YAML.
      const spec = specOf(node);
      if (FLOW_OPS.has(spec.op)) return `{{ toJson ${this.expr(node, where)} }}`;
      if (spec.op === 'include') {
        if (spec.fragment.kind === 'text') return `{{ toJson ${this.expr(node, where)} }}`;
        const { block } = this.fragments.use(spec.fragment);
        return block ? null : `{{ ${includeCall(spec, this.names, where)} }}`;
      }
      return null;
    }
    if (Array.isArray(node)) {
      const items = (node as readonly TemplateNode[]).map((item, i) => this.flow(item, `${where}[${i}]`));
      return items.every((item) => item !== null) ? `[${items.join(', ')}]` : null;
    }
    const entries: string[] = [];
    for (const [key, child] of Object.entries(node as MapNode)) {
      if (child === undefined) continue;
      const value = this.flow(child, where ? `${where}.${key}` : key);
      if (value === null || !BARE_KEY.test(key) || YAML_SPECIAL_WORDS.has(key.toLowerCase())) return null;
      entries.push(`${key}: ${value}`);
    }
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }

  /** Entries of a map, each on its own line at `indent`; `counter` (if any) is bumped per entry written. */
  public mapEntries(node: MapNode, indent: string, where: string, counter: string | null): string {
    let out = '';
    // Adjacent entries under the same condition share one `{{- if }}` block.
    let group: { cond: string; text: string } | null = null;
    const flush = (): void => {
      if (group !== null) out += `\n${indent}{{- if ${group.cond} }}${group.text}\n${indent}{{- end }}`;
      group = null;
    };
    for (const [key, child] of Object.entries(node)) {
      if (child === undefined) continue;
      const at = where ? `${where}.${key}` : key;
      const cond = whenCondition(child);
      if (cond === null) {
        flush();
        out += this.entry(key, child, indent, at, counter);
        continue;
      }
      const condText = this.cond(cond, at);
      const text = this.under(condText, () => this.entry(key, (specOf(child as SpecNodeOf) as Spec<'when'>).node, indent, at, counter));
      if (group !== null && (group as { cond: string }).cond === condText) (group as { text: string }).text += text;
      else {
        flush();
        group = { cond: condText, text };
      }
    }
    flush();
    return out;
  }

  private entry(key: string, node: TemplateNode, indent: string, where: string, counter: string | null): string {
    if (isSpecNode(node)) {
      const spec = specOf(node);
      if (spec.op === 'when') {
        // `optional(mergeMaps(...))`: under its own presence test the merged map cannot be empty.
        const inner = spec.cond === spec.node && isSpecNode(spec.node) && specOf(spec.node).op === 'merge'
          ? `\n${indent}${this.keyText(key)}:${this.merge(specOf(spec.node) as Spec<'merge'>, `${indent}  `, where, true)}${bump(counter, indent)}`
          : this.under(this.cond(spec.cond, where), () => this.entry(key, spec.node, indent, where, counter));
        return `\n${indent}{{- if ${this.cond(spec.cond, where)} }}${inner}\n${indent}{{- end }}`;
      }
    }
    const keyText = this.keyText(key);
    return `\n${indent}${keyText}:${this.value(node, `${indent}  `, where, indent.length + keyText.length + 1)}${bump(counter, indent)}`;
  }

  private map(node: MapNode, indent: string, where: string): string {
    const present = Object.values(node).filter((v) => v !== undefined);
    if (present.length === 0) return ' {}';
    if (present.some((v) => !isWhen(v))) return this.mapEntries(node, indent, where, null);
    const presence = this.presence(present, where);
    if (presence !== null) return `${this.mapEntries(node, indent, where, null)}${this.emptyUnless(presence, indent, '{}')}`;
    const counter = this.names.acquire('count');
    const out = `\n${indent}{{- ${counter} := 0 }}${this.mapEntries(node, indent, where, counter)}${emptyFallback(counter, indent, '{}')}`;
    this.names.release(counter);
    return out;
  }

  private list(items: readonly TemplateNode[], indent: string, where: string): string {
    if (items.length === 0) return ' []';
    const always = items.some((item) => !isSpecNode(item) || !['when', 'each', 'eachEntry'].includes(specOf(item).op));
    const presence = always ? null : this.presence(items, where);
    if (presence !== null) {
      return `${this.listItems(items, indent, where, null)}${this.emptyUnless(presence, indent, '[]')}`;
    }
    const counter = always ? null : this.names.acquire('count');
    let out = counter ? `\n${indent}{{- ${counter} := 0 }}` : '';
    out += this.listItems(items, indent, where, counter);
    if (counter === null) return out;
    this.names.release(counter);
    return `${out}${emptyFallback(counter, indent, '[]')}`;
  }

  /** The items of a list; a run of items under the same condition shares one `if`. */
  private listItems(items: readonly TemplateNode[], indent: string, where: string, counter: string | null): string {
    let out = '';
    let open: string | null = null;
    items.forEach((item, i) => {
      const at = `${where}[${i}]`;
      const spec = isSpecNode(item) ? specOf(item) : null;
      const cond = spec?.op === 'when' ? this.cond(spec.cond, at) : null;
      if (open !== null && cond !== open) out += `\n${indent}{{- end }}`;
      if (cond !== null && cond !== open) out += `\n${indent}{{- if ${cond} }}`;
      out += spec?.op === 'when' ? this.items(spec.node, indent, at, counter) : this.items(item, indent, at, counter);
      open = cond;
    });
    return open === null ? out : `${out}\n${indent}{{- end }}`;
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
          const body = this.items(spec.body, indent, where, counter);
          this.names.unbind(spec.item);
          return `\n${indent}{{- range ${item} := ${list} }}${body}\n${indent}{{- end }}`;
        }
        case 'eachEntry': {
          const map = this.expr(spec.map, where);
          const key = this.names.bind(spec.key);
          const value = this.names.bind(spec.value);
          const body = this.items(spec.body, indent, where, counter);
          this.names.unbind(spec.key);
          this.names.unbind(spec.value);
          return `\n${indent}{{- range ${key}, ${value} := ${map} }}${body}\n${indent}{{- end }}`;
        }
        default:
          break;
      }
    }
    const value = this.value(node, `${indent}  `, where, indent.length + 1);
    // `- key: value` when the item's first line is an entry (not a control line).
    const lead = `\n${indent}  `;
    const text = value.startsWith(lead) && !value.startsWith(`${lead}{{-`) ? ` ${value.slice(lead.length)}` : value;
    return `\n${indent}-${text}${bump(counter, indent)}`;
  }

  /**
   * Shallow merge, later parts win: each entry is written only if no later part provides its key, so
   * the YAML never holds a duplicate key.
   */
  private merge(spec: Spec<'merge'>, indent: string, where: string, knownNonEmpty = false): string {
    // An unconditional literal entry is always written (by its part or by a later one): no empty check.
    const alwaysNonEmpty = knownNonEmpty || spec.parts.some((part) => isLiteralMap(part) && Object.values(part).some((c) => c !== undefined && whenCondition(c) === null));
    // A merged map is empty iff no part contributes an entry (an entry is left out only for a later part's).
    const counter: string | null = null;
    let out = '';
    spec.parts.forEach((part, i) => {
      const later = spec.parts.slice(i + 1);
      const at = `${where} (mergeMaps part ${i + 1})`;
      const defaults = isLiteralMap(part) ? this.defaultsDict(part, later, at) : null;
      if (defaults !== null) {
        // Defaults that a later map may override, key by key: one range over them instead of one `if` per key.
        const k = this.names.acquire('key');
        const v = this.names.acquire('value');
        const guards = this.overrideGuards(later, k, null, at) ?? [];
        out += `\n${indent}{{- range ${k}, ${v} := ${defaults} }}\n${indent}{{- if ${goAnd(guards)} }}`
          + `\n${indent}{{ toJson ${k} }}: {{ toJson ${v} }}\n${indent}{{- end }}\n${indent}{{- end }}`;
        this.names.release(k);
        this.names.release(v);
      } else if (isLiteralMap(part)) {
        // Adjacent entries written under the same condition share one `{{- if }}` block.
        let group: { cond: string; text: string } | null = null;
        const flush = (): void => {
          if (group !== null) out += group.cond ? `\n${indent}{{- if ${group.cond} }}${group.text}\n${indent}{{- end }}` : group.text;
          group = null;
        };
        for (const [key, child] of Object.entries(part)) {
          if (child === undefined) continue;
          const guards = this.overrideGuards(later, goString(key), key, at);
          if (guards === null) continue;
          const spec = isSpecNode(child) ? specOf(child) : null;
          const unwrap = spec !== null && spec.op === 'when' && !(spec.cond === spec.node && isSpecNode(spec.node) && specOf(spec.node).op === 'merge');
          const conds = unwrap ? [...guards, this.cond((spec as Spec<'when'>).cond, `${at}.${key}`)] : guards;
          const cond = conds.length ? goAnd(conds) : '';
          const text = this.entry(key, unwrap ? (spec as Spec<'when'>).node : child, indent, `${at}.${key}`, counter);
          if (group !== null && (group as { cond: string }).cond === cond) (group as { text: string }).text += text;
          else {
            flush();
            group = { cond, text };
          }
        }
        flush();
      } else {
        const map = this.expr(part, at);
        const k = this.names.acquire('key');
        const v = this.names.acquire('value');
        const guards = this.overrideGuards(later, k, null, at) ?? [];
        const line = `\n${indent}{{ toJson ${k} }}: {{ toJson ${v} }}${bump(counter, indent)}`;
        const body = guards.length ? `\n${indent}{{- if ${goAnd(guards)} }}${line}\n${indent}{{- end }}` : line;
        out += `\n${indent}{{- range ${k}, ${v} := ${map} }}${body}\n${indent}{{- end }}`;
        this.names.release(k);
        this.names.release(v);
      }
    });
    return alwaysNonEmpty ? out : `${out}${this.emptyUnless(goCond(makeNode({ op: 'merge', parts: spec.parts }), this.names, where), indent, '{}')}`;
  }

  /**
   * A `dict` of a literal map part's entries when writing them as one range pays: at least three entries, each
   * always present and a plain value, and every later part a map read from the inputs (so a guard per key is
   * `hasKey`). null otherwise.
   */
  private defaultsDict(part: MapNode, later: readonly TemplateNode[], where: string): string | null {
    const entries = Object.entries(part).filter(([, child]) => child !== undefined) as Array<[string, TemplateNode]>;
    if (entries.length < 3 || later.length === 0 || later.some((p) => isLiteralMap(p) || !isSpecNode(p) || specOf(p).op !== 'ref')) return null;
    const plain = (node: TemplateNode): boolean => {
      if (!isSpecNode(node)) return typeof node !== 'object' || Object.values(node as object).every((c) => c === undefined || plain(c as TemplateNode));
      return FLOW_OPS.has(specOf(node).op);
    };
    if (!entries.every(([, child]) => plain(child))) return null;
    return `(dict ${entries.map(([key, child]) => `${goString(key)} ${goExpr(child, this.names, `${where}.${key}`)}`).join(' ')})`;
  }

  /**
   * A Go condition true iff at least one of these entries or items is written, when each is a `when` of a
   * plain value, an `each` over a list or an `eachEntry` over a map of one plain item per element; else null.
   */
  private presence(nodes: readonly TemplateNode[], where: string): string | null {
    const conds: string[] = [];
    for (const node of nodes) {
      if (!isSpecNode(node)) return null;
      const spec = specOf(node);
      const inner = spec.op === 'when' ? spec.node : spec.op === 'each' || spec.op === 'eachEntry' ? spec.body : null;
      if (inner === null || (isSpecNode(inner) && ['when', 'each', 'eachEntry'].includes(specOf(inner).op))) return null;
      conds.push(spec.op === 'when' ? this.cond(spec.cond, where) : this.expr(spec.op === 'each' ? spec.list : (spec as Spec<'eachEntry'>).map, where));
    }
    return conds.length === 1 ? conds[0] : `(or ${conds.join(' ')})`;
  }

  /**
   * Conditions under which no later part provides the key (`keyExpr` is a Go string operand; `staticKey`
   * is its value when known). null: a later part always provides it.
   */
  private overrideGuards(later: readonly TemplateNode[], keyExpr: string, staticKey: string | null, where: string): string[] | null {
    const guards: string[] = [];
    const fixedKeys: string[] = [];
    const keysByCond = new Map<string, string[]>();
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
            const condText = this.cond(cond, where);
            keysByCond.set(condText, [...keysByCond.get(condText) ?? [], key]);
          }
        }
      } else {
        guards.push(`(not (hasKey ${this.expr(part, where)} ${keyExpr}))`);
      }
    }
    // Keys a later part writes under the same condition are tested together.
    for (const [condText, keys] of keysByCond) {
      const other = keys.length === 1 ? `(ne ${keyExpr} ${goString(keys[0])})` : `(not (has ${keyExpr} (list ${keys.map(goString).join(' ')})))`;
      guards.push(`(or ${other} (not ${condText}))`);
    }
    if (fixedKeys.length === 1) guards.push(`(ne ${keyExpr} ${goString(fixedKeys[0])})`);
    if (fixedKeys.length > 1) guards.push(`(not (has ${keyExpr} (list ${fixedKeys.map(goString).join(' ')})))`);
    return guards;
  }

  /** A text fragment's lines: each line then a newline; conditional lines between `{{ if c -}}` and `{{ end -}}`. */
  public textLines(items: readonly TemplateNode[], where: string): string {
    let out = '';
    items.forEach((item, i) => {
      const at = `${where} line ${i + 1}`;
      if (isSpecNode(item) && specOf(item).op === 'when') {
        const spec = specOf(item) as Spec<'when'>;
        const inner = Array.isArray(spec.node) ? spec.node as readonly TemplateNode[] : [spec.node];
        const single = inner.length === 1 && !(isSpecNode(inner[0]) && specOf(inner[0]).op === 'when');
        out += single
          ? `{{ if ${this.cond(spec.cond, at)} }}${this.textLine(inner[0], at)}{{ "\\n" }}{{ end -}}\n`
          : `{{ if ${this.cond(spec.cond, at)} -}}\n${this.textLines(inner, at)}{{ end -}}\n`;
      } else {
        out += `${this.textLine(item, at)}\n`;
      }
    });
    return out;
  }

  private textLine(node: TemplateNode, where: string): string {
    const parts = isSpecNode(node) && specOf(node).op === 'concat' ? (specOf(node) as Spec<'concat'>).parts : [node];
    const first = parts[0];
    if (typeof first !== 'string' || first === '' || /^\s/.test(first)) {
      throw new Error(`${where}: a text line must start with literal text (not whitespace, not a computed value)`);
    }
    return parts.map((part) => {
      if (typeof part === 'string') return part.includes('{{') || part.includes('\n') ? `{{ ${goString(part)} }}` : part;
      return `{{ ${bare(this.expr(part, where))} }}`;
    }).join('');
  }

  private expr(node: TemplateNode, where: string): string {
    return goExpr(node, this.names, where);
  }

  private cond(node: TemplateNode, where: string): string {
    return goCond(node, this.names, where);
  }

  /**
   * A literal string as YAML text: bare when no YAML 1.1 or 1.2 parser could read it as anything but that
   * string (a word of letters, digits and `_./-` starting with a letter; in a flow sequence no `,`), else
   * JSON-quoted; `{{` would start a template action, so such strings go through one.
   */
  private scalarText(s: string, inFlow = false): string {
    const bare = inFlow ? BARE_FLOW_SCALAR.test(s) : BARE_SCALAR.test(s) && !s.endsWith(':') && !s.includes(': ');
    if (bare && !YAML_SPECIAL_WORDS.has(s.toLowerCase())) return s;
    // A long string is joined from parts inside an action, where a long line may be broken between them.
    if (s.length > LONG_STRING) return `{{ toJson (print ${chunks(s, LONG_STRING).map(goString).join(' ')}) }}`;
    return s.includes('{{') ? `{{ toJson ${goString(s)} }}` : JSON.stringify(s);
  }

  /** Plain keys stay bare for readability; anything a YAML 1.1 or 1.2 parser could read otherwise is quoted. */
  private keyText(key: string): string {
    return BARE_KEY.test(key) && !YAML_SPECIAL_WORDS.has(key.toLowerCase()) ? key : JSON.stringify(key).includes('{{') ? `{{ toJson ${goString(key)} }}` : JSON.stringify(key);
  }
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Plain scalars that YAML 1.1 and 1.2 read back as the same string: a letter, `/` or `-`+letter first; `=` and `:` inside only in block context. */
const BARE_SCALAR = /^(?:[A-Za-z/]|--?[A-Za-z])[A-Za-z0-9_./=:-]*$/;
const BARE_FLOW_SCALAR = /^(?:[A-Za-z/]|--?[A-Za-z])[A-Za-z0-9_./=-]*$/;
/** Longest line a flow collection may make (short ones only: long ones read better as blocks). */
const MAX_FLOW_LINE = 130;
/** Longest literal string written as one quoted scalar (a YAML scalar cannot be broken across lines unchanged). */
const LONG_STRING = 100;

/** `s` in parts of at most `size` UTF-16 units, each ending after a space where one is near, never splitting a surrogate pair. */
function chunks(s: string, size: number): string[] {
  const out: string[] = [];
  let part = '';
  for (const c of s) {
    if (part.length + c.length > size) {
      const space = part.lastIndexOf(' ');
      const cut = space >= size / 2 ? space + 1 : part.length;
      out.push(part.slice(0, cut));
      part = part.slice(cut);
    }
    part += c;
  }
  return part === '' ? out : [...out, part];
}

/** Node kinds that are one scalar expression (written `{{ toJson ... }}`), usable inside a flow collection. */
const FLOW_OPS: ReadonlySet<NodeSpec['op']> = new Set(['ref', 'concat', 'str', 'not', 'and', 'or', 'eq', 'ne', 'default', 'yaml', 'replace']);
const YAML_SPECIAL_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

function goExprLiteral(value: number | boolean, where: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${where}: literal ${value} is not a finite number`);
  return JSON.stringify(value);
}

function bump(counter: string | null, indent: string): string {
  return counter ? `\n${indent}{{- ${counter} = add1 ${counter} }}` : '';
}

/** Written after the entries: a flow `{}`/`[]` on its own line is the block value when nothing was written. */
function emptyWhenNot(presence: string, indent: string, empty: string): string {
  return `\n${indent}{{- if not ${presence} }}\n${indent}${empty}\n${indent}{{- end }}`;
}

/** As `emptyWhenNot`, counting the entries written in `counter`. */
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

/** An operand without its outer parentheses, when they enclose all of it. */
function bare(expr: string): string {
  if (!expr.startsWith('(') || !expr.endsWith(')')) return expr;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0 && i < expr.length - 1) return expr;
    }
  }
  return expr.slice(1, -1);
}

/**
 * Lines longer than MAX_TEMPLATE_LINE are broken at spaces inside template actions (outside string
 * literals), continued 4 spaces deeper than the line: the output is unchanged, since a newline inside an
 * action is only a separator.
 */
export function wrapLongLines(text: string, max: number = MAX_TEMPLATE_LINE): string {
  return text.split('\n').map((line) => (line.length <= max ? line : wrapLine(line, max))).join('\n');
}

function wrapLine(line: string, max: number): string {
  const indent = `${/^ */.exec(line)![0]}    `;
  const breaks: number[] = [];
  let inAction = false;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (!inAction) {
      if (line.startsWith('{{', i)) { inAction = true; i++; }
      continue;
    }
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (line.startsWith('}}', i)) { inAction = false; i++; }
    else if (c === ' ' && line[i + 1] !== '}' && line[i - 1] !== '{' && line[i - 1] !== '-') breaks.push(i);
  }
  const out: string[] = [];
  let start = 0;
  let prefix = '';
  let last = -1;
  for (const b of breaks) {
    if (prefix.length + (b - start) > max - 10 && last > start) {
      out.push(prefix + line.slice(start, last));
      start = last + 1;
      prefix = indent;
    }
    last = b;
  }
  if (prefix.length + (line.length - start) > max && last > start) {
    out.push(prefix + line.slice(start, last));
    start = last + 1;
    prefix = indent;
  }
  out.push(prefix + line.slice(start));
  return out.join('\n');
}
