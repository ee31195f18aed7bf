import { Choice, Each, Expr, LoopVar, makeNode, Ref, TemplateNode, When } from './model';
import { makeLoopRef, makeRef } from './ref';

/** Typed reference to `.Values`; the type parameter is the values root type (e.g. `CinderCsiValues`). */
export function valuesRef<V>(): Ref<V> {
  return makeRef<V>({ kind: 'values' }, []);
}

/** `.Release.Name`, `.Release.Namespace` and `.Release.Service` (Helm renders "Helm"). */
export const releaseRef: { readonly name: Ref<string>; readonly namespace: Ref<string>; readonly service: Ref<string> } = Object.freeze({
  name: makeRef<string>({ kind: 'release', field: 'Name' }, []),
  namespace: makeRef<string>({ kind: 'release', field: 'Namespace' }, []),
  service: makeRef<string>({ kind: 'release', field: 'Service' }, []),
});

/** `.Chart.Name` and `.Chart.Version` (the evaluator reads them from `TemplateInputs.chart`). */
export const chartRef: { readonly name: Ref<string>; readonly version: Ref<string> } = Object.freeze({
  name: makeRef<string>({ kind: 'chart', field: 'Name' }, []),
  version: makeRef<string>({ kind: 'chart', field: 'Version' }, []),
});

/** A string value or an expression that yields a string. */
export type StringNode = string | Expr<string>;
/** Anything usable as a condition: Go template truthiness applies (false, 0, "", empty map/list, nil are falsy). */
export type Condition = Expr<unknown> | boolean;

/** String concatenation (Go: `print`). Parts must be strings; wrap numbers/booleans with `str()`. */
export function concat(...parts: StringNode[]): Expr<string> {
  if (parts.length === 0) throw new Error('concat: expected at least one part');
  return makeNode<string>({ op: 'concat', parts });
}

/**
 * Formats a number or boolean as a string the way JSON writes it (Go: `toJson`), e.g. 3 → "3",
 * 1000000 → "1000000", true → "true". Go's `print` would write 1000000 as "1e+06".
 */
export function str(value: Expr<number | boolean> | Expr<number> | Expr<boolean> | number | boolean): Expr<string> {
  return makeNode<string>({ op: 'str', value });
}

/** Entry (in a map) or item (in a list) present only when `cond` is truthy. Elsewhere it is an error. */
export function when<N extends TemplateNode>(cond: Condition, node: N): When<N> {
  return makeNode<N>({ op: 'when', cond, node }) as When<N>;
}

/** Entry present only when the value is non-empty (Go: `with`): `when(ref, ref)`. */
export function optional<T>(value: Expr<T>): When<Expr<T>> {
  return when(value, value);
}

/**
 * `a` when `cond` is truthy, else `b`. Branches may be whole subtrees; only the chosen one is evaluated (Helm:
 * `{{ if }}...{{ else }}...{{ end }}`). The result is a value (a map value or a list item), not an expression:
 * inside `concat`, `eq`, `when(...)` conditions etc. Helm could only write `ternary`, which evaluates BOTH
 * branches (and fails on the one not taken, e.g. a nil map). For an operand choose between literals with `pick`.
 */
export function ifElse<A extends TemplateNode, B extends TemplateNode>(
  cond: Condition, a: A, b: B,
): Choice<A extends Expr<infer T> ? T : A | (B extends Expr<infer U> ? U : B)> {
  return makeNode({ op: 'ifElse', cond, then: a, otherwise: b }) as unknown as Choice<A extends Expr<infer T> ? T : A | (B extends Expr<infer U> ? U : B)>;
}

type Literal = string | number | boolean;

/**
 * `a` when `cond` is truthy, else `b`, as an expression: both are literals, so Helm's `ternary` (which
 * evaluates both) cannot fail on the branch not taken.
 */
export function pick<A extends Literal, B extends Literal>(cond: Condition, a: A, b: B): Expr<A | B> {
  for (const branch of [a, b]) {
    if (!['string', 'number', 'boolean'].includes(typeof branch)) {
      throw new Error(`pick: branches must be literal strings, numbers or booleans (got ${typeof branch}); use ifElse for a value`);
    }
  }
  return makeNode<A | B>({ op: 'ifElse', cond, then: a, otherwise: b });
}

