// Original file: proto/csi.proto


export interface ControllerGetVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
}

export interface ControllerGetVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
}
