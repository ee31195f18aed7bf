import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/*
 * HTTP proxies for the calls to OpenStack, from the standard environment variables (the chart's global.proxy sets
 * them): plain http:// endpoints go to the proxy as absolute-form requests (a forward proxy), https:// endpoints
 * through a CONNECT tunnel, so TLS (and ca-file / tls-insecure) stays end to end. Hosts matched by NO_PROXY are
 * reached directly. The metadata service never uses these agents.
 */

/** The proxies to use, parsed once at start-up. */
export interface ProxySettings {
  /** Proxy of http:// endpoints (HTTP_PROXY). */
  readonly httpProxy?: URL;
  /** Proxy of https:// endpoints (HTTPS_PROXY). */
  readonly httpsProxy?: URL;
  /** NO_PROXY entries, lower-case: `*`, host names, domain suffixes (`.example`), IP addresses or CIDRs, each with an optional `:port`. */
  readonly noProxy: readonly string[];
}

/** Settings from HTTP_PROXY / HTTPS_PROXY / NO_PROXY (the lower-case names when the upper-case ones are unset). */
export function proxySettingsFromEnv(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const read = (name: string): string => (env[name] ?? env[name.toLowerCase()] ?? '').trim();
  const url = (name: string): URL | undefined => {
    const value = read(name);
    if (value === '') return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value.includes('://') ? value : `http://${value}`);
    } catch {
      throw new Error(`${name}: "${value}" is not a URL (expected e.g. http://proxy.example:3128)`);
    }
    // TLS to the proxy itself (an https:// proxy URL) is not supported: the tunnel inside it is TLS already.
    if (parsed.protocol !== 'http:') throw new Error(`${name}: unsupported proxy protocol ${parsed.protocol} (expected http://host:port)`);
    return parsed;
  };
  const noProxy = read('NO_PROXY').split(/[\s,]+/).map((e) => e.toLowerCase()).filter((e) => e !== '');
  return { httpProxy: url('HTTP_PROXY'), httpsProxy: url('HTTPS_PROXY'), noProxy };
}

/** The proxy for a request to `host:port` over `protocol` ('http:' or 'https:'), or undefined to go direct. */
export function proxyFor(settings: ProxySettings, protocol: string, host: string, port: number): URL | undefined {
  const proxy = protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (proxy === undefined || bypassed(settings.noProxy, host, port)) return undefined;
  return proxy;
}

function bypassed(noProxy: readonly string[], rawHost: string, port: number): boolean {
  const host = rawHost.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const { name, entryPort } = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) return false;
    const ipFamily = net.isIP(host);
    if (name.includes('/')) {
      const [base, bits] = name.split('/');
      const family = net.isIP(base ?? '');
      if (ipFamily === 0 || family !== ipFamily || !/^\d+$/.test(bits ?? '')) return false;
      const list = new net.BlockList();
      list.addSubnet(base!, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
      return list.check(host, ipFamily === 6 ? 'ipv6' : 'ipv4');
    }
    const suffix = name.replace(/^\*?\./, '');
    return host === suffix || host.endsWith(`.${suffix}`);
  });
}

function splitPort(entry: string): { name: string; entryPort?: number } {
  const bracketed = /^\[(.*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, entryPort: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  const colon = entry.lastIndexOf(':');
  // A bare IPv6 address has several colons and no port.
  if (colon > 0 && entry.indexOf(':') === colon && /^\d+$/.test(entry.slice(colon + 1))) {
    return { name: entry.slice(0, colon), entryPort: Number(entry.slice(colon + 1)) };
  }
  return { name: entry };
}

/** `Proxy-Authorization` for a proxy URL with user:password, else nothing. */
function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

function proxyPort(proxy: URL): number {
  return proxy.port !== '' ? Number(proxy.port) : 80;
}

/** The proxy as named in errors: scheme, host and port, never credentials. */
function proxyName(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

type ConnectCallback = (error: Error | null, socket?: Duplex) => void;

/**
 * An https.Agent that opens each connection through a CONNECT tunnel of the proxy (unless NO_PROXY matches the
 * host), then TLS to the endpoint inside it with the agent's own TLS options (ca, rejectUnauthorized).
 */
export class ProxyHttpsAgent extends https.Agent {
  constructor(
    private readonly settings: ProxySettings,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: tls.ConnectionOptions, callback: ConnectCallback): Duplex | null | undefined {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    const proxy = proxyFor(this.settings, 'https:', host, port);
    if (proxy === undefined) return super.createConnection(options, callback);
    const target = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
    const request = http.request({
      host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: proxyPort(proxy),
      method: 'CONNECT',
      path: target,
      headers: { Host: target, ...proxyAuthorization(proxy) },
      agent: false,
    });
    request.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(Object.assign(new Error(`proxy ${proxyName(proxy)} refused CONNECT to ${target}: HTTP ${response.statusCode}`), { code: 'EPROXY' }));
        return;
      }
      const servername = options.servername ?? (net.isIP(host) === 0 ? host : undefined);
      callback(null, tls.connect({ ...options, socket, servername }));
    });
    request.once('error', (error) => callback(error));
    request.end();
    return undefined;
  }
}

/**
 * An http.Agent that sends each request to the proxy in absolute form (`GET http://host:port/path`), as a forward
 * proxy expects, unless NO_PROXY matches the host.
 */
export class ProxyHttpAgent extends http.Agent {
  constructor(
    private readonly settings: ProxySettings,
    options: http.AgentOptions,
  ) {
    super(options);
  }

  addRequest(request: http.ClientRequest, options: http.ClientRequestArgs): void {
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port ?? 80);
    const proxy = proxyFor(this.settings, 'http:', host, port);
    if (proxy !== undefined) {
      const authority = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
      // The request line is written when the request is sent, after this: absolute form for the proxy.
      request.path = `http://${authority}${request.path}`;
      for (const [name, value] of Object.entries(proxyAuthorization(proxy))) request.setHeader(name, value);
      const proxyHost = proxy.hostname.replace(/^\[(.*)\]$/, '$1');
      options = { ...options, host: proxyHost, hostname: proxyHost, port: proxyPort(proxy) };
    }
    // Not in @types/node, but Node's http.Agent has it: pools sockets by the (proxy's) host and port.
    (http.Agent.prototype as unknown as { addRequest(r: http.ClientRequest, o: http.ClientRequestArgs): void }).addRequest.call(this, request, options);
  }
}
