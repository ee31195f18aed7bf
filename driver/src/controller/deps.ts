import type { Cloud } from '../cloud/cloud';
import type { TopologyOption } from '../topology-key';
import type { CallContext } from '../grpc/call-context';
import type { OpOptions } from '../cloud/types';
import type { StatusWaits } from './status-waits';
import type { VolumeTypes } from './volume-types';
import type { VolumeZones } from './volume-zones';

export interface ControllerOptions extends TopologyOption {
  /** Identifies this Kubernetes cluster in the metadata of every volume and snapshot it creates. */
  readonly clusterId: string;
  /**
   * After a create request whose outcome is unknown (timeout, lost connection), how long a retry keeps looking
   * for the volume that request may still produce before it sends a new one. Longer than Cinder may hold a request.
   */
  readonly createDoubtMs: number;
}

/** What the controller's collaborators share; one instance per plugin process (the service keeps the in-flight guard). */
export interface ControllerDeps {
  readonly cloud: Cloud;
  readonly waits: StatusWaits;
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
