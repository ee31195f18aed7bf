import { DurationEstimate, ExpectedDurations } from './expected-durations';
import { denseStep, LookPolicy, nextLookDelay, pollInterval } from './look-schedule';

export { pollInterval } from './look-schedule';

/**
 * Decides, from the latest observation of one object (undefined when the look-up found it gone), whether a
 * wait is over: return a value to finish, undefined to keep waiting, or throw to fail the wait.
 */
export type StatusCheck<T, R> = (item: T | undefined) => R | undefined;

/**
 * Looks up the current state of (at least) the objects whose looks are due, keyed by id; a due id missing from the
 * result means the object no longer exists. `awaited` holds every id any wait is on: a look-up that learns about
 * more of them at no extra cost (one listing answering many) returns those too, and their waits are answered early.
 * One call per tick serves every waiter.
 */
export type StatusFetcher<T> = (due: ReadonlySet<string>, signal: AbortSignal, awaited: ReadonlySet<string>) => Promise<ReadonlyMap<string, T>>;

export interface StatusBatcherOptions extends Partial<Pick<LookPolicy, 'minStepMs' | 'earlyLookMinMs'>> {
  /**
   * Without a learnt duration, how each waiter's polling interval grows with the time it has waited: initialMs at
   * first (quick transitions are seen soon), then about (factor - 1) x its age, up to maxMs; jittered. Also the cap
   * and growth of the looks once an operation runs past its expected end.
   */
  readonly poll: LookPolicy['poll'];
  /** A wait fails with the look-up's error after this many look-ups in a row failed. */
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
  /**
   * The operation awaited, as expected-duration keys (most specific first, see expected-durations.ts): the wait
   * looks when operations like it ended before, and its own end teaches the next ones. Without keys: plain backoff.
   */
  readonly durationKeys?: readonly string[];
}

export const DEFAULT_STATUS_POLL: StatusBatcherOptions = {
  poll: { initialMs: 100, maxMs: 2000, factor: 1.5, jitter: 0.3 },
  maxConsecutiveFailures: 5,
  minStepMs: 10,
  earlyLookMinMs: 8000,
};

interface Waiter<T> {
  readonly id: string;
  readonly check: StatusCheck<T, unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** When the wait began: its looks follow its age, not how many look-ups it has seen. */
  readonly startedAt: number;
  /** Only look-ups started after the waiter joined may answer it: older ones may predate the change it awaits. */
  readonly firstUsableListing: number;
  readonly durationKeys: readonly string[];
  readonly estimate: DurationEstimate | undefined;
  /** The wait's age when a look last found the operation not done yet. */
  notDoneAgeMs: number | undefined;
  dueAt: number;
  cleanup: () => void;
}

/**
 * Shares status look-ups between concurrent waits. Instead of one poll loop per waiting call, every waiter
 * registers here and one look-up per tick answers all of them (the fetcher decides how: a GET per due object, or one
 * listing for many). Each waiter keeps its own schedule: when the duration of operations like its own is known
 * (learnt from the ends this batcher saw), it looks rarely before the expected end and densely around it; else it
 * polls on a growing backoff. A tick happens when the earliest waiter is due and takes along every waiter due
 * within one look step of it, so waiters expecting their ends at about the same moment share look-ups.
 */
export class StatusBatcher<T> {
  private readonly waiters = new Set<Waiter<T>>();
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Infinity;
  private inFlight: AbortController | undefined;
  private listingsStarted = 0;
  private consecutiveFailures = 0;
  private listingCount = 0;
  private readonly policy: LookPolicy;
  /** What this batcher learnt about how long the awaited operations take. */
  readonly durations: ExpectedDurations;

  constructor(
    private readonly fetch: StatusFetcher<T>,
    private readonly abortError: AbortErrorFactory,
    private readonly options: StatusBatcherOptions = DEFAULT_STATUS_POLL,
    durations: ExpectedDurations = new ExpectedDurations(),
  ) {
    this.policy = {
      poll: options.poll,
      minStepMs: options.minStepMs ?? DEFAULT_STATUS_POLL.minStepMs ?? 10,
      earlyLookMinMs: options.earlyLookMinMs ?? DEFAULT_STATUS_POLL.earlyLookMinMs ?? 8000,
    };
    this.durations = durations;
  }

