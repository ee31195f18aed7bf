/**
 * Jittered exponential backoff. Jitter spreads concurrent retries so that many callers that failed together do not
 * hit the cloud together again ("equal jitter": half the delay is fixed, half random, so a delay never collapses
 * to zero and still grows steadily).
 */
export interface BackoffOptions {
  /** First delay in milliseconds. */
  readonly initialMs: number;
  /** Upper bound of any single delay in milliseconds. */
  readonly maxMs: number;
  /** Growth factor per step (>1). */
  readonly factor: number;
  /** Randomised fraction of each delay, 0 (none) to 1 (fully random). */
  readonly jitter: number;
}

export const DEFAULT_RETRY_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 5000, factor: 2, jitter: 0.5 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {
    if (options.initialMs <= 0 || options.maxMs < options.initialMs || options.factor < 1) {
      throw new Error('backoff options: expected 0 < initialMs <= maxMs and factor >= 1');
    }
  }

  /** The next delay in milliseconds; each call grows the base delay up to the cap. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * Math.pow(this.options.factor, this.attempt));
    this.attempt++;
    const jitter = Math.min(1, Math.max(0, this.options.jitter));
    return Math.round(base * (1 - jitter) + base * jitter * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
