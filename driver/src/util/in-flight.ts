/**
 * Rejects a second concurrent operation on the same key (volume id, volume name, snapshot name...) with ABORTED,
 * as the CSI spec asks ("operation pending for volume"), instead of letting two calls race on one cloud object.
 * The container orchestrator retries ABORTED calls, so the caller sees the result of the first once it finishes.
 */
export class InFlightGuard {
  private readonly held = new Set<string>();

  /** @param busyError the error a call on a held key gets (the driver's: ABORTED, grpc/errors operationPending). */
  constructor(private readonly busyError: (key: string) => Error) {}

  /** Runs fn while holding every key; throws busyError(key) without running fn if any key is already held. */
  async run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const busy = unique.find((key) => this.held.has(key));
    if (busy !== undefined) {
      throw this.busyError(busy);
    }
    unique.forEach((key) => this.held.add(key));
    try {
      return await fn();
    } finally {
      unique.forEach((key) => this.held.delete(key));
    }
  }

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  get size(): number {
    return this.held.size;
  }
}
