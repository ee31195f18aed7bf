// Original file: proto/csi.proto


export interface ControllerUnpublishVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * When empty, unpublish from every node. OPTIONAL.
   */
  'nodeId'?: (string);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface ControllerUnpublishVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * When empty, unpublish from every node. OPTIONAL.
   */
  'nodeId': (string);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
