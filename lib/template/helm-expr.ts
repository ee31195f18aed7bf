import { FragmentDefinition, isSpecNode, LoopVar, NodeSpec, specOf, TemplateNode } from './model';

/**
 * Names the variables of one template file or `define`: loop variables get their hint (`$item`, `$key`,
 * `$value`), numbered only while an enclosing range already uses the name; fragment parameters are read as
 * `$.<name>`; `root` is how the body reaches `.Values`/`.Release` (`$`, or `$.root` in a define with parameters).
 */
export class HelmNames {
  private readonly vars = new Map<LoopVar, string>();
  private readonly active = new Set<string>();
  /** Values maps read often enough to get a variable: dotted path (`cloudConfig.global`) → `$global`. */
  private readonly shorthands = new Map<string, string>();

  /** `onInclude` is told of every fragment used, so that its `define` gets written. */
  public constructor(
    public readonly root: string = '$',
    public readonly onInclude: (fragment: FragmentDefinition) => void = () => undefined,
  ) {}

  /** A variable name not used by an enclosing scope; give it back with `release` when its scope ends. */
  public acquire(hint: string): string {
    let name = `$${hint}`;
    for (let i = 2; this.active.has(name); i++) name = `$${hint}${i}`;
    this.active.add(name);
    return name;
  }

  public release(name: string): void {
    this.active.delete(name);
  }

  /** Binds a loop variable for the range that is being written; `unbind` at the range's end. */
  public bind(variable: LoopVar): string {
    const name = this.acquire(variable.hint);
    this.vars.set(variable, name);
    return name;
  }

  public unbind(variable: LoopVar): void {
    const name = this.vars.get(variable);
    if (name !== undefined) this.release(name);
    this.vars.delete(variable);
  }

  /** A fragment parameter, read from the define's argument (`$.<name>`) or a local variable holding it. */
  public bindParam(variable: LoopVar, expr: string): void {
    this.vars.set(variable, expr);
  }

  /**
   * Gives each values map that `nodes` read through at least `minUses` times (a path of two or more keys, e.g.
   * `cloudConfig.global`) a variable named for its last key, `{{- $global := $.Values.cloudConfig.global }}`, so
   * that long conditions read `$global.authUrl`. Returns those declaration lines, to be written before the nodes.
   */
  public shorten(nodes: readonly TemplateNode[], minUses: number = SHORTHAND_MIN_USES): string[] {
    const uses = new Map<string, number>();
    for (const node of nodes) countParents(node, uses);
    const lines: string[] = [];
    const byName = new Map<string, string>();
    for (const [path, count] of uses) {
      const name = `$${path.slice(path.lastIndexOf('.') + 1)}`;
      if (count >= minUses) byName.set(name, byName.has(name) ? '' : path);
    }
    for (const [name, path] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (path === '' || this.active.has(name)) continue;
      this.active.add(name);
      this.shorthands.set(path, name);
      lines.push(`{{- ${name} := ${this.root}.Values.${path} }}`);
    }
    return lines;
  }

  /** The variable holding the values map at `path` (see `shorten`), if any. */
  public shorthand(path: readonly string[]): string | undefined {
    return this.shorthands.get(path.join('.'));
  }

  public lookup(variable: LoopVar, where: string): string {
    const name = this.vars.get(variable);
    if (name === undefined) {
      throw new Error(`${where}: a ${variable.hint} ref is used outside the each() that defines it (or inside a fragment that does not take it as a parameter)`);
    }
    return name;
  }
}

const GO_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** How often a values map must be read through before it gets a variable (see `HelmNames.shorten`). */
const SHORTHAND_MIN_USES = 8;

