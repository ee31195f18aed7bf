import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HttpEndpointOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** /healthz answers 200 while this returns true, 503 otherwise. */
  readonly isHealthy: () => boolean;
}

export interface HttpEndpointHandle {
  /** The bound address (port resolved when 0 was asked for). */
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** Serves GET /metrics (Prometheus text format) and GET /healthz. */
export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<HttpEndpointHandle> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (url === '/metrics') {
      options.registry.metrics().then(
        (body) => res.writeHead(200, { 'Content-Type': options.registry.contentType }).end(body),
        () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
      );
      return;
    }
    if (url === '/healthz') {
      const ok = options.isHealthy();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ok\n' : 'not serving\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  // An empty host (":8080") means all interfaces, as in upstream's --http-endpoint.
  const host = options.host === '' ? undefined : options.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
