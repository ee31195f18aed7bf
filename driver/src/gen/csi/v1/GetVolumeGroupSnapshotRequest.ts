// Original file: proto/csi.proto


export interface GetVolumeGroupSnapshotRequest {
  /**
   * REQUIRED.
   */
  'groupSnapshotId'?: (string);
  /**
   * REQUIRED.
   */
  'snapshotIds'?: (string)[];
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface GetVolumeGroupSnapshotRequest__Output {
  /**
   * REQUIRED.
   */
  'groupSnapshotId': (string);
  /**
   * REQUIRED.
   */
  'snapshotIds': (string)[];
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
