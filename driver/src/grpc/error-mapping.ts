import { status } from '@grpc/grpc-js';
import { CsiError } from './errors';

export interface MappedError {
  readonly code: status;
  readonly message: string;
}

const MAX_MESSAGE = 300;

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
