import { Condition } from './builders';
import { evaluateNode, TemplateInputs } from './evaluate';
import { goJson, isPlainMap, truthy } from './go-semantics';
import { goCond, goExpr, goString, HelmNames } from './helm-expr';
import { wrapLongLines } from './helm-emit';
import { Expr, isSpecNode, JsonValue, LoopVar, specOf, TemplateNode } from './model';
import { makeRef } from './ref';

/*
 * Assertions: rules over the chart inputs that a JSON Schema cannot express (one default among many,
 * unique names, a key required when another is set). Like object templates they are written once and
 * interpreted by two backends: `checkAssertions` (the constructs: every failed rule's message) and
 * `assertionsToHelm` (a chart template whose `fail` stops the render at the first failed rule with the
 * same message). Messages are `<key>: <what was expected>`; they never carry a value of the inputs except
 * the `label` field of `atMostOneTrue`, which therefore must not look like a secret.
 */

export type Assertion =
  | { readonly kind: 'failWhen'; readonly cond: Condition; readonly key: string; readonly expected: string }
  | { readonly kind: 'atMostOne'; readonly list: Expr<readonly unknown[]>; readonly key: string; readonly flag: string; readonly label: string }
  | { readonly kind: 'unique'; readonly list: Expr<readonly unknown[]>; readonly key: string; readonly field: string }
  | {
    readonly kind: 'memberOf'; readonly list: Expr<readonly unknown[]>; readonly key: string; readonly field: string;
    readonly among: Expr<readonly unknown[]>; readonly amongKey: string;
  };

type ListRef<T> = Expr<readonly T[]> | Expr<T[]>;
/** Keys of T whose values are strings / booleans (optional ones included). */
type KeysOf<T, V> = { [K in keyof T]-?: NonNullable<T[K]> extends V ? K : never }[keyof T] & string;

/** Fails with `<key>: <expected>` when `cond` is truthy (Go truthiness). */
export function failWhen(cond: Condition, key: string, expected: string): Assertion {
  if (!KEY.test(key)) throw new Error(`failWhen: key "${key}" must be a dotted values key`);
  if (expected.trim() === '') throw new Error(`failWhen(${key}): expected a description of what was expected`);
  return Object.freeze({ kind: 'failWhen', cond, key, expected });
}

/**
 * At most one element of a values list may have a truthy `flag`. The message names the offending
 * elements by their `label` field (e.g. `name`), so `label` must never be a secret.
 */
export function atMostOneTrue<T>(list: ListRef<T>, flag: KeysOf<T, boolean>, label: KeysOf<T, string>): Assertion {
  if (SECRET_LIKE.test(label)) throw new Error(`atMostOneTrue: the label field "${label}" looks like a secret; messages must not carry secrets`);
  return Object.freeze({ kind: 'atMostOne', list: list as Expr<readonly unknown[]>, key: listKey(list, 'atMostOneTrue'), flag, label });
}

/** No two elements of a values list may have the same `field` (compared as JSON). The message gives indices, not values. */
export function uniqueField<T>(list: ListRef<T>, field: keyof T & string): Assertion {
  return Object.freeze({ kind: 'unique', list: list as Expr<readonly unknown[]>, key: listKey(list, 'uniqueField'), field });
}

/**
 * Every element of a values list whose `field` is set (non-empty) names an element of the values list `among`
 * (e.g. a class's `cloud` one of `cloudConfig.cloudNames`). The message gives the index, not the value.
 */
export function memberOf<T>(list: ListRef<T>, field: KeysOf<T, string>, among: ListRef<string>): Assertion {
  return Object.freeze({
    kind: 'memberOf', list: list as Expr<readonly unknown[]>, key: listKey(list, 'memberOf'), field,
    among: among as Expr<readonly unknown[]>, amongKey: listKey(among, 'memberOf'),
  });
}

