export interface LatchingReadinessOptions {
  /** Bound for one check; default 10 s. */
  readonly timeoutMs?: number;
  /** How long one probe waits for a running check before answering "not yet"; default 1 s. */
  readonly probeWaitMs?: number;
  readonly onError?: (err: unknown) => void;
  /** Aborts a running check for good (driver shutdown). */
  readonly stop?: AbortSignal;
  /**
   * Start the first check at once instead of at the first probe, so that the cloud round trips (Keystone token,
   * catalog, one Cinder read) overlap the rest of start-up and the CO's first Probe finds them done or under way.
   * Default false.
   */
  readonly startNow?: boolean;
}

/**
 * Readiness that latches: false until `check` has succeeded once, true forever after. A probe starts at most
 * one check at a time and waits for it only briefly, so a CO probing every few seconds (with short timeouts)
 * neither piles up requests against a slow cloud nor times out; nothing runs between probes (apart from the first
 * check when `startNow` is set).
 */
export function latchingReadiness(check: (signal: AbortSignal) => Promise<void>, options: LatchingReadinessOptions = {}): () => Promise<boolean> {
  let ready = false;
  let running: Promise<void> | undefined;
  const start = (): Promise<void> => {
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
    return running;
  };
  if (options.startNow && !options.stop?.aborted) void start();
  return async () => {
    if (ready) return true;
    if (options.stop?.aborted) return false;
    const checking = start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([checking, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.probeWaitMs ?? 1000)))]);
    clearTimeout(timer);
    return ready;
  };
}
