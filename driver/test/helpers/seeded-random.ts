/**
 * A small seeded PRNG (mulberry32) for the fuzz and crash suites: the same seed gives the same sequence of
 * choices, so a failure is reproduced by re-running with the seed the suite printed.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: no items');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A new generator whose sequence depends only on this one's current state (for independent sub-streams). */
  fork(): SeededRandom {
    return new SeededRandom(this.int(0, 0xffffffff));
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
}

/**
 * The seed of a suite: the number in environment variable `name` when set (or a fresh random one for "random"),
 * else `fallback`, so CI runs are reproducible and a developer can explore other seeds.
 */
export function seedFromEnv(name: string, fallback: number): number {
  const given = process.env[name];
  if (given === undefined || given === '') return fallback;
  if (given === 'random') return Math.floor(Math.random() * 0xffffffff);
  const parsed = Number(given);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 0xffffffff) {
    throw new Error(`${name}: expected an integer 0..4294967295 or "random", got "${given}"`);
  }
  return parsed;
}
