// Original file: proto/csi.proto


export interface CreateSnapshotRequest {
  /**
   * REQUIRED.
   */
  'sourceVolumeId'?: (string);
  /**
   * Idempotency key and suggested name. REQUIRED.
   */
  'name'?: (string);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * Opaque plugin parameters (VolumeSnapshotClass). OPTIONAL.
   */
  'parameters'?: ({[key: string]: string});
}

export interface CreateSnapshotRequest__Output {
  /**
   * REQUIRED.
   */
  'sourceVolumeId': (string);
  /**
   * Idempotency key and suggested name. REQUIRED.
   */
  'name': (string);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * Opaque plugin parameters (VolumeSnapshotClass). OPTIONAL.
   */
  'parameters': ({[key: string]: string});
}
