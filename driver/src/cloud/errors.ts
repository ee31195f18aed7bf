/**
 * Typed OpenStack failures. The controller maps each kind to a CSI status code. Messages carry OpenStack's own
 * explanation and the request id, never a token, password or request body.
 */
export type CloudErrorKind =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'OverLimit'
  | 'Unavailable'
  | 'Timeout'
  | 'Network'
  | 'Configuration'
  | 'Unexpected';

export class CloudError extends Error {
  constructor(
    readonly kind: CloudErrorKind,
    message: string,
    /** HTTP status when OpenStack answered; undefined for network failures. */
    readonly httpStatus?: number,
    /** OpenStack's x-openstack-request-id (or x-compute-request-id) to correlate with service logs. */
    readonly requestId?: string,
    /**
     * True when the request may have been carried out although no success came back (timeout, connection lost
     * after sending, gateway error): a non-idempotent request must then be checked for, not blindly resent.
     */
    readonly outcomeUnknown: boolean = false,
  ) {
    super(message);
    this.name = 'CloudError';
  }
}

export function isCloudError(error: unknown, kind?: CloudErrorKind): error is CloudError {
  return error instanceof CloudError && (kind === undefined || error.kind === kind);
}

export function kindForStatus(status: number): CloudErrorKind {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 413:
    case 429:
      return 'OverLimit';
    case 408:
    case 504:
      return 'Timeout';
    default:
      return status >= 500 ? 'Unavailable' : 'Unexpected';
  }
}

/**
 * OpenStack error bodies look like {"itemNotFound": {"message": "...", "code": 404}} (Cinder, Nova) or
 * {"error": {"message": "...", "code": 401, "title": "..."}} (Keystone); take the first message found.
 */
export function openStackMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    return trimmed.length > 0 && trimmed.length < 500 ? trimmed : undefined;
  }
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  for (const value of Object.values(body as Record<string, unknown>)) {
    if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') {
      return (value as { message: string }).message;
    }
  }
  const direct = (body as { message?: unknown }).message;
  return typeof direct === 'string' ? direct : undefined;
}