  /** How many look-ups (ticks) this batcher has requested so far (observable for tests and metrics). */
  get listings(): number {
    return this.listingCount;
  }

  get pendingWaits(): number {
    return this.waiters.size;
  }

  /** Waits until check returns a value for the object with this id, or throws, or the signal fires. */
  wait<R>(id: string, check: StatusCheck<T, R>, options: WaitOptions = {}): Promise<R> {
    const { signal, deadline, what = `waiting for ${id}`, durationKeys = [] } = options;
    if (signal?.aborted) {
      return Promise.reject(this.abortError(signal, deadline, what));
    }
    return new Promise<R>((resolve, reject) => {
      const startedAt = Date.now();
      const estimate = durationKeys.length > 0 ? this.durations.estimate(durationKeys) : undefined;
      const waiter: Waiter<T> = {
        id,
        check,
        resolve: resolve as (value: unknown) => void,
        reject,
        startedAt,
        firstUsableListing: this.listingsStarted + 1,
        durationKeys,
        estimate,
        notDoneAgeMs: undefined,
        dueAt: startedAt + nextLookDelay(0, estimate, this.policy),
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

  /** How early a waiter may be looked at to share a tick with an earlier one: one look step (none while polling). */
  private slack(waiter: Waiter<T>): number {
    return waiter.estimate ? denseStep(waiter.estimate, this.policy) : 0;
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
      void this.tick(earliest);
    }, Math.max(0, earliest - Date.now()));
  }

  private nextDue(waiter: Waiter<T>, now: number): number {
    return now + nextLookDelay(now - waiter.startedAt, waiter.estimate, this.policy);
  }

  private async tick(scheduledFor: number): Promise<void> {
    const listing = ++this.listingsStarted;
    const controller = new AbortController();
    this.inFlight = controller;
    this.listingCount++;
    const startedAt = Date.now();
    // A timer may fire a little before Date.now() reaches its due time: the tick serves what it was set for.
    const dueBy = Math.max(startedAt, scheduledFor);
    const due = new Set<string>();
    const awaited = new Set<string>();
    for (const waiter of this.waiters) {
      awaited.add(waiter.id);
      if (waiter.dueAt <= dueBy + this.slack(waiter)) due.add(waiter.id);
    }
    if (due.size === 0) {
      // The waiter this tick was set for has left since: nothing to look at yet.
      this.inFlight = undefined;
      this.listingCount--;
      this.schedule();
      return;
    }
    let result: ReadonlyMap<string, T> | undefined;
    let failure: unknown;
    try {
      result = await this.fetch(due, controller.signal, awaited);
    } catch (error) {
      failure = error;
    } finally {
      this.inFlight = undefined;
    }
    if (controller.signal.aborted) {
      // Every waiter left while the look-up ran; a new waiter (if any) needs a fresh look-up anyway.
      this.schedule();
      return;
    }
    const now = Date.now();
    // The state the look-up saw is from some moment while it ran: take the middle as when it was observed.
    const observedAt = (startedAt + now) / 2;
    const eligible = [...this.waiters].filter((waiter) => waiter.firstUsableListing <= listing && (due.has(waiter.id) || result?.has(waiter.id)));
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
      const ageMs = Math.max(0, observedAt - waiter.startedAt);
      if (outcome !== undefined) {
        this.remove(waiter);
        if (waiter.durationKeys.length > 0) this.durations.observe(waiter.durationKeys, waiter.notDoneAgeMs, ageMs);
        waiter.resolve(outcome);
      } else {
        waiter.notDoneAgeMs = ageMs;
        // Observed just now, whoever's turn the tick was: its next look follows its own schedule from now. Waiters
        // that joined at different moments thereby fall into step and share ticks; the schedule follows the
        // waiter's age, so the extra observations it gets from others' ticks do not slow its own looks down.
        waiter.dueAt = this.nextDue(waiter, now);
      }
    }
    this.schedule();
  }
}
