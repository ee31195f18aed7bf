// Original file: proto/csi.proto


export interface ControllerModifyVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * Parameters to change (VolumeAttributesClass parameters). REQUIRED.
   */
  'mutableParameters'?: ({[key: string]: string});
}

export interface ControllerModifyVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * Parameters to change (VolumeAttributesClass parameters). REQUIRED.
   */
  'mutableParameters': ({[key: string]: string});
}
