import * as protobuf from 'protobufjs';
import { parseCsiProto } from '../../scripts/csi-descriptor';
import { loadCsiRoot } from '../../src/grpc/csi-proto';
import { CONTROLLER_RPCS, IDENTITY_RPCS, NODE_RPCS } from '../../src/grpc/services';

/**
 * The CSI v1.12 wire contract: every message's field numbers and every enum's values, as the public spec
 * defines them (checked against the spec's csi.proto and a generated Go binding). kubelet and the sidecars
 * break silently if any of these change, so an edit to proto/csi.proto that moves one must fail here.
 */
const WIRE = [
  'GetPluginInfoRequest {  }',
  'GetPluginInfoResponse { name=1 vendorVersion=2 manifest=3 }',
  'GetPluginCapabilitiesRequest {  }',
  'GetPluginCapabilitiesResponse { capabilities=1 }',
  'PluginCapability { service=1 volumeExpansion=2 }',
  'PluginCapability.Service { type=1 }',
  'PluginCapability.Service.Type [ UNKNOWN=0 CONTROLLER_SERVICE=1 VOLUME_ACCESSIBILITY_CONSTRAINTS=2 GROUP_CONTROLLER_SERVICE=3 SNAPSHOT_METADATA_SERVICE=4 ]',
  'PluginCapability.VolumeExpansion { type=1 }',
  'PluginCapability.VolumeExpansion.Type [ UNKNOWN=0 ONLINE=1 OFFLINE=2 ]',
  'ProbeRequest {  }',
  'ProbeResponse { ready=1 }',
  'CreateVolumeRequest { name=1 capacityRange=2 volumeCapabilities=3 parameters=4 secrets=5 volumeContentSource=6 accessibilityRequirements=7 mutableParameters=8 }',
  'VolumeContentSource { snapshot=1 volume=2 }',
  'VolumeContentSource.SnapshotSource { snapshotId=1 }',
  'VolumeContentSource.VolumeSource { volumeId=1 }',
  'CreateVolumeResponse { volume=1 }',
  'VolumeCapability { block=1 mount=2 accessMode=3 }',
  'VolumeCapability.BlockVolume {  }',
  'VolumeCapability.MountVolume { fsType=1 mountFlags=2 volumeMountGroup=3 }',
  'VolumeCapability.AccessMode { mode=1 }',
  'VolumeCapability.AccessMode.Mode [ UNKNOWN=0 SINGLE_NODE_WRITER=1 SINGLE_NODE_READER_ONLY=2 MULTI_NODE_READER_ONLY=3 MULTI_NODE_SINGLE_WRITER=4 MULTI_NODE_MULTI_WRITER=5 SINGLE_NODE_SINGLE_WRITER=6 SINGLE_NODE_MULTI_WRITER=7 ]',
  'CapacityRange { requiredBytes=1 limitBytes=2 }',
  'Volume { capacityBytes=1 volumeId=2 volumeContext=3 contentSource=4 accessibleTopology=5 }',
  'TopologyRequirement { requisite=1 preferred=2 }',
  'Topology { segments=1 }',
  'DeleteVolumeRequest { volumeId=1 secrets=2 }',
  'DeleteVolumeResponse {  }',
  'ControllerPublishVolumeRequest { volumeId=1 nodeId=2 volumeCapability=3 readonly=4 secrets=5 volumeContext=6 }',
  'ControllerPublishVolumeResponse { publishContext=1 }',
  'ControllerUnpublishVolumeRequest { volumeId=1 nodeId=2 secrets=3 }',
  'ControllerUnpublishVolumeResponse {  }',
  'ValidateVolumeCapabilitiesRequest { volumeId=1 volumeContext=2 volumeCapabilities=3 parameters=4 secrets=5 mutableParameters=6 }',
  'ValidateVolumeCapabilitiesResponse { confirmed=1 message=2 }',
  'ValidateVolumeCapabilitiesResponse.Confirmed { volumeContext=1 volumeCapabilities=2 parameters=3 mutableParameters=4 }',
  'ListVolumesRequest { maxEntries=1 startingToken=2 }',
  'ListVolumesResponse { entries=1 nextToken=2 }',
  'ListVolumesResponse.VolumeStatus { publishedNodeIds=1 volumeCondition=2 }',
  'ListVolumesResponse.Entry { volume=1 status=2 }',
  'ControllerGetVolumeRequest { volumeId=1 }',
  'ControllerGetVolumeResponse { volume=1 status=2 }',
  'ControllerGetVolumeResponse.VolumeStatus { publishedNodeIds=1 volumeCondition=2 }',
  'ControllerModifyVolumeRequest { volumeId=1 secrets=2 mutableParameters=3 }',
  'ControllerModifyVolumeResponse {  }',
  'GetCapacityRequest { volumeCapabilities=1 parameters=2 accessibleTopology=3 }',
  'GetCapacityResponse { availableCapacity=1 maximumVolumeSize=2 minimumVolumeSize=3 }',
  'ControllerGetCapabilitiesRequest {  }',
  'ControllerGetCapabilitiesResponse { capabilities=1 }',
  'ControllerServiceCapability { rpc=1 }',
  'ControllerServiceCapability.RPC { type=1 }',
  'ControllerServiceCapability.RPC.Type [ UNKNOWN=0 CREATE_DELETE_VOLUME=1 PUBLISH_UNPUBLISH_VOLUME=2 LIST_VOLUMES=3 GET_CAPACITY=4 CREATE_DELETE_SNAPSHOT=5 LIST_SNAPSHOTS=6 CLONE_VOLUME=7 PUBLISH_READONLY=8 EXPAND_VOLUME=9 LIST_VOLUMES_PUBLISHED_NODES=10 VOLUME_CONDITION=11 GET_VOLUME=12 SINGLE_NODE_MULTI_WRITER=13 MODIFY_VOLUME=14 GET_SNAPSHOT=15 ]',
  'CreateSnapshotRequest { sourceVolumeId=1 name=2 secrets=3 parameters=4 }',
  'CreateSnapshotResponse { snapshot=1 }',
  'Snapshot { sizeBytes=1 snapshotId=2 sourceVolumeId=3 creationTime=4 readyToUse=5 groupSnapshotId=6 }',
  'DeleteSnapshotRequest { snapshotId=1 secrets=2 }',
  'DeleteSnapshotResponse {  }',
  'ListSnapshotsRequest { maxEntries=1 startingToken=2 sourceVolumeId=3 snapshotId=4 secrets=5 }',
  'ListSnapshotsResponse { entries=1 nextToken=2 }',
  'ListSnapshotsResponse.Entry { snapshot=1 }',
  'GetSnapshotRequest { snapshotId=1 secrets=2 }',
  'GetSnapshotResponse { snapshot=1 }',
  'ControllerExpandVolumeRequest { volumeId=1 capacityRange=2 secrets=3 volumeCapability=4 }',
  'ControllerExpandVolumeResponse { capacityBytes=1 nodeExpansionRequired=2 }',
  'GroupControllerGetCapabilitiesRequest {  }',
  'GroupControllerGetCapabilitiesResponse { capabilities=1 }',
  'GroupControllerServiceCapability { rpc=1 }',
  'GroupControllerServiceCapability.RPC { type=1 }',
  'GroupControllerServiceCapability.RPC.Type [ UNKNOWN=0 CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT=1 ]',
  'CreateVolumeGroupSnapshotRequest { name=1 sourceVolumeIds=2 secrets=3 parameters=4 }',
  'CreateVolumeGroupSnapshotResponse { groupSnapshot=1 }',
  'VolumeGroupSnapshot { groupSnapshotId=1 snapshots=2 creationTime=3 readyToUse=4 }',
  'DeleteVolumeGroupSnapshotRequest { groupSnapshotId=1 snapshotIds=2 secrets=3 }',
  'DeleteVolumeGroupSnapshotResponse {  }',
  'GetVolumeGroupSnapshotRequest { groupSnapshotId=1 snapshotIds=2 secrets=3 }',
  'GetVolumeGroupSnapshotResponse { groupSnapshot=1 }',
  'BlockMetadataType [ UNKNOWN=0 FIXED_LENGTH=1 VARIABLE_LENGTH=2 ]',
  'BlockMetadata { byteOffset=1 sizeBytes=2 }',
  'GetMetadataAllocatedRequest { snapshotId=1 startingOffset=2 maxResults=3 secrets=4 }',
  'GetMetadataAllocatedResponse { blockMetadataType=1 volumeCapacityBytes=2 blockMetadata=3 }',
  'GetMetadataDeltaRequest { baseSnapshotId=1 targetSnapshotId=2 startingOffset=3 maxResults=4 secrets=5 }',
  'GetMetadataDeltaResponse { blockMetadataType=1 volumeCapacityBytes=2 blockMetadata=3 }',
  'NodeStageVolumeRequest { volumeId=1 publishContext=2 stagingTargetPath=3 volumeCapability=4 secrets=5 volumeContext=6 }',
  'NodeStageVolumeResponse {  }',
  'NodeUnstageVolumeRequest { volumeId=1 stagingTargetPath=2 }',
  'NodeUnstageVolumeResponse {  }',
  'NodePublishVolumeRequest { volumeId=1 publishContext=2 stagingTargetPath=3 targetPath=4 volumeCapability=5 readonly=6 secrets=7 volumeContext=8 }',
  'NodePublishVolumeResponse {  }',
  'NodeUnpublishVolumeRequest { volumeId=1 targetPath=2 }',
  'NodeUnpublishVolumeResponse {  }',
  'NodeGetVolumeStatsRequest { volumeId=1 volumePath=2 stagingTargetPath=3 }',
  'NodeGetVolumeStatsResponse { usage=1 volumeCondition=2 }',
  'VolumeUsage { available=1 total=2 used=3 unit=4 }',
  'VolumeUsage.Unit [ UNKNOWN=0 BYTES=1 INODES=2 ]',
  'VolumeCondition { abnormal=1 message=2 }',
  'NodeGetCapabilitiesRequest {  }',
  'NodeGetCapabilitiesResponse { capabilities=1 }',
  'NodeServiceCapability { rpc=1 }',
  'NodeServiceCapability.RPC { type=1 }',
  'NodeServiceCapability.RPC.Type [ UNKNOWN=0 STAGE_UNSTAGE_VOLUME=1 GET_VOLUME_STATS=2 EXPAND_VOLUME=3 VOLUME_CONDITION=4 SINGLE_NODE_MULTI_WRITER=5 VOLUME_MOUNT_GROUP=6 ]',
  'NodeGetInfoRequest {  }',
  'NodeGetInfoResponse { nodeId=1 maxVolumesPerNode=2 accessibleTopology=3 }',
  'NodeExpandVolumeRequest { volumeId=1 volumePath=2 capacityRange=3 stagingTargetPath=4 volumeCapability=5 secrets=6 }',
  'NodeExpandVolumeResponse { capacityBytes=1 }',
];

