import { BackoffOptions } from './backoff';

/**
 * Decides, from the latest observation of one object (undefined when the listing no longer contains it), whether a
 * wait is over: return a value to finish, undefined to keep waiting, or throw to fail the wait.
 */
export type StatusCheck<T, R> = (item: T | undefined) => R | undefined;

/**
 * Looks up the current state of (at least) the objects with these ids, keyed by id; an id missing from the result
 * means the object no longer exists. One call per tick serves every waiter.
 */
export type StatusFetcher<T> = (ids: ReadonlySet<string>, signal: AbortSignal) => Promise<ReadonlyMap<string, T>>;

export interface StatusBatcherOptions {
  /**
   * How each waiter's polling interval grows with the time it has waited: initialMs at first (quick transitions
   * are seen soon), then about (factor - 1) x its age, up to maxMs; jittered.
   */
  readonly poll: BackoffOptions;
  /** A wait fails with the listing's error after this many listings in a row failed. */
  readonly maxConsecutiveFailures: number;
}

/**
 * The error a wait rejects with when its caller's signal fires (`deadline` tells a passed deadline from a
 * cancellation); the driver passes grpc/call-abort's, which answers DEADLINE_EXCEEDED or CANCELLED.
 */
export type AbortErrorFactory = (signal: AbortSignal, deadline: number | undefined, what: string) => Error;

export interface WaitOptions {
  readonly signal?: AbortSignal;
  readonly deadline?: number;
  /** Names the wait in the DEADLINE_EXCEEDED/CANCELLED error, e.g. "waiting for volume X to become available". */
  readonly what?: string;
}

export const DEFAULT_STATUS_POLL: StatusBatcherOptions = {
  poll: { initialMs: 100, maxMs: 2000, factor: 1.5, jitter: 0.3 },
  maxConsecutiveFailures: 5,
};

interface Waiter<T> {
  readonly id: string;
  readonly check: StatusCheck<T, unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** When the wait began: its polling interval follows its age, not how many listings it has seen. */
  readonly startedAt: number;
  /** Only listings started after the waiter joined may answer it: older ones may predate the change it awaits. */
  readonly firstUsableListing: number;
  dueAt: number;
  cleanup: () => void;
}

/**
 * How long a waiter that has waited `ageMs` waits for its next look: initialMs while young, then (factor - 1) x its
 * age (so a lone waiter's looks form the usual geometric backoff), capped at maxMs; "equal jitter" as in Backoff.
 */
export function pollInterval(ageMs: number, poll: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(poll.maxMs, Math.max(poll.initialMs, ageMs * (poll.factor - 1)));
  const jitter = Math.min(1, Math.max(0, poll.jitter));
  return Math.round(base * (1 - jitter) + base * jitter * random());
}

/**
 * Shares status look-ups between concurrent waits. Instead of one poll loop per waiting call, every waiter
 * registers here and one listing per tick answers all of them, so a thousand volumes being created at once cost
 * one GET per tick rather than a thousand. Each waiter keeps its own adaptive interval (fast at first, growing to
 * a cap); a tick happens when the earliest waiter is due.
 */
export class StatusBatcher<T> {
  private readonly waiters = new Set<Waiter<T>>();
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Infinity;
  private inFlight: AbortController | undefined;
  private listingsStarted = 0;
  private consecutiveFailures = 0;
  private listingCount = 0;

  constructor(
    private readonly fetch: StatusFetcher<T>,
    private readonly abortError: AbortErrorFactory,
    private readonly options: StatusBatcherOptions = DEFAULT_STATUS_POLL,
  ) {}

  /** How many listings this batcher has requested so far (observable for tests and metrics). */
  get listings(): number {
    return this.listingCount;
  }

  get pendingWaits(): number {
    return this.waiters.size;
  }

