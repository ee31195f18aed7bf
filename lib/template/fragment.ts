import { Condition, StringNode } from './builders';
import { Expr, FragmentDefinition, Included, LoopVar, makeNode, Ref, TemplateNode, When } from './model';
import { makeLoopRef } from './ref';

/*
 * Named fragments: a piece of an object written once and used in many places. The Helm backend writes
 * each fragment once as `{{- define "<name>" -}}` (collected into templates/_helpers.tpl by the chart) and
 * uses it with `include`; the evaluator inlines it. A fragment sees `.Values`, `.Release`, `.Chart` and its
 * own parameters only (no loop variable of the place it is used: pass it as a parameter). With parameters
 * Helm passes `(dict "root" $ "<param>" <value> ...)` and the body reads `$.root.Values`, `$.<param>`;
 * without, it passes `$`.
 */

const FRAGMENT_NAME = /^[a-z0-9-]+(\.[a-zA-Z0-9-]+)+$/;
const PARAM_NAME = /^[a-z][a-zA-Z0-9]*$/;

export type FragmentParams<P> = { readonly [K in keyof P]-?: Ref<P[K]> };
/**
 * An argument: an expression of the parameter's type, or a literal of it (a string, a map of strings, ...), or for a list
 * a list of expressions.
 * An optional parameter may be left out: it is then nil (Helm: absent from the dict), e.g. a map that adds nothing.
 */
export type FragmentArgs<P> = { readonly [K in keyof P]: Expr<P[K]> | P[K] | ListOfExprs<P[K]> };
/** A list parameter may be given as a list whose items are expressions (Helm: `(list ...)`). */
type ListOfExprs<T> = T extends ReadonlyArray<infer E> ? ReadonlyArray<Expr<E> | E> : never;

export interface FragmentOptions<P> {
  /** The Helm template name, `<chart>.<fragment>` (e.g. `cinder-csi.labels`). */
  readonly name: string;
  /** One sentence, written above the `define`. */
  readonly description: string;
  /** Parameter names, in the order the `dict` lists them; `root` is reserved. */
  readonly params: ReadonlyArray<keyof P & string>;
  /**
   * Values of parameters left out or empty (sprig `default`; Helm: `{{- $name := default <value> $.name }}` at
   * the top of the define), e.g. `{ labels: {} }` so that a map parameter is always a map.
   */
  readonly defaults?: { readonly [K in keyof P]?: TemplateNode };
}

function definition<P>(options: FragmentOptions<P>, kind: FragmentDefinition['kind'], build: (params: FragmentParams<P>) => TemplateNode): FragmentDefinition {
  if (!FRAGMENT_NAME.test(options.name)) throw new Error(`fragment: name "${options.name}" must look like chart.fragment (${FRAGMENT_NAME})`);
  const params = options.params.map((name) => {
    if (!PARAM_NAME.test(name) || name === 'root') throw new Error(`fragment ${options.name}: parameter "${name}" must match ${PARAM_NAME} and not be "root"`);
    const fallback = (options.defaults as Record<string, TemplateNode | undefined> | undefined)?.[name];
    return fallback === undefined ? { name, variable: new LoopVar(name) } : { name, variable: new LoopVar(name), fallback };
  });
  if (new Set(options.params).size !== options.params.length) throw new Error(`fragment ${options.name}: duplicate parameter names`);
  const refs = Object.fromEntries(params.map((p) => [p.name, makeLoopRef(p.variable)])) as unknown as FragmentParams<P>;
  return Object.freeze({ name: options.name, description: options.description, kind, params, body: build(refs) });
}

function argsOf<P>(def: FragmentDefinition, args: FragmentArgs<P> | undefined): ReadonlyArray<readonly [string, TemplateNode]> {
  const given = (args ?? {}) as Record<string, TemplateNode | undefined>;
  for (const key of Object.keys(given)) {
    if (!def.params.some((p) => p.name === key)) throw new Error(`fragment ${def.name}: unknown argument "${key}"`);
  }
  return def.params.filter((p) => given[p.name] !== undefined).map((p) => [p.name, given[p.name]!] as const);
}

/**
 * A value fragment: a map, list or scalar written once. Returns the function that uses it (a map value or
 * list item, not an operand of an expression), e.g.
 *   const labels = fragment<{ component: string }>({ name: 'cinder-csi.labels', description: '...', params: ['component'] },
 *     (p) => ({ 'app.kubernetes.io/component': p.component }));
 *   metadata: { labels: labels({ component: 'controller' }) }
 */
export function fragment<P = Record<never, never>>(
  options: FragmentOptions<P>, body: (params: FragmentParams<P>) => TemplateNode,
): (args: FragmentArgs<P>) => Included {
  const def = definition(options, 'value', body);
  return (args) => makeNode({ op: 'include', fragment: def, args: argsOf(def, args) }) as unknown as Included;
}

/** A line of a text fragment, or lines present only when a condition holds (`textWhen`). */
export type TextLine = StringNode | When<TextLine | readonly TextLine[]>;

/**
 * A text fragment: lines of text (each followed by a newline), e.g. an INI file. Helm writes it as readable
 * multi-line text in the `define`; using it gives a string expression (`include` returns the text).
 * A line must not be empty nor start with whitespace (Helm's `-}}` after a condition would trim it).
 */
export function textFragment<P = Record<never, never>>(
  options: FragmentOptions<P>, lines: (params: FragmentParams<P>) => readonly TextLine[],
): (args: FragmentArgs<P>) => Expr<string> {
  const def = definition(options, 'text', lines as (params: FragmentParams<P>) => TemplateNode);
  return (args) => makeNode<string>({ op: 'include', fragment: def, args: argsOf(def, args) });
}

/** Lines of a text fragment present only when `cond` is truthy. */
export function textWhen(cond: Condition, ...lines: TextLine[]): When<readonly TextLine[]> {
  return makeNode({ op: 'when', cond, node: lines }) as unknown as When<readonly TextLine[]>;
}
