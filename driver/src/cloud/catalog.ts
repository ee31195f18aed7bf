import { CloudError } from './errors';
import type { EndpointInterface } from './config';

export interface CatalogEndpoint {
  readonly interface: string;
  readonly region?: string | null;
  readonly region_id?: string | null;
  readonly url: string;
}

export interface CatalogEntry {
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** Service types to look for, in order of preference (Cinder registers as volumev3 or, newer, block-storage). */
export const VOLUME_SERVICE_TYPES = ['volumev3', 'block-storage'] as const;
export const COMPUTE_SERVICE_TYPES = ['compute'] as const;

/**
 * Picks the endpoint URL for a service from a Keystone v3 catalog by type (first matching type wins), interface
 * and region (when configured). The URL comes back without a trailing slash.
 */
export function selectEndpoint(
  catalog: readonly CatalogEntry[],
  types: readonly string[],
  endpointInterface: EndpointInterface,
  region: string | undefined,
): string {
  for (const type of types) {
    for (const entry of catalog.filter((candidate) => candidate.type === type)) {
      const match = entry.endpoints.find(
        (endpoint) =>
          endpoint.interface === endpointInterface &&
          (region === undefined || endpoint.region_id === region || endpoint.region === region),
      );
      if (match) {
        return match.url.replace(/\/+$/, '');
      }
    }
  }
  const where = region === undefined ? '' : ` in region ${region}`;
  const present = [...new Set(catalog.map((entry) => entry.type))].join(', ') || 'none';
  throw new CloudError(
    'Configuration',
    `service catalog has no ${types.join(' or ')} endpoint with interface ${endpointInterface}${where} (catalog types: ${present})`,
  );
}
