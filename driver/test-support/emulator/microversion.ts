import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors';

export interface ServiceVersions {
  /** Service name in the OpenStack-API-Version header. */
  service: 'volume' | 'compute';
  major: number;
  minMinor: number;
  maxMinor: number;
  /** Nova also accepts (and echoes) its legacy header. */
  legacyHeader?: string;
}

/** Debian 12 ships OpenStack Zed: Cinder 21 (max 3.70) and Nova 26 (max 2.93). */
export const VOLUME_VERSIONS: ServiceVersions = { service: 'volume', major: 3, minMinor: 0, maxMinor: 70 };
export const COMPUTE_VERSIONS: ServiceVersions = {
  service: 'compute',
  major: 2,
  minMinor: 1,
  maxMinor: 93,
  legacyHeader: 'x-openstack-nova-api-version',
};

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Picks the requested microversion (the default minimum when absent, the maximum for "latest").
 * An out-of-range version is refused with 406 as Cinder and Nova do; a malformed one with 400.
 */
export function negotiate(sv: ServiceVersions, headers: IncomingHttpHeaders): number {
  let requested: string | undefined;
  const generic = first(headers['openstack-api-version']);
  if (generic) {
    for (const part of generic.split(',')) {
      const [svc, ver] = part.trim().split(/\s+/);
      if (svc?.toLowerCase() === sv.service && ver) requested = ver;
    }
  }
  if (requested === undefined && sv.legacyHeader) requested = first(headers[sv.legacyHeader])?.trim();
  if (requested === undefined || requested === '') return sv.minMinor;
  if (requested.toLowerCase() === 'latest') return sv.maxMinor;
  const m = /^(\d+)\.(\d+)$/.exec(requested);
  if (!m) {
    throw new ApiError(400, `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== sv.major || minor < sv.minMinor || minor > sv.maxMinor) {
    // Cinder and Nova echo the refused version in their version headers.
    throw new ApiError(
      406,
      `Version ${requested} is not supported by the API. Minimum is ${sv.major}.${sv.minMinor} and maximum is ${sv.major}.${sv.maxMinor}.`,
      'fault',
      headersFor(sv, requested),
    );
  }
  return minor;
}

export function versionHeaders(sv: ServiceVersions, minor: number): Record<string, string> {
  return headersFor(sv, `${sv.major}.${minor}`);
}

function headersFor(sv: ServiceVersions, v: string): Record<string, string> {
  const h: Record<string, string> = {
    'OpenStack-API-Version': `${sv.service} ${v}`,
    Vary: sv.legacyHeader ? 'OpenStack-API-Version, X-OpenStack-Nova-API-Version' : 'OpenStack-API-Version',
  };
  if (sv.legacyHeader) h['X-OpenStack-Nova-API-Version'] = v;
  return h;
}
