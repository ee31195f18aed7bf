// Original file: proto/csi.proto


export interface _csi_v1_VolumeContentSource_SnapshotSource {
  /**
   * REQUIRED.
   */
  'snapshotId'?: (string);
}

export interface _csi_v1_VolumeContentSource_SnapshotSource__Output {
  /**
   * REQUIRED.
   */
  'snapshotId': (string);
}

export interface _csi_v1_VolumeContentSource_VolumeSource {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
}

export interface _csi_v1_VolumeContentSource_VolumeSource__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
}

export interface VolumeContentSource {
  'snapshot'?: (_csi_v1_VolumeContentSource_SnapshotSource | null);
  'volume'?: (_csi_v1_VolumeContentSource_VolumeSource | null);
  'type'?: "snapshot"|"volume";
}

export interface VolumeContentSource__Output {
  'snapshot'?: (_csi_v1_VolumeContentSource_SnapshotSource__Output | null);
  'volume'?: (_csi_v1_VolumeContentSource_VolumeSource__Output | null);
  'type'?: "snapshot"|"volume";
}
