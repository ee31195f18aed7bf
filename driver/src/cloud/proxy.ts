import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

/*
 * HTTP proxies for the calls to OpenStack, from the standard environment variables (the chart's global.proxy sets
 * them), and the connection pool (agent) each request uses: plain http:// endpoints go to the proxy as absolute-form
 * requests (http-proxy-agent), https:// endpoints through a CONNECT tunnel (https-proxy-agent), so TLS (and ca-file /
 * tls-insecure) stays end to end. Hosts matched by NO_PROXY are reached directly. The metadata service never uses
 * these agents.
 *
 * The NO_PROXY decision is ours, not proxy-from-env's (axios's dependency): that package reads process.env at each
 * call (no settings read once, no env to pass), prefers the lower-case names, matches a bare name (`example.org`)
 * only exactly, not its subdomains, and knows neither CIDRs nor IPv6 literals.
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

/** The TLS settings of the endpoints (ca-file, tls-insecure), the same direct and through a tunnel. */
export interface EndpointTls {
  readonly ca?: Buffer;
  readonly rejectUnauthorized: boolean;
}

/** Connection pool settings of every agent. */
const POOL: http.AgentOptions = { keepAlive: true, maxSockets: 64 };

/** The proxy as named in errors: scheme, host and port, never credentials. */
function proxyName(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/**
 * https-proxy-agent with the endpoint's TLS settings inside the tunnel (the library's TLS options are those of the
 * connection to the proxy; the endpoint's come from the request, which axios does not fill), the certificate checked
 * against the endpoint's name, and a refused CONNECT as a connection error: the library would replay the proxy's
 * answer as if the endpoint had sent it.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: URL,
    private readonly tls: EndpointTls,
  ) {
    super(proxy, POOL);
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<net.Socket> {
    let refused: number | undefined;
    req.once('proxyConnect', (answer: { statusCode: number }) => {
      if (answer.statusCode !== 200) refused = answer.statusCode;
    });
    const endpoint = opts.host ?? '';
    const socket = await super.connect(
      req,
      opts.secureEndpoint
        ? {
            ...opts,
            ca: this.tls.ca,
            rejectUnauthorized: this.tls.rejectUnauthorized,
            // The library drops `host` before tls.connect, so an endpoint named by IP address (no SNI servername)
            // would be checked against "localhost": check the certificate against the endpoint's own name.
            checkServerIdentity: (_name, cert) => tls.checkServerIdentity(endpoint, cert),
          }
        : opts,
    );
    if (refused !== undefined) {
      socket.destroy();
      const target = net.isIPv6(endpoint) ? `[${endpoint}]:${opts.port}` : `${endpoint}:${opts.port}`;
      throw Object.assign(new Error(`proxy ${proxyName(this.proxy)} refused CONNECT to ${target}: HTTP ${refused}`), { code: 'EPROXY' });
    }
    return socket;
  }
}

/**
 * The agents of one OpenStack client: direct keep-alive pools, and, when a proxy is set, the proxy agents; `for`
 * chooses by the request's URL (scheme, NO_PROXY).
 */
export class EndpointAgents {
  private readonly direct: { readonly http: http.Agent; readonly https: https.Agent };
  private readonly proxied: { readonly http?: HttpProxyAgent<string>; readonly https?: TunnelAgent };

  constructor(
    private readonly settings: ProxySettings | undefined,
    tls: EndpointTls,
  ) {
    this.direct = { http: new http.Agent(POOL), https: new https.Agent({ ...POOL, ...tls }) };
    this.proxied = {
      http: settings?.httpProxy ? new HttpProxyAgent(settings.httpProxy, POOL) : undefined,
      https: settings?.httpsProxy ? new TunnelAgent(settings.httpsProxy, tls) : undefined,
    };
  }

  /** The agent for a request to `url`. */
  for(url: URL): http.Agent {
    const secure = url.protocol === 'https:';
    const port = url.port !== '' ? Number(url.port) : secure ? 443 : 80;
    const proxied = this.settings !== undefined && proxyFor(this.settings, url.protocol, url.hostname, port) !== undefined;
    if (secure) return (proxied ? this.proxied.https : undefined) ?? this.direct.https;
    return (proxied ? this.proxied.http : undefined) ?? this.direct.http;
  }

  destroy(): void {
    for (const agent of [this.direct.http, this.direct.https, this.proxied.http, this.proxied.https]) agent?.destroy();
  }
}
