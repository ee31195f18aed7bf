import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from './context';
import { ApiError, faultBody, keystoneBody } from './errors';
import { COMPUTE_VERSIONS, negotiate, type ServiceVersions, versionHeaders, VOLUME_VERSIONS } from './microversion';
import type { ApiRequest, ApiResponse, Router } from './router';
import type { TokenRecord } from './state';

const MAX_BODY_BYTES = 1024 * 1024;
export const CONTROL_PREFIX = '/_emulator';

// Unref'd: a delayed request still pending when the emulator closes must not keep the process alive.
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

interface Service {
  versions?: ServiceVersions;
  keystoneErrors: boolean;
  /** Whether this path needs a valid X-Auth-Token (everything but the version documents). */
  needsToken: boolean;
}

function classify(path: string): Service {
  const segs = path.split('/').filter(Boolean);
  // Cinder's GET /v3/ needs a token (its root does not); Nova's /v2.1/ does not.
  if (segs[0] === 'volume') return { versions: VOLUME_VERSIONS, keystoneErrors: false, needsToken: segs.length > 1 };
  // Nova's unversioned root answers without version headers.
  if (segs[0] === 'compute' && segs.length === 1) return { keystoneErrors: false, needsToken: false };
  if (segs[0] === 'compute') return { versions: COMPUTE_VERSIONS, keystoneErrors: false, needsToken: segs.length > 2 };
  return { keystoneErrors: segs[0] === 'identity', needsToken: false };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'Request is too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: http.ServerResponse, r: ApiResponse, extra: Record<string, string>): void {
  const headers: Record<string, string> = { ...extra, ...(r.headers ?? {}) };
  let payload = '';
  if (r.body !== undefined && r.status !== 204) {
    payload = JSON.stringify(r.body);
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(payload);
}

function errorResponse(e: ApiError, keystoneStyle: boolean): ApiResponse {
  const headers = { ...e.headers };
  const style = e.style === 'keystone' || keystoneStyle ? 'keystone' : 'fault';
  const body = style === 'keystone' ? keystoneBody(e.status, e.message) : faultBody(e.status, e.message, headers['Retry-After']);
  return { status: e.status, headers, body };
}

/** Serves a router with the OpenStack pipeline: faults, latency, token check, microversions, error bodies. */
export function createHttpServer(ctx: Context, router: Router): http.Server {
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const isControl = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
    const service = classify(path);
    const requestId = `req-${randomUUID()}`;
    const extra: Record<string, string> = { 'x-openstack-request-id': requestId };
    if (service.versions?.service === 'compute') extra['x-compute-request-id'] = requestId;
    const { match, allowed } = router.match(method, path);

    try {
      const rawBody = await readBody(req);
      if (!isControl) {
        const key = match ? match.route.key : `${method} (unmatched)`;
        ctx.counters.requests[key] = (ctx.counters.requests[key] ?? 0) + 1;
        const fault = ctx.faults.match(method, path, match?.route.template, headerValue(req, 'x-auth-token') !== undefined);
        if (fault?.kind === 'drop') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'delay') await sleep(fault.ms);
        if (fault?.kind === 'expireToken') {
          const t = ctx.state.tokens.get(headerValue(req, 'x-auth-token') ?? '');
          if (t) t.expiresAt = 0;
        }
        if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
        if (fault?.kind === 'status') {
          const headers: Record<string, string> = {};
          if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
          const message = fault.message ?? defaultFaultMessage(fault.status);
          throw new ApiError(fault.status, message, service.keystoneErrors ? 'keystone' : 'fault', headers);
        }
      }
      if (!match) {
        if (allowed.length > 0) throw new ApiError(405, 'The method is not allowed for the requested URL.');
        throw new ApiError(404, 'The resource could not be found.');
      }
      let token: TokenRecord | undefined;
      if (service.needsToken) {
        token = ctx.state.tokens.get(headerValue(req, 'x-auth-token') ?? '');
        if (!token || token.revoked || token.expiresAt <= Date.now() || !token.projectId) {
          throw new ApiError(401, 'The request you have made requires authentication.', 'keystone', {
            'WWW-Authenticate': `Keystone uri="${ctx.baseUrl()}/identity"`,
          });
        }
        const project = match.params.project_id;
        if (project !== undefined && project !== token.projectId) throw new ApiError(400, 'Malformed request url');
      }
      let mv = 0;
      if (service.versions) {
        mv = negotiate(service.versions, req.headers);
        Object.assign(extra, versionHeaders(service.versions, mv));
      }
      let body: unknown;
      if (rawBody.trim().length > 0) {
        try {
          body = JSON.parse(rawBody);
        } catch {
          throw new ApiError(400, 'Malformed request body');
        }
      }
      const apiReq: ApiRequest = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body,
        params: match.params,
        baseUrl: ctx.baseUrl(),
        mv,
        token,
      };
      send(res, await match.route.handler(apiReq), extra);
    } catch (e) {
      if (e instanceof ApiError) {
        send(res, errorResponse(e, service.keystoneErrors), extra);
      } else {
        ctx.log(`internal error on ${method} ${match?.route.template ?? path}: ${e instanceof Error ? e.message : String(e)}`);
        send(res, errorResponse(new ApiError(500, 'The server has either erred or is incapable of performing the requested operation.'), service.keystoneErrors), extra);
      }
    }
  };
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  // Real OpenStack behind uwsgi closes connections often; clients must cope, so no keep-alive tuning here.
  return server;
}

function defaultFaultMessage(status: number): string {
  switch (status) {
    case 413:
      return 'This request was rate-limited.';
    case 429:
      return 'Too Many Requests: this request was rate-limited.';
    case 503:
      return 'Service Unavailable: the server is currently unable to handle the request.';
    default:
      return 'The server has either erred or is incapable of performing the requested operation.';
  }
}

export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
