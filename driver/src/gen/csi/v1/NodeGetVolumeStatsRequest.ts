// Original file: proto/csi.proto


export interface NodeGetVolumeStatsRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * Any path the volume is staged or published at. REQUIRED.
   */
  'volumePath'?: (string);
  /**
   * OPTIONAL.
   */
  'stagingTargetPath'?: (string);
}

export interface NodeGetVolumeStatsRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * Any path the volume is staged or published at. REQUIRED.
   */
  'volumePath': (string);
  /**
   * OPTIONAL.
   */
  'stagingTargetPath': (string);
}
