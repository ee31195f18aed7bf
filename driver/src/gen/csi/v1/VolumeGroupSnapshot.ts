// Original file: proto/csi.proto

import type { Snapshot as _csi_v1_Snapshot, Snapshot__Output as _csi_v1_Snapshot__Output } from '../../csi/v1/Snapshot';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface VolumeGroupSnapshot {
  /**
   * REQUIRED.
   */
  'groupSnapshotId'?: (string);
  /**
   * REQUIRED.
   */
  'snapshots'?: (_csi_v1_Snapshot)[];
  /**
   * REQUIRED.
   */
  'creationTime'?: (_google_protobuf_Timestamp | null);
  /**
   * True only when every member snapshot is ready. REQUIRED.
   */
  'readyToUse'?: (boolean);
}

export interface VolumeGroupSnapshot__Output {
  /**
   * REQUIRED.
   */
  'groupSnapshotId': (string);
  /**
   * REQUIRED.
   */
  'snapshots': (_csi_v1_Snapshot__Output)[];
  /**
   * REQUIRED.
   */
  'creationTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * True only when every member snapshot is ready. REQUIRED.
   */
  'readyToUse': (boolean);
}
