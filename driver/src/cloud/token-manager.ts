import { abortError } from '../grpc/call-abort';
import type { CatalogEntry } from './catalog';
import type { CloudCredentials } from './config';
import { CloudError } from './errors';
import type { HttpTransport } from './http-transport';
import { AuthPlan, planAuth } from './keystone-auth';

export interface IssuedToken {
  /** The X-Subject-Token value. Never log it. */
  readonly id: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly catalog: readonly CatalogEntry[];
  readonly projectId?: string;
}

interface TokenBody {
  token?: {
    expires_at?: string;
    issued_at?: string;
    catalog?: CatalogEntry[];
    project?: { id?: string };
  };
}

const DEFAULT_RENEW_MARGIN_MS = 5 * 60 * 1000;

/**
 * Issues Keystone v3 tokens and caches one until shortly before it expires. All callers that need a new token at
 * the same time share ONE request (single flight), whether the token aged out or a 401 showed it was revoked.
 */
export class TokenManager {
  private current: IssuedToken | undefined;
  private renewal: Promise<IssuedToken> | undefined;
  private readonly plan: AuthPlan;
  private readonly tokensUrl: string;
  private issuedCount = 0;

  constructor(
    private readonly transport: HttpTransport,
    credentials: CloudCredentials,
    private readonly renewMarginMs: number = DEFAULT_RENEW_MARGIN_MS,
  ) {
    if (!/^https?:\/\//.test(credentials.authUrl ?? '')) {
      throw new CloudError('Configuration', `auth-url: expected an http(s) URL of Keystone v3, got "${credentials.authUrl ?? ''}"`);
    }
    this.plan = planAuth(credentials);
    this.tokensUrl = `${credentials.authUrl.replace(/\/+$/, '')}/auth/tokens`;
  }

  /** Tokens this client obtained from Keystone so far. */
  get issued(): number {
    return this.issuedCount;
  }

  /** A valid token: the cached one, or a fresh one shared with every concurrent caller. */
  async get(signal?: AbortSignal, deadline?: number): Promise<IssuedToken> {
    const cached = this.current;
    if (cached && !this.needsRenewal(cached)) {
      return cached;
    }
    return this.shared(signal, deadline);
  }

  /**
   * Drops the token after OpenStack rejected it with 401, unless a newer one already replaced it (another caller
   * hit the 401 first and renewed): that way a burst of 401s causes one renewal, not one each.
   */
  invalidate(tokenId: string): void {
    if (this.current?.id === tokenId) {
      this.current = undefined;
    }
  }

  private needsRenewal(token: IssuedToken): boolean {
    const lifetime = token.expiresAt - token.issuedAt;
    const margin = Math.min(this.renewMarginMs, lifetime / 2);
    return Date.now() >= token.expiresAt - margin;
  }

  private shared(signal?: AbortSignal, deadline?: number): Promise<IssuedToken> {
    if (!this.renewal) {
      // Not tied to any one caller's signal: others share this request and must not lose it to someone's cancel.
      this.renewal = this.issue()
        .then((token) => {
          this.current = token;
          return token;
        })
        .finally(() => {
          this.renewal = undefined;
        });
    }
    const renewal = this.renewal;
    if (!signal) {
      return renewal;
    }
    return new Promise<IssuedToken>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortError(signal, deadline, 'authenticating with Keystone'));
        return;
      }
      const onAbort = (): void => reject(abortError(signal, deadline, 'authenticating with Keystone'));
      signal.addEventListener('abort', onAbort, { once: true });
      renewal.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async issue(): Promise<IssuedToken> {
    let previous: string | undefined;
    const steps = this.plan.method === 'trust' ? 2 : 1;
    let token: IssuedToken | undefined;
    for (let step = 0; step < steps; step++) {
      token = await this.request(this.plan.body(previous));
      previous = token.id;
    }
    return token as IssuedToken;
  }

  private async request(body: Record<string, unknown>): Promise<IssuedToken> {
    // Issuing a token has no side effect that a repeat could double, so it is safe to retry.
    const response = await this.transport.send<TokenBody>({
      method: 'POST',
      url: this.tokensUrl,
      body,
      retrySafe: true,
      operation: 'Keystone authentication',
    });
    this.issuedCount++;
    const id = response.headers['x-subject-token'];
    const expires = Date.parse(response.data?.token?.expires_at ?? '');
    if (!id || Number.isNaN(expires)) {
      throw new CloudError('Unexpected', 'Keystone authentication: response lacks X-Subject-Token or token.expires_at');
    }
    const issued = Date.parse(response.data?.token?.issued_at ?? '');
    // Track expiry on the local clock using Keystone's stated lifetime, so clock skew cannot make us use a
    // token that Keystone already considers expired.
    const now = Date.now();
    const lifetime = Number.isNaN(issued) ? expires - now : expires - issued;
    return {
      id,
      issuedAt: now,
      expiresAt: now + lifetime,
      catalog: response.data?.token?.catalog ?? [],
      projectId: response.data?.token?.project?.id,
    };
  }
}
