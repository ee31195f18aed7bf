import type { Logger } from 'pino';

/**
 * What every CSI handler receives besides its request. The server builds one per call.
 */
export interface CallContext {
  /** Aborted when the client cancels the call or its deadline passes. Pass it to every wait and HTTP request. */
  readonly signal: AbortSignal;
  /** The call's deadline as epoch milliseconds, or undefined when the client set none. */
  readonly deadline: number | undefined;
  /** A child logger carrying the method name and a request id; never log secrets through it. */
  readonly log: Logger;
}
