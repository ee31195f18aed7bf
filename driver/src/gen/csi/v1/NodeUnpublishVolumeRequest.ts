// Original file: proto/csi.proto


export interface NodeUnpublishVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * The SP MUST remove what it created here. REQUIRED.
   */
  'targetPath'?: (string);
}

export interface NodeUnpublishVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * The SP MUST remove what it created here. REQUIRED.
   */
  'targetPath': (string);
}
