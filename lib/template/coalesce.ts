import { cloneJson, isPlainMap } from './go-semantics';
import { JsonObject, JsonValue } from './model';
import { getOwn, hasOwn, setOwn } from './own-keys';

/**
 * Helm's values coalescing (chartutil.CoalesceValues): user maps are deep-merged over the chart
 * defaults, lists and scalars replace the default whole, and a user `null` deletes the default key.
 * Inputs are not modified.
 */
export function coalesceValues(defaults: JsonObject, user: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(user)) {
    if (value !== null || !hasOwn(defaults, key)) setOwn(out, key, cloneJson(value));
  }
  for (const [key, def] of Object.entries(defaults)) {
    if (!hasOwn(user, key)) {
      setOwn(out, key, cloneJson(def));
      continue;
    }
    const given = user[key];
    if (given === null) continue;
    if (isPlainMap(def) && isPlainMap(given)) setOwn(out, key, coalesceValues(def, given));
  }
  return out;
}

/**
 * How Helm combines several `-f` files (and `--set` maps) before coalescing: later files win, maps
 * merge recursively, everything else is replaced (a `null` is kept, so that it can delete a default).
 */
export function mergeValueFiles(...files: JsonObject[]): JsonObject {
  const out: JsonObject = {};
  for (const file of files) mergeInto(out, file);
  return out;
}

function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = getOwn(target, key);
    if (isPlainMap(value) && isPlainMap(existing)) {
      mergeInto(existing, value);
    } else {
      setOwn(target, key, cloneJson(value as JsonValue));
    }
  }
}
