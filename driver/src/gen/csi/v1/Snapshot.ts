// Original file: proto/csi.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface Snapshot {
  /**
   * Size in bytes; 0 means unknown. MUST NOT be negative.
   */
  'sizeBytes'?: (number | string | Long);
  /**
   * REQUIRED.
   */
  'snapshotId'?: (string);
  /**
   * REQUIRED.
   */
  'sourceVolumeId'?: (string);
  /**
   * When the point-in-time snapshot was taken. REQUIRED.
   */
  'creationTime'?: (_google_protobuf_Timestamp | null);
  /**
   * Usable as a volume content source. REQUIRED.
   */
  'readyToUse'?: (boolean);
  /**
   * Group snapshot this snapshot belongs to. OPTIONAL.
   */
  'groupSnapshotId'?: (string);
}

export interface Snapshot__Output {
  /**
   * Size in bytes; 0 means unknown. MUST NOT be negative.
   */
  'sizeBytes': (number);
  /**
   * REQUIRED.
   */
  'snapshotId': (string);
  /**
   * REQUIRED.
   */
  'sourceVolumeId': (string);
  /**
   * When the point-in-time snapshot was taken. REQUIRED.
   */
  'creationTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * Usable as a volume content source. REQUIRED.
   */
  'readyToUse': (boolean);
  /**
   * Group snapshot this snapshot belongs to. OPTIONAL.
   */
  'groupSnapshotId': (string);
}