/** Counts, per values map of two or more keys, the values refs that read a key of it (not inside fragments). */
function countParents(node: TemplateNode | undefined, uses: Map<string, number>): void {
  if (node === undefined || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node as readonly TemplateNode[]) countParents(item, uses);
    return;
  }
  if (!isSpecNode(node)) {
    for (const child of Object.values(node as Record<string, TemplateNode | undefined>)) countParents(child, uses);
    return;
  }
  const spec = specOf(node);
  if (spec.op === 'ref') {
    const parent = spec.path.slice(0, -1);
    if (spec.root.kind === 'values' && parent.length >= 2 && parent.every((key) => GO_IDENT.test(key))) {
      const path = parent.join('.');
      uses.set(path, (uses.get(path) ?? 0) + 1);
    }
    return;
  }
  if (spec.op === 'include') {
    for (const [, arg] of spec.args) countParents(arg, uses);
    return;
  }
  // Every other field that holds nodes (loop variables are not nodes).
  for (const child of Object.values(spec)) {
    if (typeof child === 'object' && child !== null && !(child instanceof LoopVar)) countParents(child as TemplateNode, uses);
  }
}

/** A Go template string constant (Go accepts JSON's escapes). */
export function goString(s: string): string {
  return JSON.stringify(s);
}

export function goAnd(conds: readonly string[]): string {
  if (conds.length === 0) return 'true';
  return conds.length === 1 ? conds[0] : `(and ${conds.join(' ')})`;
}

/**
 * A Go operand with the same truthiness as the node. Differs from `goExpr` only where a value has no
 * expression form but its truthiness has: a merged map is non-empty iff some part contributes an entry.
 */
export function goCond(node: TemplateNode, names: HelmNames, where: string): string {
  if (isSpecNode(node)) {
    const spec = specOf(node);
    switch (spec.op) {
      case 'merge': {
        const parts = spec.parts.map((p) => mapPresence(p, names, where));
        if (parts.includes('true')) return 'true';
        return parts.length === 1 ? parts[0] : `(or ${parts.join(' ')})`;
      }
      case 'not': return `(not ${goCond(spec.value, names, where)})`;
      case 'and':
      case 'or': return `(${spec.op} ${spec.args.map((a) => goCond(a, names, where)).join(' ')})`;
      case 'yaml': return goCond(spec.value, names, where);
      default: break;
    }
  }
  return goExpr(node, names, where);
}

/** Truthy iff a mergeMaps part contributes at least one entry. */
function mapPresence(part: TemplateNode, names: HelmNames, where: string): string {
  if (typeof part !== 'object' || part === null || Array.isArray(part) || isSpecNode(part)) return goCond(part, names, where);
  const conds: string[] = [];
  for (const child of Object.values(part as Record<string, TemplateNode | undefined>)) {
    if (child === undefined) continue;
    if (!isSpecNode(child) || specOf(child).op !== 'when') return 'true';
    const spec = specOf(child) as Extract<NodeSpec, { op: 'when' }>;
    conds.push(goCond(spec.cond, names, where));
  }
  if (conds.length === 0) return 'false';
  return conds.length === 1 ? conds[0] : `(or ${conds.join(' ')})`;
}

/**
 * The Go template operand computing an expression node's value. Structural nodes (`when`, `each`,
 * `mergeMaps`) have no single-expression form and are rejected with the path where they were used.
 */
export function goExpr(node: TemplateNode, names: HelmNames, where: string): string {
  if (typeof node === 'string') return goString(node);
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (typeof node === 'number') {
    if (!Number.isFinite(node)) throw new Error(`${where}: literal ${node} is not a finite number`);
    return String(node);
  }
  if (Array.isArray(node)) {
    const items = (node as readonly TemplateNode[]).map((item, i) => goExpr(item, names, `${where}[${i}]`));
    return items.length === 0 ? '(list)' : `(list ${items.join(' ')})`;
  }
  if (!isSpecNode(node)) {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(node as Record<string, TemplateNode | undefined>)) {
      if (value === undefined) continue;
      parts.push(goString(key), goExpr(value, names, `${where}.${key}`));
    }
    return parts.length === 0 ? '(dict)' : `(dict ${parts.join(' ')})`;
  }
  return specExpr(specOf(node), names, where);
}

