import { describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { CloudError, type CloudErrorKind } from '../../src/cloud/errors';
import { toCsiError } from '../../src/grpc/error-mapping';
import { CsiError } from '../../src/grpc/errors';

describe('OpenStack failures become the gRPC codes a CO acts on', () => {
  test.each<[CloudErrorKind, status]>([
    ['NotFound', status.NOT_FOUND],
    ['OverLimit', status.RESOURCE_EXHAUSTED],
    ['Conflict', status.ABORTED],
    ['BadRequest', status.FAILED_PRECONDITION],
    ['Unauthorized', status.UNAUTHENTICATED],
    ['Forbidden', status.PERMISSION_DENIED],
    ['Timeout', status.UNAVAILABLE],
    ['Network', status.UNAVAILABLE],
    ['Unavailable', status.UNAVAILABLE],
    ['Configuration', status.FAILED_PRECONDITION],
    ['Unexpected', status.INTERNAL],
  ])('%s → code %d, keeping OpenStack\'s message', (kind, code) => {
    const mapped = toCsiError(new CloudError(kind, `create volume x: what OpenStack said (HTTP 4xx)`));
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain('what OpenStack said');
  });

  test('a CsiError passes through unchanged; anything else is INTERNAL with its first line only (no stack)', () => {
    const own = new CsiError(status.ABORTED, 'busy');
    expect(toCsiError(own)).toBe(own);
    const other = toCsiError(new Error('boom\n    at secretFunction (file.ts:1:1)'));
    expect(other).toMatchObject({ code: status.INTERNAL, message: 'boom' });
  });
});
