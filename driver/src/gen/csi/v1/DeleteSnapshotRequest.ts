// Original file: proto/csi.proto


export interface DeleteSnapshotRequest {
  /**
   * REQUIRED.
   */
  'snapshotId'?: (string);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface DeleteSnapshotRequest__Output {
  /**
   * REQUIRED.
   */
  'snapshotId': (string);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
