/**
 * One import point for every CSI message type generated from proto/csi.proto.
 * `Xxx` is what a sender builds (all fields optional), `Xxx__Output` is what a receiver gets
 * (defaults filled in, enums as strings, 64-bit integers as numbers).
 * Nested types keep the generator's `_csi_v1_Outer_Inner` names; the common ones get short aliases below.
 */
export * from '../gen/csi/v1/BlockMetadata';
export * from '../gen/csi/v1/BlockMetadataType';
export * from '../gen/csi/v1/CapacityRange';
export * from '../gen/csi/v1/ControllerExpandVolumeRequest';
export * from '../gen/csi/v1/ControllerExpandVolumeResponse';
export * from '../gen/csi/v1/ControllerGetCapabilitiesRequest';
export * from '../gen/csi/v1/ControllerGetCapabilitiesResponse';
export * from '../gen/csi/v1/ControllerGetVolumeRequest';
export * from '../gen/csi/v1/ControllerGetVolumeResponse';
export * from '../gen/csi/v1/ControllerModifyVolumeRequest';
export * from '../gen/csi/v1/ControllerModifyVolumeResponse';
export * from '../gen/csi/v1/ControllerPublishVolumeRequest';
export * from '../gen/csi/v1/ControllerPublishVolumeResponse';
export * from '../gen/csi/v1/ControllerServiceCapability';
export * from '../gen/csi/v1/ControllerUnpublishVolumeRequest';
export * from '../gen/csi/v1/ControllerUnpublishVolumeResponse';
export * from '../gen/csi/v1/CreateSnapshotRequest';
export * from '../gen/csi/v1/CreateSnapshotResponse';
export * from '../gen/csi/v1/CreateVolumeGroupSnapshotRequest';
export * from '../gen/csi/v1/CreateVolumeGroupSnapshotResponse';
export * from '../gen/csi/v1/CreateVolumeRequest';
export * from '../gen/csi/v1/CreateVolumeResponse';
export * from '../gen/csi/v1/DeleteSnapshotRequest';
export * from '../gen/csi/v1/DeleteSnapshotResponse';
export * from '../gen/csi/v1/DeleteVolumeGroupSnapshotRequest';
export * from '../gen/csi/v1/DeleteVolumeGroupSnapshotResponse';
export * from '../gen/csi/v1/DeleteVolumeRequest';
export * from '../gen/csi/v1/DeleteVolumeResponse';
export * from '../gen/csi/v1/GetCapacityRequest';
export * from '../gen/csi/v1/GetCapacityResponse';
export * from '../gen/csi/v1/GetMetadataAllocatedRequest';
export * from '../gen/csi/v1/GetMetadataAllocatedResponse';
export * from '../gen/csi/v1/GetMetadataDeltaRequest';
export * from '../gen/csi/v1/GetMetadataDeltaResponse';
export * from '../gen/csi/v1/GetPluginCapabilitiesRequest';
export * from '../gen/csi/v1/GetPluginCapabilitiesResponse';
export * from '../gen/csi/v1/GetPluginInfoRequest';
export * from '../gen/csi/v1/GetPluginInfoResponse';
export * from '../gen/csi/v1/GetSnapshotRequest';
export * from '../gen/csi/v1/GetSnapshotResponse';
export * from '../gen/csi/v1/GetVolumeGroupSnapshotRequest';
export * from '../gen/csi/v1/GetVolumeGroupSnapshotResponse';
export * from '../gen/csi/v1/GroupControllerGetCapabilitiesRequest';
export * from '../gen/csi/v1/GroupControllerGetCapabilitiesResponse';
export * from '../gen/csi/v1/GroupControllerServiceCapability';
export * from '../gen/csi/v1/ListSnapshotsRequest';
export * from '../gen/csi/v1/ListSnapshotsResponse';
export * from '../gen/csi/v1/ListVolumesRequest';
export * from '../gen/csi/v1/ListVolumesResponse';
export * from '../gen/csi/v1/NodeExpandVolumeRequest';
export * from '../gen/csi/v1/NodeExpandVolumeResponse';
export * from '../gen/csi/v1/NodeGetCapabilitiesRequest';
export * from '../gen/csi/v1/NodeGetCapabilitiesResponse';
export * from '../gen/csi/v1/NodeGetInfoRequest';
export * from '../gen/csi/v1/NodeGetInfoResponse';
export * from '../gen/csi/v1/NodeGetVolumeStatsRequest';
export * from '../gen/csi/v1/NodeGetVolumeStatsResponse';
export * from '../gen/csi/v1/NodePublishVolumeRequest';
export * from '../gen/csi/v1/NodePublishVolumeResponse';
export * from '../gen/csi/v1/NodeServiceCapability';
export * from '../gen/csi/v1/NodeStageVolumeRequest';
export * from '../gen/csi/v1/NodeStageVolumeResponse';
export * from '../gen/csi/v1/NodeUnpublishVolumeRequest';
export * from '../gen/csi/v1/NodeUnpublishVolumeResponse';
export * from '../gen/csi/v1/NodeUnstageVolumeRequest';
export * from '../gen/csi/v1/NodeUnstageVolumeResponse';
export * from '../gen/csi/v1/PluginCapability';
export * from '../gen/csi/v1/ProbeRequest';
export * from '../gen/csi/v1/ProbeResponse';
export * from '../gen/csi/v1/Snapshot';
export * from '../gen/csi/v1/Topology';
export * from '../gen/csi/v1/TopologyRequirement';
export * from '../gen/csi/v1/ValidateVolumeCapabilitiesRequest';
export * from '../gen/csi/v1/ValidateVolumeCapabilitiesResponse';
export * from '../gen/csi/v1/Volume';
export * from '../gen/csi/v1/VolumeCapability';
export * from '../gen/csi/v1/VolumeCondition';
export * from '../gen/csi/v1/VolumeContentSource';
export * from '../gen/csi/v1/VolumeGroupSnapshot';
export * from '../gen/csi/v1/VolumeUsage';
export type { BoolValue, BoolValue__Output } from '../gen/google/protobuf/BoolValue';
export type { Int64Value, Int64Value__Output } from '../gen/google/protobuf/Int64Value';
export type { Timestamp, Timestamp__Output } from '../gen/google/protobuf/Timestamp';

