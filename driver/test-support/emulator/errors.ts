/**
 * OpenStack error bodies. Cinder and Nova share the same fault wrapper (webob faults named by status),
 * Keystone (and keystonemiddleware in front of Cinder/Nova) uses {"error": {code, title, message}}.
 */

const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

const KEYSTONE_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export type ErrorStyle = 'fault' | 'keystone';

/** An error that becomes an OpenStack-shaped HTTP response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly style: ErrorStyle = 'fault',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function faultBody(status: number, message: string, retryAfter?: string): Record<string, unknown> {
  const name = FAULT_NAMES[status] ?? 'computeFault';
  const inner: Record<string, unknown> = { code: status, message };
  if (retryAfter !== undefined && (status === 413 || status === 429)) inner.retryAfter = retryAfter;
  return { [name]: inner };
}

export function keystoneBody(status: number, message: string): Record<string, unknown> {
  return { error: { code: status, message, title: KEYSTONE_TITLES[status] ?? 'Error' } };
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (message: string): ApiError => new ApiError(404, message);
export const conflict = (message: string): ApiError => new ApiError(409, message);
export const overLimit = (message: string): ApiError => new ApiError(413, message);
