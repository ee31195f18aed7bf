// Original file: proto/csi.proto

import type { Long } from '@grpc/proto-loader';

export interface GetMetadataDeltaRequest {
  /**
   * REQUIRED.
   */
  'baseSnapshotId'?: (string);
  /**
   * REQUIRED.
   */
  'targetSnapshotId'?: (string);
  /**
   * OPTIONAL.
   */
  'startingOffset'?: (number | string | Long);
  /**
   * OPTIONAL.
   */
  'maxResults'?: (number);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface GetMetadataDeltaRequest__Output {
  /**
   * REQUIRED.
   */
  'baseSnapshotId': (string);
  /**
   * REQUIRED.
   */
  'targetSnapshotId': (string);
  /**
   * OPTIONAL.
   */
  'startingOffset': (number);
  /**
   * OPTIONAL.
   */
  'maxResults': (number);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
