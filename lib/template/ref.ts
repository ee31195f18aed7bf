import { LoopVar, NodeSpec, Ref, RefRoot, SPEC } from './model';

/**
 * Names that JavaScript tooling probes on arbitrary objects (promises, JSON, jest, React). A ref must
 * not answer them with another ref, or `await`/`JSON.stringify`/pretty-printers would misbehave; values
 * keys never use these names.
 */
const RESERVED_PROPS = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType', 'constructor', 'prototype', 'inspect']);

export function makeRef<T>(root: RefRoot, path: readonly string[]): Ref<T> {
  const spec: NodeSpec = { op: 'ref', root, path };
  const target = Object.freeze({ [SPEC]: spec });
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'symbol') return Reflect.get(t, prop);
      if (RESERVED_PROPS.has(prop)) return undefined;
      return makeRef(root, [...path, prop]);
    },
  }) as unknown as Ref<T>;
}

/** Ref to a loop variable (`each` element, `eachEntry` key/value, `forEach` element). */
export function makeLoopRef<T>(variable: LoopVar): Ref<T> {
  return makeRef<T>({ kind: 'loop', variable }, []);
}