function describeNamespace(ns: protobuf.NamespaceBase, prefix = ''): string[] {
  const out: string[] = [];
  for (const x of ns.nestedArray) {
    if (x instanceof protobuf.Type) {
      out.push(`${prefix}${x.name} { ${x.fieldsArray.map((f) => `${f.name}=${f.id}`).join(' ')} }`);
      out.push(...describeNamespace(x, `${prefix}${x.name}.`));
    } else if (x instanceof protobuf.Enum) {
      out.push(`${prefix}${x.name} [ ${Object.entries(x.values).map(([k, v]) => `${k}=${v}`).join(' ')} ]`);
    }
  }
  return out;
}

describe('proto/csi.proto', () => {
  const root = loadCsiRoot();

  it('keeps the CSI v1.12 field numbers and enum values', () => {
    expect(describeNamespace(root.lookup('csi.v1') as protobuf.Namespace)).toEqual(WIRE);
  });

  it('declares the custom options with the spec extension numbers', () => {
    // The proto as written (the driver's runtime descriptor keeps the options' values on the fields, not the
    // declarations). protobufjs camel-cases the extension names (csi_secret -> csiSecret) since keepCase is off.
    const declared = parseCsiProto();
    const extension = (name: string): { id: number; extend: string | undefined } => {
      const field = declared.lookup(`csi.v1.${name}`) as protobuf.Field;
      return { id: field.id, extend: field.extend };
    };
    expect(extension('csiSecret')).toEqual({ id: 1059, extend: 'google.protobuf.FieldOptions' });
    expect(extension('alphaField')).toEqual({ id: 1060, extend: 'google.protobuf.FieldOptions' });
    expect(extension('alphaEnum')).toEqual({ id: 1060, extend: 'google.protobuf.EnumOptions' });
    expect(extension('alphaEnumValue')).toEqual({ id: 1060, extend: 'google.protobuf.EnumValueOptions' });
    expect(extension('alphaMessage')).toEqual({ id: 1060, extend: 'google.protobuf.MessageOptions' });
    expect(extension('alphaMethod')).toEqual({ id: 1060, extend: 'google.protobuf.MethodOptions' });
    expect(extension('alphaService')).toEqual({ id: 1060, extend: 'google.protobuf.ServiceOptions' });
  });

  it('offers the Identity, Controller, Node, GroupController and SnapshotMetadata services', () => {
    const services = (root.lookup('csi.v1') as protobuf.Namespace).nestedArray.filter((x) => x instanceof protobuf.Service).map((s) => s.name);
    expect(services).toEqual(['Identity', 'Controller', 'GroupController', 'SnapshotMetadata', 'Node']);
  });

  it('names every handler in services.ts after an RPC of the proto, in lowerCamelCase', () => {
    const rpcs = (service: string): string[] => (root.lookup(`csi.v1.${service}`) as protobuf.Service).methodsArray.map((m) => m.name);
    for (const [service, table] of [
      ['Identity', IDENTITY_RPCS],
      ['Controller', CONTROLLER_RPCS],
      ['Node', NODE_RPCS],
    ] as const) {
      for (const [handler, rpc] of Object.entries(table)) {
        expect(rpcs(service)).toContain(rpc);
        expect(handler).toBe(rpc.charAt(0).toLowerCase() + rpc.slice(1));
      }
    }
    // Everything but the alpha GetSnapshot has a handler slot.
    expect(rpcs('Controller').filter((r) => !Object.values(CONTROLLER_RPCS).includes(r))).toEqual(['GetSnapshot']);
    expect(rpcs('Node').filter((r) => !Object.values(NODE_RPCS).includes(r))).toEqual([]);
  });
});

