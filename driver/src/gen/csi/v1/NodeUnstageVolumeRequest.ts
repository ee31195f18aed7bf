// Original file: proto/csi.proto


export interface NodeUnstageVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * REQUIRED.
   */
  'stagingTargetPath'?: (string);
}

export interface NodeUnstageVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * REQUIRED.
   */
  'stagingTargetPath': (string);
}
