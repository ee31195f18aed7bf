import { status } from '@grpc/grpc-js';
import { CsiError } from '../grpc/errors';
import { CloudError } from '../cloud/errors';

/**
 * Turns any failure into the gRPC status a CSI caller acts on. CloudError kinds map to the codes the CSI spec
 * gives them (a missing object is NOT_FOUND, quota is RESOURCE_EXHAUSTED, a busy object ABORTED so the CO retries,
 * an outage UNAVAILABLE); anything unknown is INTERNAL with a short message and no stack.
 */
export function toCsiError(error: unknown): CsiError {
  if (error instanceof CsiError) {
    return error;
  }
  if (error instanceof CloudError) {
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
