import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { Backoff, BackoffOptions, DEFAULT_RETRY_BACKOFF } from '../util/backoff';
import { HttpCallError, type HttpReply, httpCall } from '../util/http-call';
import { abortError, sleep } from '../grpc/call-abort';
import { CloudError, kindForStatus, openStackMessage } from './errors';
import { ProxyHttpAgent, ProxyHttpsAgent, type ProxySettings } from './proxy';

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
  private readonly timeoutMs: number;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
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
    const httpsOptions = { keepAlive: true, maxSockets: 64, ca, rejectUnauthorized: options.tlsInsecure !== true };
    const proxy = options.proxy?.httpProxy || options.proxy?.httpsProxy ? options.proxy : undefined;
    this.httpAgent = proxy ? new ProxyHttpAgent(proxy, { keepAlive: true, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
    this.httpsAgent = proxy ? new ProxyHttpsAgent(proxy, httpsOptions) : new https.Agent(httpsOptions);
    this.timeoutMs = options.requestTimeoutMs ?? 30000;
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
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async attempt<T>(request: HttpRequest): Promise<{ response?: HttpResponse<T>; error?: CloudError }> {
    if (request.signal?.aborted) {
      throw abortError(request.signal, request.deadline, request.operation);
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...(request.headers ?? {}) };
    let body: string | undefined;
    if (typeof request.body === 'string') {
      body = request.body;
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    let reply: HttpReply;
    try {
      reply = await httpCall({
        method: request.method,
        url: request.url,
        headers,
        body,
        timeoutMs: this.timeoutMs,
        signal: request.signal,
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
      });
    } catch (error) {
      if (request.signal?.aborted) {
        throw abortError(request.signal, request.deadline, request.operation);
      }
      return { error: this.networkError(request, error) };
    }
    return { response: { status: reply.status, headers: reply.headers, data: parseBody(reply.text) as T } };
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
    const code = error instanceof HttpCallError ? error.code : undefined;
    const timedOut = code === 'ETIMEDOUT';
    const detail = code ?? String(error);
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

/** A JSON body as its value; any other body (an HTML error page, '' for none) as the text itself. */
function parseBody(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
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
