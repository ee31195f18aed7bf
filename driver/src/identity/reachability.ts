export interface LatchingReadinessOptions {
  /** Bound for one check; default 10 s. */
  readonly timeoutMs?: number;
  /** How long one probe waits for a running check before answering "not yet"; default 1 s. */
  readonly probeWaitMs?: number;
  readonly onError?: (err: unknown) => void;
  /** Aborts a running check for good (driver shutdown). */
  readonly stop?: AbortSignal;
}

/**
 * Readiness that latches: false until `check` has succeeded once, true forever after. A probe starts at most
 * one check at a time and waits for it only briefly, so a CO probing every few seconds (with short timeouts)
 * neither piles up requests against a slow cloud nor times out; nothing runs between probes.
 */
export function latchingReadiness(check: (signal: AbortSignal) => Promise<void>, options: LatchingReadinessOptions = {}): () => Promise<boolean> {
  let ready = false;
  let running: Promise<void> | undefined;
  return async () => {
    if (ready) return true;
    if (options.stop?.aborted) return false;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    running ??= check(options.stop ? AbortSignal.any([timeout, options.stop]) : timeout)
      .then(
        () => {
          ready = true;
        },
        (err: unknown) => options.onError?.(err),
      )
      .finally(() => {
        running = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.probeWaitMs ?? 1000)))]);
    clearTimeout(timer);
    return ready;
  };
}
