import type { Cloud } from '../cloud/cloud';
import { invalidArgument } from '../grpc/errors';
import type { CallContext } from '../grpc/call-context';
import type { OpOptions } from '../cloud/types';
import type { InFlightGuard } from '../util/in-flight';
import type { StatusWaits } from './status-waits';
import type { VolumeTypes } from './volume-types';
import type { VolumeZones } from './volume-zones';

export interface ControllerOptions {
  /** Identifies this Kubernetes cluster in the metadata of every volume and snapshot it creates. */
  readonly clusterId: string;
  /**
   * After a create request whose outcome is unknown (timeout, lost connection), how long a retry keeps looking
   * for the volume that request may still produce before it sends a new one. Longer than Cinder may hold a request.
   */
  readonly createDoubtMs: number;
  /**
   * Report accessible topology (the zone segment). Off when the plugin runs without topology (--with-topology=false):
   * a CO would otherwise pin volumes to a zone label the nodes do not carry.
   */
  readonly withTopology: boolean;
}

/** What every controller operation works with; one instance per plugin process. */
export interface ControllerDeps {
  readonly cloud: Cloud;
  readonly waits: StatusWaits;
  readonly guard: InFlightGuard;
  readonly types: VolumeTypes;
  readonly zones: VolumeZones;
  readonly options: ControllerOptions;
  /** Objects ("volume:NAME", "snapshot:NAME") whose last create request has an unknown outcome, and since when. */
  readonly createsInDoubt: Map<string, number>;
}

/** Metadata key carrying the cluster id on volumes and snapshots this driver created. */
export const CLUSTER_METADATA_KEY = 'cinder.csi.openstack.org/cluster';

export function op(ctx: CallContext): OpOptions {
  return { signal: ctx.signal, deadline: ctx.deadline };
}

/** The CSI spec's size limit for string fields ("Size Limits"); Cinder ids are 36 bytes, names at most 255. */
export const MAX_STRING_BYTES = 128;

/**
 * Rejects an empty id or name, or one over the CSI size limit, with INVALID_ARGUMENT naming the field. (An oversized
 * value would otherwise reach a Cinder URL and come back as HTTP 414/431, which maps to nothing a CO can act on.)
 */
export function requireField(value: string, field: string): string {
  if (value.trim() === '') {
    throw invalidArgument(field, 'expected a non-empty value');
  }
  return limitField(value, field);
}

/** Rejects a string over the CSI size limit with INVALID_ARGUMENT naming the field (for optional ids and filters). */
export function limitField(value: string, field: string): string {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_STRING_BYTES) {
    throw invalidArgument(field, `expected at most ${MAX_STRING_BYTES} bytes (the CSI size limit for strings), got ${bytes}`);
  }
  return value;
}
