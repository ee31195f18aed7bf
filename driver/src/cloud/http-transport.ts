import { readFileSync } from 'node:fs';
import axios, { AxiosInstance, AxiosResponse, isAxiosError } from 'axios';
import { Backoff, BackoffOptions, DEFAULT_RETRY_BACKOFF } from '../util/backoff';
import { abortError, sleep } from '../grpc/call-abort';
import { CloudError, kindForStatus, openStackMessage } from './errors';
import { EndpointAgents, type ProxySettings } from './proxy';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly deadline?: number;
  /**
   * Whether the request may be sent again after a failure that leaves its effect unknown (dropped connection,
   * timeout, 5xx). True for GET and for operations made idempotent by the caller; never for a plain POST create.
   */
  readonly retrySafe?: boolean;
  /** Names the operation in errors, e.g. "create volume". */
  readonly operation: string;
}

export interface HttpResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: T;
}

export interface HttpTransportOptions {
  readonly caFile?: string;
  readonly tlsInsecure?: boolean;
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** Longest Retry-After the client will honour before giving up; default 60 s. */
  readonly maxRetryAfterMs?: number;
  /** HTTP proxies (proxy.ts); none when absent. */
  readonly proxy?: ProxySettings;
}

/** Errors where the request provably never reached the server, so even a POST may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * Sends HTTP requests to OpenStack with keep-alive connections, TLS settings, per-request timeouts, cancellation
 * and retries (jittered exponential backoff for safe requests; Retry-After for rate limits). Every failure comes
 * out as a CloudError whose message never includes headers or bodies sent (tokens, passwords).
 */
export class HttpTransport {
  private readonly axios: AxiosInstance;
  private readonly agents: EndpointAgents;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly maxRetryAfterMs: number;

  constructor(options: HttpTransportOptions = {}) {
    let ca: Buffer | undefined;
    if (options.caFile !== undefined) {
      try {
        ca = readFileSync(options.caFile);
      } catch (error) {
        throw new CloudError('Configuration', `ca-file: cannot read ${options.caFile}: ${(error as Error).message}`);
      }
    }
    this.agents = new EndpointAgents(options.proxy, { ca, rejectUnauthorized: options.tlsInsecure !== true });
    this.axios = axios.create({
      timeout: options.requestTimeoutMs ?? 30000,
      validateStatus: () => true,
      maxRedirects: 0,
      // Node's http adapter: no global fetch, and our agents (keep-alive, TLS settings, proxies) in use.
      adapter: 'http',
      // Proxies come from our agents (proxy.ts), never from axios's own reading of the environment.
      proxy: false,
    });
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.backoff = options.backoff ?? DEFAULT_RETRY_BACKOFF;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60000;
  }

  async send<T>(request: HttpRequest): Promise<HttpResponse<T>> {
    const backoff = new Backoff(this.backoff);
    for (let attempt = 1; ; attempt++) {
      const { response, error } = await this.attempt<T>(request);
      const last = attempt >= this.maxAttempts;
      if (response && response.status < 400) {
        return response;
      }
      const failure = response ? this.errorFor(request, response) : (error as CloudError);
      if (last || !this.mayRetry(request, response, error)) {
        throw failure;
      }
      const retryAfter = response ? parseRetryAfter(response.headers['retry-after']) : undefined;
      if (retryAfter !== undefined && retryAfter > this.maxRetryAfterMs) {
        throw failure;
      }
      const delay = retryAfter ?? backoff.next();
      if (request.deadline !== undefined && Date.now() + delay >= request.deadline) {
        // Waiting would outlive the caller; report the real cause now rather than a bare deadline error later.
        throw failure;
      }
      await sleep(delay, request.signal, request.deadline);
    }
  }

  close(): void {
    this.agents.destroy();
  }

  private async attempt<T>(request: HttpRequest): Promise<{ response?: HttpResponse<T>; error?: CloudError }> {
    if (request.signal?.aborted) {
      throw abortError(request.signal, request.deadline, request.operation);
    }
    let raw: AxiosResponse<T>;
    try {
      // One agent for the URL: direct, or through the proxy of its scheme; axios takes the one of the URL's scheme.
      const agent = this.agents.for(new URL(request.url));
      raw = await this.axios.request<T>({
        method: request.method,
        url: request.url,
        data: request.body,
        headers: { Accept: 'application/json', ...(request.headers ?? {}) },
        signal: request.signal,
        httpAgent: agent,
        httpsAgent: agent,
      });
    } catch (error) {
      if (request.signal?.aborted) {
        throw abortError(request.signal, request.deadline, request.operation);
      }
      return { error: this.networkError(request, error) };
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw.headers ?? {})) {
      if (typeof value === 'string') headers[key.toLowerCase()] = value;
      else if (Array.isArray(value)) headers[key.toLowerCase()] = value.join(', ');
      else if (typeof value === 'number') headers[key.toLowerCase()] = String(value);
    }
    return { response: { status: raw.status, headers, data: raw.data } };
  }

  private mayRetry(request: HttpRequest, response: HttpResponse<unknown> | undefined, error: CloudError | undefined): boolean {
    if (response) {
      // A rate limit rejects the request before any work is done, so any method may be sent again.
      if (response.status === 429) return true;
      if (response.status === 413) return response.headers['retry-after'] !== undefined;
      return request.retrySafe === true && RETRYABLE_STATUS.has(response.status);
    }
    return error?.outcomeUnknown === false || request.retrySafe === true;
  }

  private networkError(request: HttpRequest, error: unknown): CloudError {
    const code = isAxiosError(error) ? error.code : undefined;
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    const detail = isAxiosError(error) ? (code ?? error.message) : String(error);
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    return new CloudError(
      timedOut ? 'Timeout' : 'Network',
      `${request.operation}: ${timedOut ? 'request timed out' : 'connection failed'} (${detail}) for ${request.method} ${redactUrl(request.url)}`,
      undefined,
      undefined,
      !notSent,
    );
  }

  private errorFor(request: HttpRequest, response: HttpResponse<unknown>): CloudError {
    const requestId = response.headers['x-openstack-request-id'] ?? response.headers['x-compute-request-id'];
    const message = openStackMessage(response.data) ?? `HTTP ${response.status}`;
    return new CloudError(
      kindForStatus(response.status),
      `${request.operation}: ${message} (HTTP ${response.status}${requestId ? `, request ${requestId}` : ''})`,
      response.status,
      requestId,
      // A gateway answering 502/504 may have passed the request on before giving up on it.
      response.status === 502 || response.status === 504,
    );
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 10.2.3); returns milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Query strings may carry names; they are not secret, but credentials in a URL (user:pass@) would be. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
