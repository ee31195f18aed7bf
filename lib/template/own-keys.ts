/*
 * Maps read from values files are plain objects whose keys are anything a user writes, including names that
 * JavaScript objects inherit (`constructor`, `toString`) or treat specially (`__proto__`, whose assignment sets
 * the prototype instead of a key). These helpers read and write only own keys, so such a key is an ordinary key.
 */

/** True iff `key` is an own key of `map` (never an inherited one such as `constructor`). */
export function hasOwn(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** The value of an own key, else undefined. */
export function getOwn<T>(map: { readonly [key: string]: T }, key: string): T | undefined {
  return hasOwn(map, key) ? map[key] : undefined;
}

/** Sets `map[key] = value` as an own, enumerable key, also for `__proto__`. */
export function setOwn<T>(map: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
