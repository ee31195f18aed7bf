// Original file: proto/csi.proto


export interface _csi_v1_VolumeCapability_AccessMode {
  /**
   * REQUIRED.
   */
  'mode'?: (_csi_v1_VolumeCapability_AccessMode_Mode);
}

export interface _csi_v1_VolumeCapability_AccessMode__Output {
  /**
   * REQUIRED.
   */
  'mode': (_csi_v1_VolumeCapability_AccessMode_Mode__Output);
}

/**
 * Access through the block device API.
 */
export interface _csi_v1_VolumeCapability_BlockVolume {
}

/**
 * Access through the block device API.
 */
export interface _csi_v1_VolumeCapability_BlockVolume__Output {
}

// Original file: proto/csi.proto

export const _csi_v1_VolumeCapability_AccessMode_Mode = {
  UNKNOWN: 'UNKNOWN',
  /**
   * Read/write on one node at a time.
   */
  SINGLE_NODE_WRITER: 'SINGLE_NODE_WRITER',
  /**
   * Read-only on one node at a time.
   */
  SINGLE_NODE_READER_ONLY: 'SINGLE_NODE_READER_ONLY',
  /**
   * Read-only on many nodes at once.
   */
  MULTI_NODE_READER_ONLY: 'MULTI_NODE_READER_ONLY',
  /**
   * Many nodes, one of them read/write.
   */
  MULTI_NODE_SINGLE_WRITER: 'MULTI_NODE_SINGLE_WRITER',
  /**
   * Read/write on many nodes at once.
   */
  MULTI_NODE_MULTI_WRITER: 'MULTI_NODE_MULTI_WRITER',
  /**
   * Read/write by one workload on one node.
   */
  SINGLE_NODE_SINGLE_WRITER: 'SINGLE_NODE_SINGLE_WRITER',
  /**
   * Read/write by many workloads on one node.
   */
  SINGLE_NODE_MULTI_WRITER: 'SINGLE_NODE_MULTI_WRITER',
} as const;

export type _csi_v1_VolumeCapability_AccessMode_Mode =
  | 'UNKNOWN'
  | 0
  /**
   * Read/write on one node at a time.
   */
  | 'SINGLE_NODE_WRITER'
  | 1
  /**
   * Read-only on one node at a time.
   */
  | 'SINGLE_NODE_READER_ONLY'
  | 2
  /**
   * Read-only on many nodes at once.
   */
  | 'MULTI_NODE_READER_ONLY'
  | 3
  /**
   * Many nodes, one of them read/write.
   */
  | 'MULTI_NODE_SINGLE_WRITER'
  | 4
  /**
   * Read/write on many nodes at once.
   */
  | 'MULTI_NODE_MULTI_WRITER'
  | 5
  /**
   * Read/write by one workload on one node.
   */
  | 'SINGLE_NODE_SINGLE_WRITER'
  | 6
  /**
   * Read/write by many workloads on one node.
   */
  | 'SINGLE_NODE_MULTI_WRITER'
  | 7

export type _csi_v1_VolumeCapability_AccessMode_Mode__Output = typeof _csi_v1_VolumeCapability_AccessMode_Mode[keyof typeof _csi_v1_VolumeCapability_AccessMode_Mode]

/**
 * Access through the filesystem API.
 */
export interface _csi_v1_VolumeCapability_MountVolume {
  /**
   * OPTIONAL; empty means unspecified.
   */
  'fsType'?: (string);
  /**
   * OPTIONAL; MAY contain sensitive data, at most 4 KiB in total.
   */
  'mountFlags'?: (string)[];
  /**
   * Group id to pass to mount when the VOLUME_MOUNT_GROUP node
   * capability is advertised. OPTIONAL.
   */
  'volumeMountGroup'?: (string);
}

/**
 * Access through the filesystem API.
 */
export interface _csi_v1_VolumeCapability_MountVolume__Output {
  /**
   * OPTIONAL; empty means unspecified.
   */
  'fsType': (string);
  /**
   * OPTIONAL; MAY contain sensitive data, at most 4 KiB in total.
   */
  'mountFlags': (string)[];
  /**
   * Group id to pass to mount when the VOLUME_MOUNT_GROUP node
   * capability is advertised. OPTIONAL.
   */
  'volumeMountGroup': (string);
}

export interface VolumeCapability {
  'block'?: (_csi_v1_VolumeCapability_BlockVolume | null);
  'mount'?: (_csi_v1_VolumeCapability_MountVolume | null);
  /**
   * REQUIRED.
   */
  'accessMode'?: (_csi_v1_VolumeCapability_AccessMode | null);
  /**
   * Exactly one MUST be set.
   */
  'accessType'?: "block"|"mount";
}

export interface VolumeCapability__Output {
  'block'?: (_csi_v1_VolumeCapability_BlockVolume__Output | null);
  'mount'?: (_csi_v1_VolumeCapability_MountVolume__Output | null);
  /**
   * REQUIRED.
   */
  'accessMode': (_csi_v1_VolumeCapability_AccessMode__Output | null);
  /**
   * Exactly one MUST be set.
   */
  'accessType'?: "block"|"mount";
}
