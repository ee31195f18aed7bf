// Original file: proto/csi.proto


export interface GetSnapshotRequest {
  /**
   * REQUIRED.
   */
  'snapshotId'?: (string);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface GetSnapshotRequest__Output {
  /**
   * REQUIRED.
   */
  'snapshotId': (string);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
