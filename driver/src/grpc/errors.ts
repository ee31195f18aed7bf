import { status } from '@grpc/grpc-js';

/**
 * An error that a CSI call returns to its caller with a specific gRPC status code.
 * Everything else thrown by a handler becomes INTERNAL with a short message (never a stack trace).
 */
export class CsiError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'CsiError';
  }
}

/** INVALID_ARGUMENT naming the request field and what was expected of it. */
export function invalidArgument(field: string, expected: string): CsiError {
  return new CsiError(status.INVALID_ARGUMENT, `${field}: ${expected}`);
}

export function notFound(message: string): CsiError {
  return new CsiError(status.NOT_FOUND, message);
}

export function alreadyExists(message: string): CsiError {
  return new CsiError(status.ALREADY_EXISTS, message);
}

export function failedPrecondition(message: string): CsiError {
  return new CsiError(status.FAILED_PRECONDITION, message);
}

export function aborted(message: string): CsiError {
  return new CsiError(status.ABORTED, message);
}

/** ABORTED for a second call on a volume or name whose first call still runs (the spec's "operation pending"). */
export function operationPending(key: string): CsiError {
  return aborted(`an operation for ${key} is already in progress; retry later`);
}

export function resourceExhausted(message: string): CsiError {
  return new CsiError(status.RESOURCE_EXHAUSTED, message);
}

export function outOfRange(message: string): CsiError {
  return new CsiError(status.OUT_OF_RANGE, message);
}

export function unavailable(message: string): CsiError {
  return new CsiError(status.UNAVAILABLE, message);
}

export function deadlineExceeded(message: string): CsiError {
  return new CsiError(status.DEADLINE_EXCEEDED, message);
}

export function internal(message: string): CsiError {
  return new CsiError(status.INTERNAL, message);
}

export function unimplemented(message: string): CsiError {
  return new CsiError(status.UNIMPLEMENTED, message);
}
