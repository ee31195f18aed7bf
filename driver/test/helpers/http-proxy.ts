import http from 'node:http';
import net from 'node:net';

/**
 * A tiny HTTP proxy on 127.0.0.1 for tests: forwards absolute-form requests (`GET http://host:port/path`) and opens
 * CONNECT tunnels, recording each one. Targets must be on 127.0.0.1 too (the tests never leave the machine).
 */
export interface TestProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** One line per request seen: `GET http://127.0.0.1:1234/v3/auth/tokens` or `CONNECT 127.0.0.1:5678`. */
  readonly seen: string[];
  /** The Proxy-Authorization headers seen, in order ('' when absent). */
  readonly authorizations: string[];
  /** Answer every CONNECT with this status instead of opening the tunnel (e.g. 403); undefined: tunnel. */
  refuseConnectWith?: number;
  close(): Promise<void>;
}

export async function startTestProxy(): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    proxy.seen.push(`${req.method} ${req.url}`);
    proxy.authorizations.push(req.headers['proxy-authorization'] ?? '');
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const forward = http.request(
      { host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxy.seen.push(`CONNECT ${req.url}`);
    proxy.authorizations.push(req.headers['proxy-authorization'] ?? '');
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (proxy.refuseConnectWith !== undefined) {
      client.end(`HTTP/1.1 ${proxy.refuseConnectWith} Refused\r\n\r\n`);
      return;
    }
    const port = Number(new URL(`http://${req.url ?? ''}`).port);
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: TestProxy = {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen: [],
    authorizations: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
