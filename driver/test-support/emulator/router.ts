import type { IncomingHttpHeaders } from 'node:http';
import type { TokenRecord } from './state';

/** A parsed request as the route handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  params: Record<string, string>;
  /** Base URL of this server (http://127.0.0.1:PORT), for links. */
  baseUrl: string;
  /** Minor part of the negotiated microversion (volume 3.x / compute 2.x); 0 outside those services. */
  mv: number;
  /** Token of an authenticated Cinder/Nova request. */
  token?: TokenRecord;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export interface Route {
  method: string;
  template: string;
  /** "METHOD /template", the key of counters.requests. */
  key: string;
  segments: string[];
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Path-template router: `{name}` matches exactly one non-empty segment. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): void {
    this.routes.push({
      method,
      template,
      key: `${method} ${template}`,
      segments: splitPath(template),
      handler,
    });
  }

  /** Finds the route; `allowed` lists the methods of routes whose path matched (for 405). */
  match(method: string, path: string): { match?: RouteMatch; allowed: string[] } {
    const parts = splitPath(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { match: { route, params }, allowed };
      allowed.push(route.method);
    }
    return { allowed };
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    const p = parts[i] as string;
    if (t.startsWith('{') && t.endsWith('}')) {
      params[t.slice(1, -1)] = decodeURIComponent(p);
    } else if (t !== p) {
      return undefined;
    }
  }
  return params;
}
