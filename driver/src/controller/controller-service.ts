import type { Cloud } from '../cloud/cloud';
import type { CallContext } from '../grpc/call-context';
import { operationPending } from '../grpc/errors';
import type {
  ControllerExpandVolumeRequest__Output,
  ControllerExpandVolumeResponse,
  ControllerGetCapabilitiesRequest__Output,
  ControllerGetCapabilitiesResponse,
  ControllerGetVolumeRequest__Output,
  ControllerGetVolumeResponse,
  ControllerModifyVolumeRequest__Output,
  ControllerModifyVolumeResponse,
  ControllerPublishVolumeRequest__Output,
  ControllerPublishVolumeResponse,
  ControllerRpcType__Output,
  ControllerService,
  ControllerUnpublishVolumeRequest__Output,
  ControllerUnpublishVolumeResponse,
  CreateSnapshotRequest__Output,
  CreateSnapshotResponse,
  CreateVolumeRequest__Output,
  CreateVolumeResponse,
  DeleteSnapshotRequest__Output,
  DeleteSnapshotResponse,
  DeleteVolumeRequest__Output,
  DeleteVolumeResponse,
  GetCapacityRequest__Output,
  GetCapacityResponse,
  ListSnapshotsRequest__Output,
  ListSnapshotsResponse,
  ListVolumesRequest__Output,
  ListVolumesResponse,
  ValidateVolumeCapabilitiesRequest__Output,
  ValidateVolumeCapabilitiesResponse,
} from '../grpc/services';
import { InFlightGuard } from '../util/in-flight';
import type { StatusBatcherOptions } from '../util/status-batcher';
import { createVolume } from './create-volume';
import type { ControllerDeps, ControllerOptions } from './deps';
import { controllerExpandVolume, controllerModifyVolume } from './expand-modify';
import { controllerPublishVolume, controllerUnpublishVolume } from './publish';
import { createSnapshot, deleteSnapshot, listSnapshots } from './snapshots';
import { StatusWaits } from './status-waits';
import { controllerGetVolume, getCapacity, listVolumes, validateVolumeCapabilities } from './volume-queries';
import { deleteVolume } from './volume-lifecycle';
import { VolumeTypes } from './volume-types';
import { VolumeZones } from './volume-zones';

/**
 * GET_CAPACITY is implemented (from the project's gigabyte quota) but not advertised: a quota is not a per-zone
 * capacity, and advertising it would make the external-provisioner's capacity tracking misleading.
 */
export const CONTROLLER_CAPABILITIES: readonly ControllerRpcType__Output[] = [
  'CREATE_DELETE_VOLUME',
  'PUBLISH_UNPUBLISH_VOLUME',
  'LIST_VOLUMES',
  'LIST_VOLUMES_PUBLISHED_NODES',
  'CREATE_DELETE_SNAPSHOT',
  'LIST_SNAPSHOTS',
  'CLONE_VOLUME',
  'EXPAND_VOLUME',
  'VOLUME_CONDITION',
  'GET_VOLUME',
  'SINGLE_NODE_MULTI_WRITER',
  'MODIFY_VOLUME',
];

export interface ControllerServiceOptions extends Omit<ControllerOptions, 'createDoubtMs' | 'withTopology'> {
  /** See ControllerOptions.createDoubtMs; default 60 s. */
  readonly createDoubtMs?: number;
  /** See ControllerOptions.withTopology; default true. */
  readonly withTopology?: boolean;
  /** How status waits poll Cinder (tests use faster settings). */
  readonly statusPoll?: StatusBatcherOptions;
}

/** The CSI Controller service on OpenStack Cinder and Nova. */
export class CinderControllerService implements ControllerService {
  private readonly deps: ControllerDeps;

  constructor(cloud: Cloud, options: ControllerServiceOptions) {
    this.deps = {
      cloud,
      waits: new StatusWaits(cloud, options.statusPoll),
      guard: new InFlightGuard(operationPending),
      types: new VolumeTypes(cloud),
      zones: new VolumeZones(cloud),
      options: { clusterId: options.clusterId, createDoubtMs: options.createDoubtMs ?? 60_000, withTopology: options.withTopology ?? true },
      createsInDoubt: new Map(),
    };
  }

  /** Fails pending waits; the server calls this on shutdown. */
  close(): void {
    this.deps.waits.close();
  }

  /** Status listings made so far (volumes, snapshots): shows that concurrent waits share look-ups. */
  get statusListings(): { volumes: number; snapshots: number } {
    return { volumes: this.deps.waits.volumes.listings, snapshots: this.deps.waits.snapshots.listings };
  }

  createVolume = (req: CreateVolumeRequest__Output, ctx: CallContext): Promise<CreateVolumeResponse> => createVolume(this.deps, req, ctx);
  deleteVolume = (req: DeleteVolumeRequest__Output, ctx: CallContext): Promise<DeleteVolumeResponse> => deleteVolume(this.deps, req, ctx);
  controllerPublishVolume = (req: ControllerPublishVolumeRequest__Output, ctx: CallContext): Promise<ControllerPublishVolumeResponse> =>
    controllerPublishVolume(this.deps, req, ctx);
  controllerUnpublishVolume = (req: ControllerUnpublishVolumeRequest__Output, ctx: CallContext): Promise<ControllerUnpublishVolumeResponse> =>
    controllerUnpublishVolume(this.deps, req, ctx);
  validateVolumeCapabilities = (req: ValidateVolumeCapabilitiesRequest__Output, ctx: CallContext): Promise<ValidateVolumeCapabilitiesResponse> =>
    validateVolumeCapabilities(this.deps, req, ctx);
  listVolumes = (req: ListVolumesRequest__Output, ctx: CallContext): Promise<ListVolumesResponse> => listVolumes(this.deps, req, ctx);
  getCapacity = (req: GetCapacityRequest__Output, ctx: CallContext): Promise<GetCapacityResponse> => getCapacity(this.deps, req, ctx);
  createSnapshot = (req: CreateSnapshotRequest__Output, ctx: CallContext): Promise<CreateSnapshotResponse> => createSnapshot(this.deps, req, ctx);
  deleteSnapshot = (req: DeleteSnapshotRequest__Output, ctx: CallContext): Promise<DeleteSnapshotResponse> => deleteSnapshot(this.deps, req, ctx);
  listSnapshots = (req: ListSnapshotsRequest__Output, ctx: CallContext): Promise<ListSnapshotsResponse> => listSnapshots(this.deps, req, ctx);
  controllerExpandVolume = (req: ControllerExpandVolumeRequest__Output, ctx: CallContext): Promise<ControllerExpandVolumeResponse> =>
    controllerExpandVolume(this.deps, req, ctx);
  controllerGetVolume = (req: ControllerGetVolumeRequest__Output, ctx: CallContext): Promise<ControllerGetVolumeResponse> =>
    controllerGetVolume(this.deps, req, ctx);
  controllerModifyVolume = (req: ControllerModifyVolumeRequest__Output, ctx: CallContext): Promise<ControllerModifyVolumeResponse> =>
    controllerModifyVolume(this.deps, req, ctx);

  controllerGetCapabilities = async (_req: ControllerGetCapabilitiesRequest__Output, _ctx: CallContext): Promise<ControllerGetCapabilitiesResponse> => ({
    capabilities: CONTROLLER_CAPABILITIES.map((type) => ({ rpc: { type } })),
  });
}
