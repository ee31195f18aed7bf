// Original file: proto/csi.proto


export interface DeleteVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface DeleteVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
