import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP(S) exchange on Node's own client: what the driver needs from an HTTP library (a JSON or text body out,
 * status, headers and text back, a timeout, cancellation), without one. Redirects are not followed and no proxy
 * from the environment is used (OpenStack endpoints and the metadata service are reached directly).
 */
export interface HttpCall {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as is; the caller sets Content-Type. */
  readonly body?: string;
  /** Bound for the whole exchange, from sending to the last byte of the answer. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Connection pools (keep-alive); Node's global agents when absent. */
  readonly httpAgent?: http.Agent;
  readonly httpsAgent?: https.Agent;
}

export interface HttpReply {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text ('' when empty). */
  readonly text: string;
}

/**
 * Why an exchange produced no answer. `code` is Node's error code (ECONNREFUSED, ECONNRESET, ENOTFOUND, a TLS
 * verification code, ...), ETIMEDOUT for `timeoutMs`, or ABORT_ERR for the signal.
 */
export class HttpCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HttpCallError';
  }
}

/** Sends `call` and resolves with the whole answer, whatever its status; rejects with HttpCallError. */
export function httpCall(call: HttpCall): Promise<HttpReply> {
  return new Promise<HttpReply>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      reject(new HttpCallError('invalid URL', 'ERR_INVALID_URL'));
      return;
    }
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      reject(new HttpCallError(`unsupported protocol ${url.protocol}`, 'ERR_UNSUPPORTED_PROTOCOL'));
      return;
    }
    if (call.signal?.aborted) {
      reject(new HttpCallError('aborted', 'ABORT_ERR'));
      return;
    }
    const headers: Record<string, string | number> = { ...call.headers };
    if (call.body !== undefined) headers['Content-Length'] = Buffer.byteLength(call.body);
    const options: https.RequestOptions = { method: call.method, headers, agent: secure ? call.httpsAgent : call.httpAgent };
    let settled = false;
    const finish = (error: HttpCallError | undefined, reply?: HttpReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(reply as HttpReply);
      }
    };
    const onAbort = (): void => finish(new HttpCallError('aborted', 'ABORT_ERR'));
    const req = (secure ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err: NodeJS.ErrnoException) => finish(new HttpCallError(err.message, err.code ?? 'ECONNRESET')));
      res.on('aborted', () => finish(new HttpCallError('connection closed before the answer was complete', 'ECONNRESET')));
      res.on('end', () => {
        const replyHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) replyHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        finish(undefined, { status: res.statusCode ?? 0, headers: replyHeaders, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(new HttpCallError(err.message, err.code ?? 'ECONNRESET')));
    const timer = setTimeout(() => finish(new HttpCallError(`no complete answer within ${call.timeoutMs} ms`, 'ETIMEDOUT')), call.timeoutMs);
    call.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(call.body);
  });
}