// Enum objects (value + type) under short names; the `__Output` type is the string form a receiver sees.
export {
  _csi_v1_VolumeCapability_AccessMode_Mode as AccessModeMode,
  type _csi_v1_VolumeCapability_AccessMode_Mode__Output as AccessModeMode__Output,
} from '../gen/csi/v1/VolumeCapability';
export {
  _csi_v1_ControllerServiceCapability_RPC_Type as ControllerRpcType,
  type _csi_v1_ControllerServiceCapability_RPC_Type__Output as ControllerRpcType__Output,
} from '../gen/csi/v1/ControllerServiceCapability';
export {
  _csi_v1_NodeServiceCapability_RPC_Type as NodeRpcType,
  type _csi_v1_NodeServiceCapability_RPC_Type__Output as NodeRpcType__Output,
} from '../gen/csi/v1/NodeServiceCapability';
export {
  _csi_v1_PluginCapability_Service_Type as PluginServiceType,
  type _csi_v1_PluginCapability_Service_Type__Output as PluginServiceType__Output,
  _csi_v1_PluginCapability_VolumeExpansion_Type as VolumeExpansionType,
  type _csi_v1_PluginCapability_VolumeExpansion_Type__Output as VolumeExpansionType__Output,
} from '../gen/csi/v1/PluginCapability';
export {
  _csi_v1_VolumeUsage_Unit as VolumeUsageUnit,
  type _csi_v1_VolumeUsage_Unit__Output as VolumeUsageUnit__Output,
} from '../gen/csi/v1/VolumeUsage';
export type {
  _csi_v1_VolumeCapability_AccessMode as AccessMode,
  _csi_v1_VolumeCapability_AccessMode__Output as AccessMode__Output,
  _csi_v1_VolumeCapability_BlockVolume as BlockVolume,
  _csi_v1_VolumeCapability_BlockVolume__Output as BlockVolume__Output,
  _csi_v1_VolumeCapability_MountVolume as MountVolume,
  _csi_v1_VolumeCapability_MountVolume__Output as MountVolume__Output,
} from '../gen/csi/v1/VolumeCapability';
export type {
  _csi_v1_VolumeContentSource_SnapshotSource as SnapshotSource,
  _csi_v1_VolumeContentSource_SnapshotSource__Output as SnapshotSource__Output,
  _csi_v1_VolumeContentSource_VolumeSource as VolumeSource,
  _csi_v1_VolumeContentSource_VolumeSource__Output as VolumeSource__Output,
} from '../gen/csi/v1/VolumeContentSource';
export type {
  _csi_v1_ListVolumesResponse_Entry as ListVolumesEntry,
  _csi_v1_ListVolumesResponse_VolumeStatus as ListVolumesVolumeStatus,
} from '../gen/csi/v1/ListVolumesResponse';
export type { _csi_v1_ListSnapshotsResponse_Entry as ListSnapshotsEntry } from '../gen/csi/v1/ListSnapshotsResponse';
export type { _csi_v1_ControllerGetVolumeResponse_VolumeStatus as ControllerGetVolumeStatus } from '../gen/csi/v1/ControllerGetVolumeResponse';
export type { _csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed as ValidateVolumeCapabilitiesConfirmed } from '../gen/csi/v1/ValidateVolumeCapabilitiesResponse';
