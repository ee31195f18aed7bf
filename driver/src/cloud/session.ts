import { COMPUTE_SERVICE_TYPES, selectEndpoint, VOLUME_SERVICE_TYPES } from './catalog';
import type { CloudClientConfig, EndpointInterface } from './config';
import { CloudError, isCloudError } from './errors';
import { HttpMethod, HttpResponse, HttpTransport } from './http-transport';
import { versionDocumentUrl } from './microversions';
import { TokenManager } from './token-manager';
import type { OpOptions } from './types';

export type Service = 'volume' | 'compute';

/** Renewals after a 401 before giving up on one request: one, shared with every concurrent caller. */
const MAX_TOKEN_RENEWALS = 1;

export interface ServiceRequest extends OpOptions {
  readonly service: Service;
  readonly method: HttpMethod;
  /** Path below the service endpoint, starting with "/"; may include a query string. */
  readonly path: string;
  readonly body?: unknown;
  /** Microversion, e.g. "3.42" for Cinder or "2.60" for Nova; omitted means the service's base version. */
  readonly microversion?: string;
  readonly retrySafe?: boolean;
  readonly operation: string;
}

/**
 * Sends authenticated requests to a catalog service: finds the endpoint in the token's catalog, adds the token
 * and the microversion header, and on 401 renews the token once (shared with concurrent callers) and retries.
 */
export class Session {
  readonly tokens: TokenManager;
  private readonly endpointInterface: EndpointInterface;

  constructor(
    private readonly transport: HttpTransport,
    private readonly config: CloudClientConfig,
  ) {
    this.tokens = new TokenManager(transport, config, config.tokenRenewMarginMs);
    this.endpointInterface = config.endpointInterface ?? 'public';
  }

  async request<T>(req: ServiceRequest): Promise<HttpResponse<T>> {
    let token = await this.tokens.get(req.signal, req.deadline);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'X-Auth-Token': token.id };
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';
      if (req.microversion) headers['OpenStack-API-Version'] = `${req.service} ${req.microversion}`;
      if (req.microversion && req.service === 'compute') headers['X-OpenStack-Nova-API-Version'] = req.microversion;
      try {
        return await this.transport.send<T>({
          method: req.method,
          url: `${this.endpoint(token.catalog, req.service)}${req.path}`,
          body: req.body,
          headers,
          signal: req.signal,
          deadline: req.deadline,
          retrySafe: req.retrySafe,
          operation: req.operation,
        });
      } catch (error) {
        if (!isCloudError(error, 'Unauthorized')) throw error;
        if (attempt >= MAX_TOKEN_RENEWALS) {
          // Keystone issued the token a moment ago, so repeated rejections are a service-side fault, not bad
          // credentials (those fail at Keystone itself): report it as retryable.
          throw new CloudError('Unavailable', `${req.operation}: the service rejected freshly issued tokens (HTTP 401)`, 401, error.requestId);
        }
        // The token was revoked or expired early; a 401 means the request was not processed, so resend.
        this.tokens.invalidate(token.id);
        token = await this.tokens.get(req.signal, req.deadline);
      }
    }
  }

  /**
   * GET of the service's version document (microversions.ts: the versioned endpoint root, `/v3/` or `/v2.1/`).
   * Cinder may answer its unversioned root with 300 Multiple Choices, which carries the document too.
   */
  async versionDocument(service: Service, op: OpOptions): Promise<{ url: string; body: unknown }> {
    const token = await this.tokens.get(op.signal, op.deadline);
    const url = versionDocumentUrl(this.endpoint(token.catalog, service));
    const res = await this.transport.send<unknown>({
      // Cinder's /v3/ wants a token (Nova's /v2.1/ and the roots do not mind one).
      method: 'GET', url, headers: { Accept: 'application/json', 'X-Auth-Token': token.id }, signal: op.signal, deadline: op.deadline, retrySafe: true,
      operation: `read the ${service} version document`,
    });
    return { url, body: res.data };
  }

  /** The project the token is scoped to (quota look-ups need it). */
  async projectId(op: OpOptions): Promise<string> {
    const token = await this.tokens.get(op.signal, op.deadline);
    if (!token.projectId) throw new CloudError('Configuration', 'the Keystone token is not scoped to a project');
    return token.projectId;
  }

  private endpoint(catalog: Parameters<typeof selectEndpoint>[0], service: Service): string {
    const types = service === 'volume' ? VOLUME_SERVICE_TYPES : COMPUTE_SERVICE_TYPES;
    return selectEndpoint(catalog, types, this.endpointInterface, this.config.region);
  }
}
