// Original file: proto/csi.proto


export interface ListSnapshotsRequest {
  /**
   * Page size; 0 means no limit. OPTIONAL.
   */
  'maxEntries'?: (number);
  /**
   * OPTIONAL.
   */
  'startingToken'?: (string);
  /**
   * Filter by source volume. OPTIONAL.
   */
  'sourceVolumeId'?: (string);
  /**
   * Filter to one snapshot. OPTIONAL.
   */
  'snapshotId'?: (string);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface ListSnapshotsRequest__Output {
  /**
   * Page size; 0 means no limit. OPTIONAL.
   */
  'maxEntries': (number);
  /**
   * OPTIONAL.
   */
  'startingToken': (string);
  /**
   * Filter by source volume. OPTIONAL.
   */
  'sourceVolumeId': (string);
  /**
   * Filter to one snapshot. OPTIONAL.
   */
  'snapshotId': (string);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
