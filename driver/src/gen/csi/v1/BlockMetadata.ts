// Original file: proto/csi.proto

import type { Long } from '@grpc/proto-loader';

export interface BlockMetadata {
  /**
   * REQUIRED.
   */
  'byteOffset'?: (number | string | Long);
  /**
   * REQUIRED.
   */
  'sizeBytes'?: (number | string | Long);
}

export interface BlockMetadata__Output {
  /**
   * REQUIRED.
   */
  'byteOffset': (number);
  /**
   * REQUIRED.
   */
  'sizeBytes': (number);
}