  /** Waits until check returns a value for the object with this id, or throws, or the signal fires. */
  wait<R>(id: string, check: StatusCheck<T, R>, options: WaitOptions = {}): Promise<R> {
    const { signal, deadline, what = `waiting for ${id}` } = options;
    if (signal?.aborted) {
      return Promise.reject(this.abortError(signal, deadline, what));
    }
    return new Promise<R>((resolve, reject) => {
      const startedAt = Date.now();
      const waiter: Waiter<T> = {
        id,
        check,
        resolve: resolve as (value: unknown) => void,
        reject,
        startedAt,
        firstUsableListing: this.listingsStarted + 1,
        dueAt: startedAt + pollInterval(0, this.options.poll),
        cleanup: () => undefined,
      };
      if (signal) {
        const onAbort = (): void => {
          this.remove(waiter);
          reject(this.abortError(signal, deadline, what));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiters.add(waiter);
      this.schedule();
    });
  }

  /** Fails every pending wait (used at shutdown). */
  close(error: Error = new Error('status batcher closed')): void {
    for (const waiter of [...this.waiters]) {
      this.remove(waiter);
      waiter.reject(error);
    }
  }

  private remove(waiter: Waiter<T>): void {
    waiter.cleanup();
    this.waiters.delete(waiter);
    if (this.waiters.size === 0) {
      this.clearTimer();
      this.inFlight?.abort();
    }
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = undefined;
    this.timerDueAt = Infinity;
  }

  private schedule(): void {
    if (this.inFlight || this.waiters.size === 0) {
      return;
    }
    let earliest = Infinity;
    for (const waiter of this.waiters) {
      earliest = Math.min(earliest, waiter.dueAt);
    }
    if (earliest >= this.timerDueAt) {
      return;
    }
    this.clearTimer();
    this.timerDueAt = earliest;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = Infinity;
      void this.tick();
    }, Math.max(0, earliest - Date.now()));
  }

  private async tick(): Promise<void> {
    const listing = ++this.listingsStarted;
    const controller = new AbortController();
    this.inFlight = controller;
    this.listingCount++;
    let result: ReadonlyMap<string, T> | undefined;
    let failure: unknown;
    try {
      result = await this.fetch(new Set([...this.waiters].map((waiter) => waiter.id)), controller.signal);
    } catch (error) {
      failure = error;
    } finally {
      this.inFlight = undefined;
    }
    if (controller.signal.aborted) {
      // Every waiter left while the listing ran; a new waiter (if any) needs a fresh listing anyway.
      this.schedule();
      return;
    }
    const now = Date.now();
    const eligible = [...this.waiters].filter((waiter) => waiter.firstUsableListing <= listing);
    if (result === undefined) {
      this.consecutiveFailures++;
      const giveUp = this.consecutiveFailures >= this.options.maxConsecutiveFailures;
      for (const waiter of eligible) {
        if (giveUp) {
          this.remove(waiter);
          waiter.reject(failure);
        } else {
          waiter.dueAt = now + pollInterval(now - waiter.startedAt, this.options.poll);
        }
      }
      if (giveUp) {
        this.consecutiveFailures = 0;
      }
      this.schedule();
      return;
    }
    this.consecutiveFailures = 0;
    for (const waiter of eligible) {
      let outcome: unknown;
      try {
        outcome = waiter.check(result.get(waiter.id));
      } catch (error) {
        this.remove(waiter);
        waiter.reject(error);
        continue;
      }
      if (outcome !== undefined) {
        this.remove(waiter);
        waiter.resolve(outcome);
      } else {
        // Observed just now, whoever's turn the tick was: its next look is one interval from now. So waiters that
        // joined at different moments fall into step and share ticks; keeping a schedule per waiter would tick at
        // the union of all schedules (N staggered waiters, N listings per interval). The interval follows the
        // waiter's age, so the extra observations it gets from others' ticks do not slow its own polling down.
        waiter.dueAt = now + pollInterval(now - waiter.startedAt, this.options.poll);
      }
    }
    this.schedule();
  }
}
