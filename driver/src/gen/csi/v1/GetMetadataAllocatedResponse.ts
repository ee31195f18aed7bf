// Original file: proto/csi.proto

import type { BlockMetadataType as _csi_v1_BlockMetadataType, BlockMetadataType__Output as _csi_v1_BlockMetadataType__Output } from '../../csi/v1/BlockMetadataType';
import type { BlockMetadata as _csi_v1_BlockMetadata, BlockMetadata__Output as _csi_v1_BlockMetadata__Output } from '../../csi/v1/BlockMetadata';
import type { Long } from '@grpc/proto-loader';

export interface GetMetadataAllocatedResponse {
  /**
   * REQUIRED.
   */
  'blockMetadataType'?: (_csi_v1_BlockMetadataType);
  /**
   * REQUIRED.
   */
  'volumeCapacityBytes'?: (number | string | Long);
  /**
   * REQUIRED.
   */
  'blockMetadata'?: (_csi_v1_BlockMetadata)[];
}

export interface GetMetadataAllocatedResponse__Output {
  /**
   * REQUIRED.
   */
  'blockMetadataType': (_csi_v1_BlockMetadataType__Output);
  /**
   * REQUIRED.
   */
  'volumeCapacityBytes': (number);
  /**
   * REQUIRED.
   */
  'blockMetadata': (_csi_v1_BlockMetadata__Output)[];
}