export function not(value: Condition): Expr<boolean> {
  return makeNode<boolean>({ op: 'not', value });
}

/** Go `and`: the first falsy argument, else the last one (short-circuit). */
export function and(...args: Array<Condition | string | number>): Expr<unknown> {
  if (args.length < 2) throw new Error('and: expected at least two arguments');
  return makeNode({ op: 'and', args });
}

/** Go `or`: the first truthy argument, else the last one (short-circuit). */
export function or(...args: Array<Condition | string | number>): Expr<unknown> {
  if (args.length < 2) throw new Error('or: expected at least two arguments');
  return makeNode({ op: 'or', args });
}

type Comparable = string | number | boolean | Expr<string> | Expr<number> | Expr<boolean>;

/**
 * Equality of strings, booleans or numbers. When either side is a number literal the comparison is
 * numeric (Helm: both sides converted with `float64`, since values files give float64 and `--set` int64).
 */
export function eq(left: Comparable, right: Comparable): Expr<boolean> {
  return makeNode<boolean>({ op: 'eq', left, right, numeric: typeof left === 'number' || typeof right === 'number' });
}

export function ne(left: Comparable, right: Comparable): Expr<boolean> {
  return makeNode<boolean>({ op: 'ne', left, right, numeric: typeof left === 'number' || typeof right === 'number' });
}

/**
 * `value` unless it is empty, else `fallback` (sprig `default`). Beware: like Helm, `false` and `0`
 * count as empty, so this is for strings, maps and lists.
 */
export function defaultTo<T>(value: Expr<T>, fallback: T | Expr<T>): Expr<T> {
  return makeNode<T>({ op: 'default', value, fallback: fallback as TemplateNode });
}

/**
 * One item per list element (Go: `range`). Inside a list the items are spliced in; as a map value it
 * is the whole list. `body` receives a typed ref to the element.
 */
export function each<T>(list: Expr<readonly T[]> | Expr<T[]>, body: (item: Ref<T>) => TemplateNode): Each {
  const item = new LoopVar('item');
  const itemRef = makeLoopRef<T>(item);
  return makeNode({ op: 'each', list, item, body: body(itemRef) }) as Each;
}

/**
 * One list item per map entry, in Go's order (keys sorted bytewise), e.g. env vars from a map:
 * `[eachEntry(v.extraEnv, (name, value) => ({ name, value }))]`. Like `each`, list positions only
 * (or as a map value: the whole list). For maps built from maps use `mergeMaps`.
 */
export function eachEntry<T>(
  map: Expr<Record<string, T>> | Expr<{ readonly [key: string]: T }>,
  body: (key: Ref<string>, value: Ref<T>) => TemplateNode,
): Each {
  const key = new LoopVar('key');
  const value = new LoopVar('value');
  const out = body(makeLoopRef<string>(key), makeLoopRef<T>(value));
  return makeNode({ op: 'eachEntry', map, key, value, body: out }) as Each;
}

/**
 * Shallow map merge; LATER parts win on equal keys (e.g. `mergeMaps(userLabels, standardLabels)` keeps
 * the standard labels authoritative). Parts are literal maps (may contain `when` entries) or map refs.
 */
export function mergeMaps(...parts: Array<Expr<object | undefined> | { readonly [key: string]: TemplateNode | undefined }>): Expr<Record<string, unknown>> {
  if (parts.length === 0) throw new Error('mergeMaps: expected at least one part');
  return makeNode({ op: 'merge', parts });
}

/** A free-form value (resources, affinity, tolerations) inserted whole. */
export function yamlOf<T>(value: Expr<T>): Expr<T> {
  return makeNode<T>({ op: 'yaml', value });
}

/**
 * Every occurrence of `old` in a string replaced by `replacement` (sprig: `replace old new value`), e.g.
 * escaping for a quoted INI value: `replace(replace(s, '\\', '\\\\'), '"', '\\"')`.
 */
export function replace(value: StringNode, old: string, replacement: string): Expr<string> {
  if (old === '') throw new Error('replace: expected a non-empty string to replace');
  return makeNode<string>({ op: 'replace', value, old, replacement });
}
