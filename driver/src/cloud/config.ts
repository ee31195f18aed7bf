import type { ProxySettings } from './proxy';
/**
 * What the OpenStack client needs to know, in the client's own terms. The cloud.conf parser (src/config) maps its
 * [Global] section onto this; keeping the client independent of the file format lets tests build configs directly.
 */
export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface CloudCredentials {
  /** Keystone v3 URL, e.g. https://keystone.example:5000/v3 */
  readonly authUrl: string;
  readonly username?: string;
  readonly userId?: string;
  readonly password?: string;
  /** Domain of the user (name or id); `domainName`/`domainId` are the fallback for both user and project. */
  readonly userDomainName?: string;
  readonly userDomainId?: string;
  readonly domainName?: string;
  readonly domainId?: string;
  readonly projectName?: string;
  readonly projectId?: string;
  readonly projectDomainName?: string;
  readonly projectDomainId?: string;
  readonly applicationCredentialId?: string;
  readonly applicationCredentialName?: string;
  readonly applicationCredentialSecret?: string;
  readonly trustId?: string;
}

export interface CloudClientConfig extends CloudCredentials {
  readonly region?: string;
  /** Which catalog endpoint to use; default public. */
  readonly endpointInterface?: EndpointInterface;
  /** PEM bundle of CAs to trust for every OpenStack endpoint (instead of the system store). */
  readonly caFile?: string;
  /** Skip TLS verification. Only for test clouds; never the default. */
  readonly tlsInsecure?: boolean;
  /** Per HTTP request timeout; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Attempts for a safe (retryable) request, including the first; default 5. */
  readonly maxAttempts?: number;
  /** Renew a token this long before it expires; default 5 minutes (capped at half the token lifetime). */
  readonly tokenRenewMarginMs?: number;
  /** [BlockStorage] ignore-volume-microversion: do not read Cinder's version document; send each feature's own version. */
  readonly ignoreVolumeMicroversion?: boolean;
  /** HTTP proxies of the calls (proxy.ts); none when absent. */
  readonly proxy?: ProxySettings;
}
