// Original file: proto/csi.proto


export interface CreateVolumeGroupSnapshotRequest {
  /**
   * Idempotency key and suggested name. REQUIRED.
   */
  'name'?: (string);
  /**
   * REQUIRED.
   */
  'sourceVolumeIds'?: (string)[];
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'parameters'?: ({[key: string]: string});
}

export interface CreateVolumeGroupSnapshotRequest__Output {
  /**
   * Idempotency key and suggested name. REQUIRED.
   */
  'name': (string);
  /**
   * REQUIRED.
   */
  'sourceVolumeIds': (string)[];
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'parameters': ({[key: string]: string});
}
