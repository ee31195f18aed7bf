/**
 * What this process has learnt about how long each kind of cloud operation takes, so that a wait can look when the
 * operation is expected to finish instead of polling on a fixed backoff.
 *
 * Observations are kept per key, from the most specific (e.g. "create|ssd|8-16GiB") to the least ("create"); an
 * estimate comes from the most specific key that has observations, so a new volume type starts from what the
 * operation kind in general took. The estimate is the median of the last few observations; its spread is how far
 * the recent observations lie apart, relative to it.
 */
export interface DurationEstimate {
  /** The expected duration from the start of the wait to the operation's end, in milliseconds. */
  readonly expectedMs: number;
  /** Relative half-width of the recent observations around expectedMs (0.02 = within ±2 %). */
  readonly spread: number;
  /** How many observations the estimate rests on. */
  readonly samples: number;
}

export interface ExpectedDurationsOptions {
  /** How many recent observations each key keeps. */
  readonly window: number;
  /** Lower and upper bounds of an estimate's spread. */
  readonly minSpread: number;
  readonly maxSpread: number;
  /**
   * When the first look already found the operation done, it ended at some unknown moment before: the observation
   * is recorded this fraction earlier than the look, so the next wait looks a little sooner and finds out.
   */
  readonly censoredShrink: number;
}

export const DEFAULT_EXPECTED_DURATIONS: ExpectedDurationsOptions = { window: 9, minSpread: 0.02, maxSpread: 0.5, censoredShrink: 0.05 };

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export class ExpectedDurations {
  private readonly samples = new Map<string, number[]>();

  constructor(private readonly options: ExpectedDurationsOptions = DEFAULT_EXPECTED_DURATIONS) {}

  /** The estimate for the most specific of these keys (most specific first) that has observations. */
  estimate(keys: readonly string[]): DurationEstimate | undefined {
    for (const key of keys) {
      const recent = this.samples.get(key);
      if (!recent || recent.length === 0) continue;
      const sorted = [...recent].sort((a, b) => a - b);
      const expectedMs = median(sorted);
      const low = sorted[Math.floor((sorted.length - 1) * 0.2)] as number;
      const high = sorted[Math.ceil((sorted.length - 1) * 0.8)] as number;
      const raw = expectedMs > 0 ? (high - low) / (2 * expectedMs) : this.options.maxSpread;
      // One or two observations say little about the spread: assume a wide one until there are more.
      const floor = sorted.length < 3 ? Math.max(this.options.minSpread, 0.1) : this.options.minSpread;
      const spread = Math.min(this.options.maxSpread, Math.max(floor, raw));
      return { expectedMs, spread, samples: sorted.length };
    }
    return undefined;
  }

  /**
   * Records one finished operation under every key: it was last seen not done at `notDoneMs` (undefined: the first
   * look found it done) and first seen done at `doneMs`, both measured from the start of the wait.
   */
  observe(keys: readonly string[], notDoneMs: number | undefined, doneMs: number): void {
    if (!(doneMs >= 0)) return;
    const sample = notDoneMs === undefined ? doneMs * (1 - this.options.censoredShrink) : (Math.min(notDoneMs, doneMs) + doneMs) / 2;
    for (const key of keys) {
      const recent = this.samples.get(key) ?? [];
      recent.push(sample);
      if (recent.length > this.options.window) recent.shift();
      this.samples.set(key, recent);
    }
  }
}

/** Size buckets by powers of four (≤1, ≤4, ≤16, ≤64, ≤256, ≤1024 GiB, more): copy and zeroing scale with size. */
export function sizeBucket(sizeGiB: number): string {
  let limit = 1;
  while (limit < sizeGiB && limit < 1024) limit *= 4;
  return sizeGiB > 1024 ? '>1024GiB' : `<=${limit}GiB`;
}

/** The keys of one operation, most specific first: kind, then kind and volume type, then kind, type and size. */
export function durationKeys(kind: string, volumeType?: string, sizeGiB?: number): string[] {
  const keys = [kind];
  if (volumeType !== undefined) {
    keys.unshift(`${kind}|${volumeType}`);
    if (sizeGiB !== undefined) keys.unshift(`${kind}|${volumeType}|${sizeBucket(sizeGiB)}`);
  }
  return keys;
}
