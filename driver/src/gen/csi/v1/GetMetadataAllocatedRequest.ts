// Original file: proto/csi.proto

import type { Long } from '@grpc/proto-loader';

export interface GetMetadataAllocatedRequest {
  /**
   * REQUIRED.
   */
  'snapshotId'?: (string);
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

export interface GetMetadataAllocatedRequest__Output {
  /**
   * REQUIRED.
   */
  'snapshotId': (string);
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
