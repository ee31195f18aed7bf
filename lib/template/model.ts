/**
 * The object-template model: a JSON-like tree in which any node may be an expression over the chart
 * inputs. Both backends (the evaluator and the Helm emitter) interpret exactly these node specs, so
 * adding a node kind means teaching both of them.
 */

/** A JSON value as produced by the evaluator (and as Helm's output parses). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Internal brand under which every template node keeps its spec; never a values key. */
export const SPEC: unique symbol = Symbol.for('cinder-csi.template.spec') as never;

/** Phantom marker carrying the TypeScript type of what an expression evaluates to. */
declare const VALUE_TYPE: unique symbol;

/**
 * Identity of a variable: a loop variable introduced by `each`/`eachEntry` (Helm: `$item`, `$key`, ...) or a
 * fragment parameter (Helm: `$.<name>` inside the `define`); the evaluator keeps it in an environment slot.
 */
export class LoopVar {
  public constructor(public readonly hint: string) {}
}

export type RefRoot =
  | { readonly kind: 'values' }
  | { readonly kind: 'release'; readonly field: 'Name' | 'Namespace' | 'Service' }
  | { readonly kind: 'chart'; readonly field: 'Name' | 'Version' }
  | { readonly kind: 'loop'; readonly variable: LoopVar };

/**
 * A named fragment (see `fragment`/`textFragment`): the Helm backend writes its body once as a `define` and
 * `include`s it; the evaluator inlines it. `value` fragments are a map, list or scalar value; `text` fragments
 * are lines of text (each written with a trailing newline), a string.
 */
export interface FragmentDefinition {
  /** The Helm template name, e.g. `cinder-csi.labels`. */
  readonly name: string;
  /** One sentence for the comment above the `define`. */
  readonly description: string;
  readonly kind: 'value' | 'text';
  /** `fallback`: the value of a parameter left out or empty (sprig `default`). */
  readonly params: ReadonlyArray<{ readonly name: string; readonly variable: LoopVar; readonly fallback?: TemplateNode }>;
  /** A value fragment's value, or a text fragment's lines (a list of string nodes and `when`s of lines). */
  readonly body: TemplateNode;
}

/** The specs of all node kinds. Plain literals (string, number, boolean, arrays, objects) are not wrapped. */
export type NodeSpec =
  | { readonly op: 'ref'; readonly root: RefRoot; readonly path: readonly string[] }
  | { readonly op: 'concat'; readonly parts: readonly TemplateNode[] }
  | { readonly op: 'str'; readonly value: TemplateNode }
  | { readonly op: 'not'; readonly value: TemplateNode }
  | { readonly op: 'and' | 'or'; readonly args: readonly TemplateNode[] }
  | { readonly op: 'eq' | 'ne'; readonly left: TemplateNode; readonly right: TemplateNode; readonly numeric: boolean }
  | { readonly op: 'default'; readonly value: TemplateNode; readonly fallback: TemplateNode }
  | { readonly op: 'ifElse'; readonly cond: TemplateNode; readonly then: TemplateNode; readonly otherwise: TemplateNode }
  | { readonly op: 'when'; readonly cond: TemplateNode; readonly node: TemplateNode }
  | { readonly op: 'each'; readonly list: TemplateNode; readonly item: LoopVar; readonly body: TemplateNode }
  | {
      readonly op: 'eachEntry';
      readonly map: TemplateNode;
      readonly key: LoopVar;
      readonly value: LoopVar;
      readonly body: TemplateNode;
    }
  | { readonly op: 'merge'; readonly parts: readonly TemplateNode[] }
  | { readonly op: 'yaml'; readonly value: TemplateNode }
  | { readonly op: 'replace'; readonly value: TemplateNode; readonly old: string; readonly replacement: string }
  | {
      readonly op: 'include';
      readonly fragment: FragmentDefinition;
      readonly args: ReadonlyArray<readonly [string, TemplateNode]>;
    };

export type NodeOp = NodeSpec['op'];

/** Any non-literal node. */
export interface SpecNode {
  readonly [SPEC]: NodeSpec;
}

/** A node that evaluates to a single value of type T (usable inside other expressions and as a condition). */
export interface Expr<T> extends SpecNode {
  readonly [VALUE_TYPE]?: T;
  /** Type-level only: a `Choice` or an `Included` value is not an expression. */
  readonly __choice?: never;
  readonly __included?: never;
}

/**
 * A typed reference into the inputs. Property access walks into maps:
 * `valuesRef<V>().controller.replicas` is a `Ref<number>` when `V['controller']['replicas']` is a number.
 */
export type Ref<T> = Expr<T> & RefFields<T>;

type RefFields<T> = [NonNullable<T>] extends [readonly unknown[]]
  ? unknown
  : [NonNullable<T>] extends [object]
    ? { readonly [K in keyof NonNullable<T> & string]-?: Ref<NonNullable<T>[K]> }
    : unknown;

/** Structural nodes that only make sense inside a map or a list (they may contribute nothing). */
export interface When<T> extends SpecNode {
  readonly [VALUE_TYPE]?: T;
}
export interface Each extends SpecNode {
  readonly __each?: never;
}
/**
 * `ifElse` with any branches: a value (map value or list item) only, never an operand of another
 * expression, because Helm's `ternary` would evaluate both branches there (and fail on the one not taken).
 */
export interface Choice<T> extends SpecNode {
  readonly [VALUE_TYPE]?: T;
  /** Type-level only (never present at run time): keeps a Choice out of expression positions. */
  readonly __choice: true;
}
/** A value fragment's use: a map value or list item only (its Helm form is an `include ... | nindent`). */
export interface Included extends SpecNode {
  /** Type-level only (never present at run time): keeps an Included out of expression positions. */
  readonly __included: true;
}

/**
 * A template tree node. `undefined` entries in a map are dropped (handy for optional props), exactly
 * as if the key were absent.
 */
export type TemplateNode =
  | string
  | number
  | boolean
  | SpecNode
  | readonly TemplateNode[]
  | { readonly [key: string]: TemplateNode | undefined };

export function isSpecNode(node: unknown): node is SpecNode {
  return (typeof node === 'object' || typeof node === 'function') && node !== null && SPEC in node;
}

export function specOf(node: SpecNode): NodeSpec {
  return node[SPEC];
}

/** Makes a non-ref node. Frozen so that templates can be shared between charts safely. */
export function makeNode<T>(spec: NodeSpec): Expr<T> {
  return Object.freeze({ [SPEC]: spec }) as Expr<T>;
}
