import type { CallContext } from './call-context';
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
  GetPluginCapabilitiesRequest__Output,
  GetPluginCapabilitiesResponse,
  GetPluginInfoRequest__Output,
  GetPluginInfoResponse,
  ListSnapshotsRequest__Output,
  ListSnapshotsResponse,
  ListVolumesRequest__Output,
  ListVolumesResponse,
  NodeExpandVolumeRequest__Output,
  NodeExpandVolumeResponse,
  NodeGetCapabilitiesRequest__Output,
  NodeGetCapabilitiesResponse,
  NodeGetInfoRequest__Output,
  NodeGetInfoResponse,
  NodeGetVolumeStatsRequest__Output,
  NodeGetVolumeStatsResponse,
  NodePublishVolumeRequest__Output,
  NodePublishVolumeResponse,
  NodeStageVolumeRequest__Output,
  NodeStageVolumeResponse,
  NodeUnpublishVolumeRequest__Output,
  NodeUnpublishVolumeResponse,
  NodeUnstageVolumeRequest__Output,
  NodeUnstageVolumeResponse,
  ProbeRequest__Output,
  ProbeResponse,
  ValidateVolumeCapabilitiesRequest__Output,
  ValidateVolumeCapabilitiesResponse,
} from './csi-types';

// Every message type is importable from here too, so handler code needs one import path.
export * from './csi-types';
export type { CallContext } from './call-context';

/**
 * One CSI RPC. `req` is what the server decoded (defaults filled in: absent strings are '', absent maps {},
 * absent messages null); the returned object is encoded as the response. Throw a CsiError (see ./errors) to
 * answer with a specific gRPC status; anything else thrown becomes INTERNAL with a short message.
 */
export type Handler<Req, Res> = (req: Req, ctx: CallContext) => Promise<Res>;

export interface IdentityService {
  getPluginInfo: Handler<GetPluginInfoRequest__Output, GetPluginInfoResponse>;
  getPluginCapabilities: Handler<GetPluginCapabilitiesRequest__Output, GetPluginCapabilitiesResponse>;
  probe: Handler<ProbeRequest__Output, ProbeResponse>;
}

/**
 * The Controller service. A method left out (optional members are allowed by the server: see
 * `Partial<ControllerService>` in startCsiServer) answers UNIMPLEMENTED.
 */
export interface ControllerService {
  createVolume: Handler<CreateVolumeRequest__Output, CreateVolumeResponse>;
  deleteVolume: Handler<DeleteVolumeRequest__Output, DeleteVolumeResponse>;
  controllerPublishVolume: Handler<ControllerPublishVolumeRequest__Output, ControllerPublishVolumeResponse>;
  controllerUnpublishVolume: Handler<ControllerUnpublishVolumeRequest__Output, ControllerUnpublishVolumeResponse>;
  validateVolumeCapabilities: Handler<ValidateVolumeCapabilitiesRequest__Output, ValidateVolumeCapabilitiesResponse>;
  listVolumes: Handler<ListVolumesRequest__Output, ListVolumesResponse>;
  getCapacity: Handler<GetCapacityRequest__Output, GetCapacityResponse>;
  controllerGetCapabilities: Handler<ControllerGetCapabilitiesRequest__Output, ControllerGetCapabilitiesResponse>;
  createSnapshot: Handler<CreateSnapshotRequest__Output, CreateSnapshotResponse>;
  deleteSnapshot: Handler<DeleteSnapshotRequest__Output, DeleteSnapshotResponse>;
  listSnapshots: Handler<ListSnapshotsRequest__Output, ListSnapshotsResponse>;
  controllerExpandVolume: Handler<ControllerExpandVolumeRequest__Output, ControllerExpandVolumeResponse>;
  controllerGetVolume: Handler<ControllerGetVolumeRequest__Output, ControllerGetVolumeResponse>;
  controllerModifyVolume: Handler<ControllerModifyVolumeRequest__Output, ControllerModifyVolumeResponse>;
}

export interface NodeService {
  nodeStageVolume: Handler<NodeStageVolumeRequest__Output, NodeStageVolumeResponse>;
  nodeUnstageVolume: Handler<NodeUnstageVolumeRequest__Output, NodeUnstageVolumeResponse>;
  nodePublishVolume: Handler<NodePublishVolumeRequest__Output, NodePublishVolumeResponse>;
  nodeUnpublishVolume: Handler<NodeUnpublishVolumeRequest__Output, NodeUnpublishVolumeResponse>;
  nodeGetVolumeStats: Handler<NodeGetVolumeStatsRequest__Output, NodeGetVolumeStatsResponse>;
  nodeExpandVolume: Handler<NodeExpandVolumeRequest__Output, NodeExpandVolumeResponse>;
  nodeGetCapabilities: Handler<NodeGetCapabilitiesRequest__Output, NodeGetCapabilitiesResponse>;
  nodeGetInfo: Handler<NodeGetInfoRequest__Output, NodeGetInfoResponse>;
}

/** RPC name (as in csi.proto) for each handler method, per service; the server registers from these. */
export const IDENTITY_RPCS: Readonly<Record<keyof IdentityService, string>> = {
  getPluginInfo: 'GetPluginInfo',
  getPluginCapabilities: 'GetPluginCapabilities',
  probe: 'Probe',
};

export const CONTROLLER_RPCS: Readonly<Record<keyof ControllerService, string>> = {
  createVolume: 'CreateVolume',
  deleteVolume: 'DeleteVolume',
  controllerPublishVolume: 'ControllerPublishVolume',
  controllerUnpublishVolume: 'ControllerUnpublishVolume',
  validateVolumeCapabilities: 'ValidateVolumeCapabilities',
  listVolumes: 'ListVolumes',
  getCapacity: 'GetCapacity',
  controllerGetCapabilities: 'ControllerGetCapabilities',
  createSnapshot: 'CreateSnapshot',
  deleteSnapshot: 'DeleteSnapshot',
  listSnapshots: 'ListSnapshots',
  controllerExpandVolume: 'ControllerExpandVolume',
  controllerGetVolume: 'ControllerGetVolume',
  controllerModifyVolume: 'ControllerModifyVolume',
};

export const NODE_RPCS: Readonly<Record<keyof NodeService, string>> = {
  nodeStageVolume: 'NodeStageVolume',
  nodeUnstageVolume: 'NodeUnstageVolume',
  nodePublishVolume: 'NodePublishVolume',
  nodeUnpublishVolume: 'NodeUnpublishVolume',
  nodeGetVolumeStats: 'NodeGetVolumeStats',
  nodeExpandVolume: 'NodeExpandVolume',
  nodeGetCapabilities: 'NodeGetCapabilities',
  nodeGetInfo: 'NodeGetInfo',
};
