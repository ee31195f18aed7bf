import type { CallContext } from '../grpc/call-context';
import { sleep } from '../grpc/call-abort';
import { Backoff } from '../util/backoff';
import type { ControllerDeps } from './deps';

/**
 * Cinder has no idempotency keys: a create request that timed out or lost its connection may still be carried
 * out later. Resending it at once would make a second volume or snapshot (an orphan). So such a name is marked
 * "in doubt", and the next attempt for it first looks for the object that request may still produce, for up to
 * createDoubtMs, before sending a new request.
 */
export function doubtKey(kind: 'volume' | 'snapshot', name: string): string {
  return `${kind}:${name}`;
}

export function markInDoubt(deps: ControllerDeps, key: string): void {
  deps.createsInDoubt.set(key, Date.now());
}

export function clearDoubt(deps: ControllerDeps, key: string): void {
  deps.createsInDoubt.delete(key);
}

export function isInDoubt(deps: ControllerDeps, key: string): boolean {
  return deps.createsInDoubt.has(key);
}

/**
 * Polls `find` until it returns the object or the doubt window closes (then a new request is safe and the mark
 * is cleared). The call's own deadline or cancel ends the wait early; the CO retries and resumes waiting.
 */
export async function awaitDoubtfulCreate<T>(
  deps: ControllerDeps,
  key: string,
  find: () => Promise<T | undefined>,
  ctx: CallContext,
): Promise<T | undefined> {
  const since = deps.createsInDoubt.get(key) ?? 0;
  const backoff = new Backoff({ initialMs: 100, maxMs: 2000, factor: 1.5, jitter: 0.3 });
  while (Date.now() < since + deps.options.createDoubtMs) {
    await sleep(backoff.next(), ctx.signal, ctx.deadline);
    const found = await find();
    if (found !== undefined) return found;
  }
  clearDoubt(deps, key);
  return undefined;
}