/** Backend 1: the message of every failed assertion, in list order (empty: all hold). */
export function checkAssertions(assertions: readonly Assertion[], inputs: TemplateInputs): string[] {
  const problems: string[] = [];
  for (const a of assertions) {
    switch (a.kind) {
      case 'failWhen':
        if (truthy(evaluateNode(a.cond as TemplateNode, inputs))) problems.push(`${a.key}: ${a.expected}`);
        break;
      case 'atMostOne': {
        const flagged = elements(a.list, inputs).filter((item) => truthy(field(item, a.flag)));
        if (flagged.length > 1) {
          const labels = flagged.map((item) => labelText(field(item, a.label), a.key, a.label));
          problems.push(atMostOneMessage(a.key, a.flag, [String(flagged.length), labels.join(', ')]));
        }
        break;
      }
      case 'unique': {
        const first = new Map<string, number>();
        elements(a.list, inputs).forEach((item, i) => {
          const id = goJson(field(item, a.field));
          const j = first.get(id);
          if (j === undefined) first.set(id, i);
          else problems.push(uniqueMessage(a.key, a.field, [String(i), String(j)]));
        });
        break;
      }
      case 'memberOf': {
        const among = elements(a.among, inputs).map(goJson);
        elements(a.list, inputs).forEach((item, i) => {
          const value = field(item, a.field);
          if (truthy(value) && !among.includes(goJson(value))) problems.push(memberOfMessage(a.key, a.field, a.amongKey, String(i)));
        });
        break;
      }
    }
  }
  return problems;
}

/**
 * Backend 2: Helm template text that renders nothing and calls `fail` at the first failed assertion
 * (Helm reports only that one). Meant as a whole chart template file, e.g. templates/validate.yaml.
 */
export function assertionsToHelm(assertions: readonly Assertion[], header: string): string {
  const names = new HelmNames();
  const lines = [`{{- /* ${header.replace(/\*\//g, '* /')} */ -}}`];
  lines.push(...names.shorten(assertions.map((a) => (a.kind === 'failWhen' ? a.cond as TemplateNode : false))));
  assertions.forEach((a, n) => {
    const where = `assertion ${n + 1} (${a.key})`;
    switch (a.kind) {
      case 'failWhen':
        lines.push(`{{- if ${goCond(a.cond as TemplateNode, names, where)} }}`, `  {{- fail ${goText(`${a.key}: ${a.expected}`)} }}`, '{{- end }}');
        break;
      case 'atMostOne': {
        const item = new LoopVar('item');
        const itemVar = names.bind(item);
        const flagged = names.acquire('flagged');
        const flag = goExpr(makeRef({ kind: 'loop', variable: item }, [a.flag]), names, where);
        const label = goExpr(makeRef({ kind: 'loop', variable: item }, [a.label]), names, where);
        lines.push(
          `{{- ${flagged} := list }}`,
          `{{- range ${itemVar} := ${goExpr(a.list as TemplateNode, names, where)} }}{{- if ${flag} }}{{- ${flagged} = append ${flagged} ${label} }}{{- end }}{{- end }}`,
          `{{- if gt (len ${flagged}) 1 }}{{- fail (printf ${goString(atMostOneMessage(printfText(a.key), printfText(a.flag), ['%d', '%s']))} (len ${flagged}) (join ", " ${flagged})) }}{{- end }}`,
        );
        // Range variables end with their range: the next rule reuses `$item` (top-level ones stay numbered).
        names.unbind(item);
        break;
      }
      case 'unique': {
        const item = new LoopVar('item');
        const itemVar = names.bind(item);
        const index = names.acquire('i');
        const seen = names.acquire('seen');
        const id = names.acquire('id');
        const value = goExpr(makeRef({ kind: 'loop', variable: item }, [a.field]), names, where);
        lines.push(
          `{{- ${seen} := dict }}`,
          `{{- range ${index}, ${itemVar} := ${goExpr(a.list as TemplateNode, names, where)} }}`,
          `{{- ${id} := toJson ${value} }}`,
          `{{- if hasKey ${seen} ${id} }}{{- fail (printf ${goString(uniqueMessage(printfText(a.key), printfText(a.field), ['%d', '%d']))} ${index} (get ${seen} ${id})) }}{{- end }}`,
          `{{- $_ := set ${seen} ${id} ${index} }}`,
          '{{- end }}',
        );
        names.unbind(item);
        names.release(index);
        names.release(id);
        break;
      }
      case 'memberOf': {
        const item = new LoopVar('item');
        const itemVar = names.bind(item);
        const index = names.acquire('i');
        const value = goExpr(makeRef({ kind: 'loop', variable: item }, [a.field]), names, where);
        const among = goExpr(a.among as TemplateNode, names, where);
        lines.push(
          `{{- range ${index}, ${itemVar} := ${goExpr(a.list as TemplateNode, names, where)} }}`,
          `{{- if and ${value} (not (has ${value} (default (list) ${among}))) }}`,
          `  {{- fail (printf ${goString(memberOfMessage(printfText(a.key), printfText(a.field), printfText(a.amongKey), '%d'))} ${index}) }}`,
          '{{- end }}',
          '{{- end }}',
        );
        names.unbind(item);
        names.release(index);
        break;
      }
    }
  });
  return `${wrapLongLines(lines.join('\n'))}\n`;
}

