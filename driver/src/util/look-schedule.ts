import type { BackoffOptions } from './backoff';
import type { DurationEstimate } from './expected-durations';

/**
 * When a wait looks at the object it awaits. Without an estimate of the operation's duration it polls on a growing
 * backoff (fast at first, then a fraction of its age, up to a cap). With one (expected duration E, relative spread s)
 * it looks rarely early, densely around the expected end, then backs off again when the estimate proved wrong:
 *   - early: at lo = E(1 - s/2), and before that only at lo/2, lo/4, ... while those are at least earlyLookMinMs
 *     (a long operation that ends far sooner than usual is still seen within about half its duration);
 *   - around the end: every max(minStepMs, sE) until E(1 + s) plus one step (so an operation as long as the
 *     recent ones is seen by the first or second look, at most one step after it ended);
 *   - late: every (factor - 1) x the overrun, between one step and poll.maxMs, jittered.
 */
export interface LookPolicy {
  /** The backoff without an estimate, and the cap and growth once past the expected end. */
  readonly poll: BackoffOptions;
  /** The densest spacing of looks around the expected end. */
  readonly minStepMs: number;
  /** Looks before the expected end are at lo/2^k, only while at least this far into the wait. */
  readonly earlyLookMinMs: number;
}

/**
 * How long a waiter that has waited `ageMs` without an estimate waits for its next look: initialMs while young,
 * then (factor - 1) x its age (so a lone waiter's looks form the usual geometric backoff), capped at maxMs;
 * "equal jitter" as in Backoff.
 */
export function pollInterval(ageMs: number, poll: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(poll.maxMs, Math.max(poll.initialMs, ageMs * (poll.factor - 1)));
  const jitter = Math.min(1, Math.max(0, poll.jitter));
  return Math.round(base * (1 - jitter) + base * jitter * random());
}

/** The spacing of looks around the expected end. */
export function denseStep(estimate: DurationEstimate, policy: LookPolicy): number {
  return Math.max(policy.minStepMs, estimate.spread * estimate.expectedMs);
}

/** The delay from now (a wait `ageMs` old, just looked at and not done) until its next look. */
export function nextLookDelay(
  ageMs: number,
  estimate: DurationEstimate | undefined,
  policy: LookPolicy,
  random: () => number = Math.random,
): number {
  if (!estimate) return pollInterval(ageMs, policy.poll, random);
  const { expectedMs: e, spread: s } = estimate;
  const step = denseStep(estimate, policy);
  const lo = e * (1 - s / 2);
  if (ageMs < lo) {
    let target = lo;
    while (target / 2 > ageMs && target / 2 >= policy.earlyLookMinMs) target /= 2;
    return Math.max(1, Math.round(target - ageMs));
  }
  if (ageMs < e * (1 + s) + step) return Math.round(step);
  const base = Math.min(policy.poll.maxMs, Math.max(step, (ageMs - e) * (policy.poll.factor - 1)));
  const jitter = Math.min(1, Math.max(0, policy.poll.jitter));
  return Math.max(1, Math.round(base * (1 - jitter) + base * jitter * random()));
}