function specExpr(spec: NodeSpec, names: HelmNames, where: string): string {
  const sub = (n: TemplateNode): string => goExpr(n, names, where);
  switch (spec.op) {
    case 'ref': return refExpr(spec, names, where);
    case 'concat': return `(print ${flatParts(spec.parts).map(sub).join(' ')})`;
    case 'str': return `(toJson ${sub(spec.value)})`;
    case 'not': return `(not ${sub(spec.value)})`;
    case 'and':
    case 'or': return `(${spec.op} ${spec.args.map(sub).join(' ')})`;
    case 'eq':
    case 'ne':
      return spec.numeric
        ? `(${spec.op} (float64 ${sub(spec.left)}) (float64 ${sub(spec.right)}))`
        : `(${spec.op} ${sub(spec.left)} ${sub(spec.right)})`;
    case 'default': return `(default ${sub(spec.fallback)} ${sub(spec.value)})`;
    // Both branches are evaluated by `ternary`; in value position the emitter uses a lazy if/else instead.
    case 'ifElse':
      if (!isLiteral(spec.then) || !isLiteral(spec.otherwise)) {
        throw new Error(`${where}: ifElse() with a computed branch cannot be an operand (Helm's ternary evaluates both branches); use it as a map value or list item, or pick() between literals`);
      }
      return `(ternary ${sub(spec.then)} ${sub(spec.otherwise)} (not (not ${sub(spec.cond)})))`;
    case 'yaml': return sub(spec.value);
    case 'replace': return `(replace ${goString(spec.old)} ${goString(spec.replacement)} ${sub(spec.value)})`;
    case 'include':
      if (spec.fragment.kind !== 'text') {
        throw new Error(`${where}: the value fragment ${spec.fragment.name} cannot be used inside an expression, only as a map value or list item`);
      }
      return `(${includeCall(spec, names, where)})`;
    case 'when':
    case 'each':
    case 'eachEntry':
    case 'merge':
      throw new Error(`${where}: ${spec.op === 'merge' ? 'mergeMaps' : spec.op}() cannot be used inside an expression, only as a map value or list item`);
  }
  return unreachable(spec);
}

function unreachable(spec: never): never {
  throw new Error(`unknown template node ${JSON.stringify(spec)}`);
}

function refExpr(spec: Extract<NodeSpec, { op: 'ref' }>, names: HelmNames, where: string): string {
  const root = spec.root;
  let expr = root.kind === 'values' ? `${names.root}.Values`
    : root.kind === 'release' ? `${names.root}.Release.${root.field}`
      : root.kind === 'chart' ? `${names.root}.Chart.${root.field}`
        : names.lookup(root.variable, where);
  let path = spec.path;
  const parent = root.kind === 'values' && path.length >= 3 ? names.shorthand(path.slice(0, -1)) : undefined;
  if (parent !== undefined) {
    expr = parent;
    path = path.slice(-1);
  }
  for (const key of path) {
    expr = GO_IDENT.test(key) ? `${expr}.${key}` : `(index ${expr} ${goString(key)})`;
  }
  return expr;
}

function isLiteral(node: TemplateNode): boolean {
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean';
}

/** `include "<name>" <argument>`: `$` (the root) without parameters, else a dict of the root and the parameters. */
export function includeCall(spec: Extract<NodeSpec, { op: 'include' }>, names: HelmNames, where: string): string {
  const at = `${where} (${spec.fragment.name})`;
  names.onInclude(spec.fragment);
  if (spec.args.length === 0) return `include ${goString(spec.fragment.name)} ${names.root}`;
  const parts = spec.args.map(([name, value]) => `${goString(name)} ${goExpr(value, names, `${at}.${name}`)}`);
  return `include ${goString(spec.fragment.name)} (dict "root" ${names.root} ${parts.join(' ')})`;
}

/** The parts of a concat with nested concats spliced in (`print` of `print` is one `print`). */
function flatParts(parts: readonly TemplateNode[]): TemplateNode[] {
  return parts.flatMap((part) => {
    if (!isSpecNode(part)) return [part];
    const spec = specOf(part);
    return spec.op === 'concat' ? flatParts(spec.parts) : [part];
  });
}
