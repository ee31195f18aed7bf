// Original file: proto/csi.proto


export interface _csi_v1_PluginCapability_Service {
  'type'?: (_csi_v1_PluginCapability_Service_Type);
}

export interface _csi_v1_PluginCapability_Service__Output {
  'type': (_csi_v1_PluginCapability_Service_Type__Output);
}

// Original file: proto/csi.proto

export const _csi_v1_PluginCapability_Service_Type = {
  UNKNOWN: 'UNKNOWN',
  /**
   * The plugin serves the Controller service.
   */
  CONTROLLER_SERVICE: 'CONTROLLER_SERVICE',
  /**
   * Volumes may not be equally accessible from all nodes; the CO uses
   * topology from CreateVolume and NodeGetInfo.
   */
  VOLUME_ACCESSIBILITY_CONSTRAINTS: 'VOLUME_ACCESSIBILITY_CONSTRAINTS',
  /**
   * The plugin serves the GroupController service.
   */
  GROUP_CONTROLLER_SERVICE: 'GROUP_CONTROLLER_SERVICE',
  /**
   * The plugin serves the SnapshotMetadata service.
   */
  SNAPSHOT_METADATA_SERVICE: 'SNAPSHOT_METADATA_SERVICE',
} as const;

export type _csi_v1_PluginCapability_Service_Type =
  | 'UNKNOWN'
  | 0
  /**
   * The plugin serves the Controller service.
   */
  | 'CONTROLLER_SERVICE'
  | 1
  /**
   * Volumes may not be equally accessible from all nodes; the CO uses
   * topology from CreateVolume and NodeGetInfo.
   */
  | 'VOLUME_ACCESSIBILITY_CONSTRAINTS'
  | 2
  /**
   * The plugin serves the GroupController service.
   */
  | 'GROUP_CONTROLLER_SERVICE'
  | 3
  /**
   * The plugin serves the SnapshotMetadata service.
   */
  | 'SNAPSHOT_METADATA_SERVICE'
  | 4

export type _csi_v1_PluginCapability_Service_Type__Output = typeof _csi_v1_PluginCapability_Service_Type[keyof typeof _csi_v1_PluginCapability_Service_Type]

// Original file: proto/csi.proto

export const _csi_v1_PluginCapability_VolumeExpansion_Type = {
  UNKNOWN: 'UNKNOWN',
  /**
   * Volumes may be expanded while published to a node.
   */
  ONLINE: 'ONLINE',
  /**
   * Volumes published to a node SHALL NOT be expanded by
   * ControllerExpandVolume.
   */
  OFFLINE: 'OFFLINE',
} as const;

export type _csi_v1_PluginCapability_VolumeExpansion_Type =
  | 'UNKNOWN'
  | 0
  /**
   * Volumes may be expanded while published to a node.
   */
  | 'ONLINE'
  | 1
  /**
   * Volumes published to a node SHALL NOT be expanded by
   * ControllerExpandVolume.
   */
  | 'OFFLINE'
  | 2

export type _csi_v1_PluginCapability_VolumeExpansion_Type__Output = typeof _csi_v1_PluginCapability_VolumeExpansion_Type[keyof typeof _csi_v1_PluginCapability_VolumeExpansion_Type]

export interface _csi_v1_PluginCapability_VolumeExpansion {
  'type'?: (_csi_v1_PluginCapability_VolumeExpansion_Type);
}

export interface _csi_v1_PluginCapability_VolumeExpansion__Output {
  'type': (_csi_v1_PluginCapability_VolumeExpansion_Type__Output);
}

export interface PluginCapability {
  'service'?: (_csi_v1_PluginCapability_Service | null);
  'volumeExpansion'?: (_csi_v1_PluginCapability_VolumeExpansion | null);
  'type'?: "service"|"volumeExpansion";
}

export interface PluginCapability__Output {
  'service'?: (_csi_v1_PluginCapability_Service__Output | null);
  'volumeExpansion'?: (_csi_v1_PluginCapability_VolumeExpansion__Output | null);
  'type'?: "service"|"volumeExpansion";
}
