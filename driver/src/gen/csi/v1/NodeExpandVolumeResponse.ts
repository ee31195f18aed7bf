// Original file: proto/csi.proto

import type { Long } from '@grpc/proto-loader';

export interface NodeExpandVolumeResponse {
  /**
   * OPTIONAL.
   */
  'capacityBytes'?: (number | string | Long);
}

export interface NodeExpandVolumeResponse__Output {
  /**
   * OPTIONAL.
   */
  'capacityBytes': (number);
}
