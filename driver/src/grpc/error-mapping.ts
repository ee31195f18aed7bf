/**
 * The driver's one error mapping, in two steps. A service maps what its collaborators threw with toCsiError (the
 * OpenStack failure kinds to CSI codes); the server maps what a handler finally threw with mapError (a call's
 * abort, and anything unexpected). Both recognise a CsiError the same way (isCsiError).
 */

import { status } from '@grpc/grpc-js';
import { CsiError } from './errors';

export interface MappedError {
  readonly code: status;
  readonly message: string;
}

const MAX_MESSAGE = 300;

/**
 * Turns any failure into the gRPC status a CSI caller acts on. CloudError kinds map to the codes the CSI spec
 * gives them (a missing object is NOT_FOUND, quota is RESOURCE_EXHAUSTED, a busy object ABORTED so the CO retries,
 * an outage UNAVAILABLE); anything unknown is INTERNAL with a short message and no stack.
 */
export function toCsiError(error: unknown): CsiError {
  if (isCsiError(error)) {
    return error;
  }
  if (isCloudFailure(error)) {
    switch (error.kind) {
      case 'NotFound':
        return new CsiError(status.NOT_FOUND, error.message);
      case 'OverLimit':
        return new CsiError(status.RESOURCE_EXHAUSTED, error.message);
      case 'Conflict':
        return new CsiError(status.ABORTED, error.message);
      case 'BadRequest':
        // Cinder answers 400 for state conflicts ("status must be available") as well as for malformed input;
        // both mean the request cannot succeed as things stand.
        return new CsiError(status.FAILED_PRECONDITION, error.message);
      case 'Unauthorized':
        return new CsiError(status.UNAUTHENTICATED, error.message);
      case 'Forbidden':
        return new CsiError(status.PERMISSION_DENIED, error.message);
      case 'Timeout':
      case 'Network':
      case 'Unavailable':
        return new CsiError(status.UNAVAILABLE, error.message);
      case 'Configuration':
        return new CsiError(status.FAILED_PRECONDITION, `cloud configuration: ${error.message}`);
      default:
        return new CsiError(status.INTERNAL, error.message);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CsiError(status.INTERNAL, message.split('\n')[0] ?? 'internal error');
}

/**
 * Turns whatever a handler threw into the gRPC status the caller sees. CsiError keeps its code and message;
 * an error after the call's signal was aborted becomes DEADLINE_EXCEEDED or CANCELLED; everything else is
 * INTERNAL with the first line of the message only (never a stack trace).
 */
export function mapError(err: unknown, state: { aborted: boolean; deadlinePassed: boolean }): MappedError {
  if (isCsiError(err)) return { code: err.code, message: shorten(err.message) };
  if (state.aborted) {
    return state.deadlinePassed
      ? { code: status.DEADLINE_EXCEEDED, message: 'deadline exceeded before the operation finished' }
      : { code: status.CANCELLED, message: 'call cancelled' };
  }
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unexpected error';
  return { code: status.INTERNAL, message: `internal error: ${shorten(text)}` };
}

/**
 * A failure of the OpenStack client (cloud/errors CloudError), recognised by its shape as isCsiError recognises a
 * CsiError: the cloud client throws CsiErrors for aborted calls, so importing it here would make the two layers
 * import each other.
 */
interface CloudFailure extends Error {
  readonly name: 'CloudError';
  readonly kind: string;
}

function isCloudFailure(err: unknown): err is CloudFailure {
  return err instanceof Error && err.name === 'CloudError' && typeof (err as { kind?: unknown }).kind === 'string';
}

/** instanceof, or the same shape from another copy of the module (jest module registries, bundling). */
export function isCsiError(err: unknown): err is CsiError {
  if (err instanceof CsiError) return true;
  return (
    err instanceof Error &&
    err.name === 'CsiError' &&
    typeof (err as { code?: unknown }).code === 'number' &&
    Number.isInteger((err as unknown as { code: number }).code)
  );
}

function shorten(message: string): string {
  const firstLine = message.split('\n')[0].trim();
  return firstLine.length > MAX_MESSAGE ? `${firstLine.slice(0, MAX_MESSAGE)}…` : firstLine || 'error';
}
