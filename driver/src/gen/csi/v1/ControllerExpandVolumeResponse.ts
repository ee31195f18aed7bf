// Original file: proto/csi.proto

import type { Long } from '@grpc/proto-loader';

export interface ControllerExpandVolumeResponse {
  /**
   * Size after expansion. REQUIRED.
   */
  'capacityBytes'?: (number | string | Long);
  /**
   * The CO must call NodeExpandVolume. REQUIRED.
   */
  'nodeExpansionRequired'?: (boolean);
}

export interface ControllerExpandVolumeResponse__Output {
  /**
   * Size after expansion. REQUIRED.
   */
  'capacityBytes': (number);
  /**
   * The CO must call NodeExpandVolume. REQUIRED.
   */
  'nodeExpansionRequired': (boolean);
}