/** A Go string operand; a long message is `print` of pieces of at most 100 characters, so that no line gets too long. */
function goText(s: string): string {
  if (s.length <= 100) return goString(s);
  const pieces: string[] = [];
  let rest = s;
  while (rest.length > 100) {
    const cut = rest.lastIndexOf(' ', 100);
    const at = cut > 0 ? cut + 1 : 100;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  pieces.push(rest);
  return `(print ${pieces.map(goString).join(' ')})`;
}

/** The rule in words, for documentation (the chart README): `<key>: <what is expected>`. */
export function describeAssertion(a: Assertion): string {
  switch (a.kind) {
    case 'failWhen': return `\`${a.key}\`: ${a.expected}`;
    case 'atMostOne': return `\`${a.key}\`: at most one entry may have ${a.flag} true`;
    case 'unique': return `\`${a.key}[].${a.field}\`: must be unique`;
    case 'memberOf': return `\`${a.key}[].${a.field}\`: empty or one of \`${a.amongKey}\``;
  }
}

// The messages are built once for both backends; `parts` are the dynamic pieces (printf verbs for Helm).
function atMostOneMessage(key: string, flag: string, [count, labels]: readonly string[]): string {
  return `${key}: at most one entry may have ${flag} true (found ${count}: ${labels})`;
}

function memberOfMessage(key: string, field: string, amongKey: string, index: string): string {
  return `${key}[${index}].${field}: must be empty or one of ${amongKey}`;
}

function uniqueMessage(key: string, field: string, [index, other]: readonly string[]): string {
  return `${key}[${index}].${field}: must be unique (${key}[${other}] has the same ${field})`;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const SECRET_LIKE = /password|secret|token|credential/i;

/** The dotted values key of a list ref (messages name it); only `.Values` lists can be checked. */
function listKey(list: Expr<unknown>, builder: string): string {
  const spec = isSpecNode(list) ? specOf(list) : null;
  if (spec === null || spec.op !== 'ref' || spec.root.kind !== 'values' || spec.path.length === 0) {
    throw new Error(`${builder}: expected a ref to a list in the values (e.g. valuesRef<V>().storageClasses)`);
  }
  return spec.path.join('.');
}

function printfText(s: string): string {
  return s.replace(/%/g, '%%');
}

/** The list's elements as Helm's `range` sees them (nil: none). */
function elements(list: Expr<readonly unknown[]>, inputs: TemplateInputs): JsonValue[] {
  const value = evaluateNode(list as TemplateNode, inputs);
  if (value === null) return [];
  if (!Array.isArray(value)) throw new Error(`a values list is a ${typeof value}, expected a list`);
  return value;
}

/** `.field` of an element: nil when absent, as for Go's map access. */
function field(item: JsonValue, name: string): JsonValue {
  if (!isPlainMap(item)) throw new Error(`a list element is not a map (field ${name})`);
  return Object.prototype.hasOwnProperty.call(item, name) ? item[name] : null;
}

/** Labels are string fields (the builder's type says so), which sprig's `join` writes as they are. */
function labelText(value: JsonValue, key: string, label: string): string {
  if (typeof value !== 'string') throw new Error(`${key}: the label field ${label} of an element is not a string`);
  return value;
}
