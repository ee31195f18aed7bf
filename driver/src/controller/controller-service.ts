import type { Cloud } from '../cloud/cloud';
import { invalidArgument, operationPending, resourceExhausted } from '../grpc/errors';
import { requireName, requireWithinLimit } from '../grpc/request-validation';
import type {
  CallContext,
  ControllerExpandVolumeRequest__Output,
  ControllerExpandVolumeResponse,
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
  GetCapacityResponse,
  ListSnapshotsRequest__Output,
  ListSnapshotsResponse,
  ListVolumesRequest__Output,
  ListVolumesResponse,
  ValidateVolumeCapabilitiesRequest__Output,
  ValidateVolumeCapabilitiesResponse,
} from '../grpc/services';
import type { TopologyOption } from '../topology-key';
import { InFlightGuard } from '../util/in-flight';
import { DEFAULT_STATUS_POLL, type StatusBatcherOptions } from '../util/status-batcher';
import { sizeForRange } from './capacity';
import { PARAM_TYPE, parseCreateParameters } from './create-parameters';
import { VolumeCreator } from './create-volume';
import { CLUSTER_METADATA_KEY, type ControllerDeps } from './deps';
import { VolumeUpdater } from './expand-modify';
import { decodeToken } from './page-token';
import { VolumeAttacher } from './publish';
import { parseSnapshotParameters, Snapshotter } from './snapshots';
import { StatusWaits } from './status-waits';
import { allowedZones } from './topology';
import { isMultiNode, unsupportedReason, validateCapabilities } from './volume-capabilities';
import { VolumeDeleter } from './volume-lifecycle';
import { VolumeReader } from './volume-queries';
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

export interface ControllerServiceOptions extends TopologyOption {
  /** Identifies this Kubernetes cluster in the metadata of every volume and snapshot it creates. */
  readonly clusterId: string;
  /** See ControllerOptions.createDoubtMs; default 60 s. */
  readonly createDoubtMs?: number;
  /** How status waits poll Cinder (tests use faster settings). */
  readonly statusPoll?: StatusBatcherOptions;
}

/**
 * The CSI Controller service on OpenStack Cinder and Nova. Each RPC checks its request (grpc/request-validation),
 * takes the in-flight guard for the volume or name it works on, and hands the work to a collaborator.
 */
export class CinderControllerService implements ControllerService {
  private readonly inFlight = new InFlightGuard(operationPending);
  private readonly waits: StatusWaits;
  private readonly creator: VolumeCreator;
  private readonly deleter: VolumeDeleter;
  private readonly attacher: VolumeAttacher;
  private readonly updater: VolumeUpdater;
  private readonly reader: VolumeReader;
  private readonly snapshotter: Snapshotter;

  constructor(cloud: Cloud, options: ControllerServiceOptions) {
    this.waits = new StatusWaits(cloud, options.statusPoll ?? DEFAULT_STATUS_POLL, { [CLUSTER_METADATA_KEY]: options.clusterId });
    const deps: ControllerDeps = {
      cloud,
      waits: this.waits,
      types: new VolumeTypes(cloud),
      zones: new VolumeZones(cloud),
      options: { clusterId: options.clusterId, createDoubtMs: options.createDoubtMs ?? 60_000, withTopology: options.withTopology },
      createsInDoubt: new Map(),
    };
    this.creator = new VolumeCreator(deps);
    this.deleter = new VolumeDeleter(deps);
    this.attacher = new VolumeAttacher(deps);
    this.updater = new VolumeUpdater(deps);
    this.reader = new VolumeReader(deps);
    this.snapshotter = new Snapshotter(deps);
  }

  /** Fails pending waits; the server calls this on shutdown. */
  close(): void {
    this.waits.close();
  }

  /** Status listings made so far (volumes, snapshots): shows that concurrent waits share look-ups. */
  get statusListings(): { volumes: number; snapshots: number } {
    return { volumes: this.waits.volumes.listings, snapshots: this.waits.snapshots.listings };
  }

  async createVolume(req: CreateVolumeRequest__Output, ctx: CallContext): Promise<CreateVolumeResponse> {
    const name = requireName('name', req.name);
    const needs = validateCapabilities(req.volumeCapabilities);
    const params = parseCreateParameters(req.parameters, req.mutableParameters);
    const requisite = allowedZones(req.accessibilityRequirements);
    if (params.availability && requisite.length > 0 && !requisite.includes(params.availability)) {
      throw resourceExhausted(
        `parameters.availability "${params.availability}" is not among the requisite topology zones (${requisite.join(', ')})`,
      );
    }
    return this.inFlight.run([`volume-name:${name}`], () => this.creator.create(name, needs, params, req, ctx));
  }

  async deleteVolume(req: DeleteVolumeRequest__Output, ctx: CallContext): Promise<DeleteVolumeResponse> {
    const volumeId = requireName('volume_id', req.volumeId);
    return this.inFlight.run([`volume:${volumeId}`], () => this.deleter.delete(volumeId, ctx));
  }

