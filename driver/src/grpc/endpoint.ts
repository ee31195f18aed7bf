import * as path from 'node:path';

export type Endpoint =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/**
 * Parses a CSI endpoint: `unix:///abs/path`, `unix:/abs/path`, a bare absolute path, or `host:port` /
 * `tcp://host:port` (an empty host means all interfaces). Throws an Error naming what was expected.
 */
export function parseEndpoint(raw: string): Endpoint {
  const value = raw.trim();
  if (value === '') throw new Error('expected unix:///absolute/path or host:port, got an empty value');
  if (value.startsWith('unix:')) {
    // unix:///abs -> /abs ; unix:/abs -> /abs ; unix://abs would be a host-relative form we do not accept.
    const rest = value.slice('unix:'.length);
    const socketPath = rest.startsWith('///') ? rest.slice(2) : rest.startsWith('//') ? '' : rest;
    if (!socketPath || !path.isAbsolute(socketPath)) {
      throw new Error(`expected unix:///absolute/path, got ${JSON.stringify(raw)}`);
    }
    return { kind: 'unix', path: path.normalize(socketPath) };
  }
  if (path.isAbsolute(value)) return { kind: 'unix', path: path.normalize(value) };
  const hostPort = value.startsWith('tcp://') ? value.slice('tcp://'.length) : value;
  const parsed = parseHostPort(hostPort);
  if (!parsed) throw new Error(`expected unix:///absolute/path or host:port, got ${JSON.stringify(raw)}`);
  return { kind: 'tcp', ...parsed };
}

/** `host:port`, `:port` or `[v6]:port` with a port in 0..65535 (0 = pick a free port); undefined when malformed. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):(\d{1,5})$/.exec(value);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port > 65535) return undefined;
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  return { host, port };
}

export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === 'unix' ? `unix://${endpoint.path}` : `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}
