// Original file: proto/csi.proto


export interface DeleteVolumeGroupSnapshotRequest {
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

export interface DeleteVolumeGroupSnapshotRequest__Output {
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
