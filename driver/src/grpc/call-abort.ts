import { status } from '@grpc/grpc-js';
import { CsiError } from './errors';

/**
 * The error a wait or request reports when its caller's signal fired: DEADLINE_EXCEEDED when the call's deadline
 * has passed (or the signal says so), CANCELLED otherwise. Callers of the CSI API rely on telling the two apart.
 */
export function abortError(signal: AbortSignal, deadline?: number, what = 'operation'): CsiError {
  const reason: unknown = signal.reason;
  if (reason instanceof CsiError) {
    return reason;
  }
  const timedOut =
    (deadline !== undefined && Date.now() >= deadline) ||
    (reason instanceof Error && (reason.name === 'TimeoutError' || /deadline/i.test(reason.message)));
  return timedOut
    ? new CsiError(status.DEADLINE_EXCEEDED, `${what} did not finish before the call's deadline`)
    : new CsiError(status.CANCELLED, `${what} was cancelled by the caller`);
}

/** Resolves after `ms`, or rejects with abortError(...) as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal, deadline?: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal, deadline));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal, deadline));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Throws abortError(...) when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, deadline?: number, what?: string): void {
  if (signal?.aborted) {
    throw abortError(signal, deadline, what);
  }
}
