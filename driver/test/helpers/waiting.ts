/**
 * Polls until `pick` returns a value, and returns it. No wall-clock assertion: jest's test timeout is the real
 * bound, `attempts` only turns a hang into a message naming what never happened.
 */
export async function until<T>(what: string, pick: () => T | undefined | Promise<T | undefined>, attempts = 2000, stepMs = 10): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await pick();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Resolves once `predicate` holds (polling as `until` does). */
export async function eventually(what: string, predicate: () => boolean | Promise<boolean>, attempts = 2000, stepMs = 10): Promise<void> {
  await until(what, async () => ((await predicate()) ? true : undefined), attempts, stepMs);
}
