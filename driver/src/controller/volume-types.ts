import type { Cloud } from '../cloud/cloud';
import type { OpOptions, VolumeType } from '../cloud/types';
import { invalidArgument } from '../grpc/errors';
import { ExpiringCache } from '../util/expiring-cache';

const TYPES_TTL_MS = 60_000;

/** Resolves volume type names/ids against Cinder's list, cached briefly (types change rarely). */
export class VolumeTypes {
  private readonly cache = new ExpiringCache<'all' | 'default', VolumeType[]>(TYPES_TTL_MS);

  constructor(private readonly cloud: Cloud) {}

  /** The type by name or id, or the project's default type when none is given; INVALID_ARGUMENT if unknown. */
  async resolve(nameOrId: string | undefined, field: string, op: OpOptions): Promise<VolumeType> {
    if (nameOrId === undefined) {
      const [fallback] = await this.cache.get('default', async () => [await this.cloud.getDefaultVolumeType(op)]);
      return fallback as VolumeType;
    }
    let types = await this.cache.get('all', () => this.cloud.listVolumeTypes(op));
    let found = types.find((t) => t.name === nameOrId || t.id === nameOrId);
    if (!found) {
      // A type created a moment ago should not be refused for a minute.
      this.cache.invalidate('all');
      types = await this.cache.get('all', () => this.cloud.listVolumeTypes(op));
      found = types.find((t) => t.name === nameOrId || t.id === nameOrId);
    }
    if (!found) {
      throw invalidArgument(field, `unknown Cinder volume type "${nameOrId}"; expected one of ${types.map((t) => t.name).join(', ')}`);
    }
    return found;
  }
}
