import type { Cloud } from '../cloud/cloud';
import type { OpOptions } from '../cloud/types';
import { invalidArgument } from '../grpc/errors';
import { ExpiringCache } from '../util/expiring-cache';
import { accessibleTopology } from './topology';
import type { Topology } from '../grpc/services';

const ZONES_TTL_MS = 60_000;

export interface ZoneChoice {
  /** The Cinder availability zone to create in; undefined lets Cinder use its default. */
  readonly cinderZone?: string;
  /** What to report as accessible topology when Cinder's zones differ from Nova's (see resolve). */
  readonly reportZones?: readonly string[];
}

/**
 * Reconciles topology zones (Nova's, reported by the nodes) with Cinder's zones. Many clouds name them
 * differently (Cinder has one zone "nova" while Nova has several); asking Cinder for a zone it lacks fails.
 */
export class VolumeZones {
  private readonly cache = new ExpiringCache<'zones', string[]>(ZONES_TTL_MS);

  constructor(private readonly cloud: Cloud) {}

  /**
   * An explicit `availability` parameter must be a Cinder zone (INVALID_ARGUMENT otherwise). A zone taken from
   * topology that Cinder does not have means Cinder's zones are not Nova's: the volume is created in Cinder's
   * default zone and reported accessible from the requested topology zones, which can attach it (Nova's
   * cross_az_attach), so pods stay schedulable where the CO wanted them.
   */
  async resolve(explicit: string | undefined, fromTopology: string | undefined, requested: readonly string[], op: OpOptions): Promise<ZoneChoice> {
    if (explicit === undefined && fromTopology === undefined) return {};
    const zones = await this.cache.get('zones', () => this.cloud.listVolumeAvailabilityZones(op));
    if (explicit !== undefined) {
      if (!zones.includes(explicit)) {
        throw invalidArgument('parameters.availability', `unknown Cinder availability zone "${explicit}"; expected one of ${zones.join(', ')}`);
      }
      return { cinderZone: explicit };
    }
    if (fromTopology !== undefined && zones.includes(fromTopology)) return { cinderZone: fromTopology };
    return { reportZones: requested.length > 0 ? requested : fromTopology ? [fromTopology] : [] };
  }
}

/** Topology for a created volume: its Cinder zone, unless the choice said to report the requested zones. */
export function topologyFor(choice: ZoneChoice, volumeZone: string | undefined): Topology[] {
  if (choice.reportZones) return choice.reportZones.flatMap((zone) => accessibleTopology(zone));
  return accessibleTopology(volumeZone);
}