  async controllerPublishVolume(req: ControllerPublishVolumeRequest__Output, ctx: CallContext): Promise<ControllerPublishVolumeResponse> {
    const volumeId = requireName('volume_id', req.volumeId);
    const nodeId = requireName('node_id', req.nodeId);
    if (!req.volumeCapability) throw invalidArgument('volume_capability', 'expected the capability the volume is published with');
    const reason = unsupportedReason(req.volumeCapability);
    if (reason) throw invalidArgument('volume_capability', reason);
    const multiNode = isMultiNode(req.volumeCapability.accessMode?.mode ?? 'UNKNOWN');
    return this.inFlight.run([`volume:${volumeId}`], () => this.attacher.publish(volumeId, nodeId, multiNode, req, ctx));
  }

  async controllerUnpublishVolume(req: ControllerUnpublishVolumeRequest__Output, ctx: CallContext): Promise<ControllerUnpublishVolumeResponse> {
    const volumeId = requireName('volume_id', req.volumeId);
    // An empty node_id means "from every node" (the spec allows it).
    return this.inFlight.run([`volume:${volumeId}`], () => this.attacher.unpublish(volumeId, req.nodeId, ctx));
  }

  async validateVolumeCapabilities(req: ValidateVolumeCapabilitiesRequest__Output, ctx: CallContext): Promise<ValidateVolumeCapabilitiesResponse> {
    const volumeId = requireName('volume_id', req.volumeId);
    if (req.volumeCapabilities.length === 0) throw invalidArgument('volume_capabilities', 'expected at least one volume capability');
    return this.reader.validate(volumeId, req, ctx);
  }

  async listVolumes(req: ListVolumesRequest__Output, ctx: CallContext): Promise<ListVolumesResponse> {
    if (req.maxEntries < 0) throw invalidArgument('max_entries', 'expected zero (no limit) or a positive number');
    return this.reader.list(decodeToken('v', req.startingToken), req, ctx);
  }

  async getCapacity(_req: unknown, ctx: CallContext): Promise<GetCapacityResponse> {
    return this.reader.capacity(ctx);
  }

  async controllerGetCapabilities(): Promise<ControllerGetCapabilitiesResponse> {
    return { capabilities: CONTROLLER_CAPABILITIES.map((type) => ({ rpc: { type } })) };
  }

  async createSnapshot(req: CreateSnapshotRequest__Output, ctx: CallContext): Promise<CreateSnapshotResponse> {
    const name = requireName('name', req.name);
    const volumeId = requireName('source_volume_id', req.sourceVolumeId);
    const params = parseSnapshotParameters(req.parameters);
    return this.inFlight.run([`snapshot-name:${name}`], () => this.snapshotter.create(name, volumeId, params, ctx));
  }

  async deleteSnapshot(req: DeleteSnapshotRequest__Output, ctx: CallContext): Promise<DeleteSnapshotResponse> {
    const snapshotId = requireName('snapshot_id', req.snapshotId);
    return this.inFlight.run([`snapshot:${snapshotId}`], () => this.snapshotter.delete(snapshotId, ctx));
  }

  async listSnapshots(req: ListSnapshotsRequest__Output, ctx: CallContext): Promise<ListSnapshotsResponse> {
    if (req.maxEntries < 0) throw invalidArgument('max_entries', 'expected zero (no limit) or a positive number');
    const marker = decodeToken('s', req.startingToken);
    requireWithinLimit('snapshot_id', req.snapshotId);
    requireWithinLimit('source_volume_id', req.sourceVolumeId);
    return this.snapshotter.list(marker, req, ctx);
  }

  async controllerExpandVolume(req: ControllerExpandVolumeRequest__Output, ctx: CallContext): Promise<ControllerExpandVolumeResponse> {
    const volumeId = requireName('volume_id', req.volumeId);
    if (!req.capacityRange || (Number(req.capacityRange.requiredBytes) <= 0 && Number(req.capacityRange.limitBytes) <= 0)) {
      throw invalidArgument('capacity_range', 'expected required_bytes and/or limit_bytes for the new size');
    }
    const newSizeGiB = sizeForRange(req.capacityRange);
    const nodeExpansionRequired = !req.volumeCapability?.block;
    return this.inFlight.run([`volume:${volumeId}`], () => this.updater.expand(volumeId, newSizeGiB, nodeExpansionRequired, ctx));
  }

  async controllerGetVolume(req: ControllerGetVolumeRequest__Output, ctx: CallContext): Promise<ControllerGetVolumeResponse> {
    return this.reader.get(requireName('volume_id', req.volumeId), ctx);
  }

  async controllerModifyVolume(req: ControllerModifyVolumeRequest__Output, ctx: CallContext): Promise<ControllerModifyVolumeResponse> {
    const volumeId = requireName('volume_id', req.volumeId);
    if (Object.keys(req.mutableParameters).length === 0) {
      throw invalidArgument('mutable_parameters', `expected at least one parameter to change (${PARAM_TYPE})`);
    }
    for (const key of Object.keys(req.mutableParameters)) {
      if (key !== PARAM_TYPE) throw invalidArgument(`mutable_parameters.${key}`, `unknown mutable parameter; expected ${PARAM_TYPE}`);
    }
    const wanted = req.mutableParameters[PARAM_TYPE];
    if (wanted === undefined) return {};
    if (wanted.trim() === '') throw invalidArgument('mutable_parameters.type', 'expected a Cinder volume type name or id');
    return this.inFlight.run([`volume:${volumeId}`], () => this.updater.modify(volumeId, wanted, ctx));
  }
}
