// Original file: proto/csi.proto

import type { CapacityRange as _csi_v1_CapacityRange, CapacityRange__Output as _csi_v1_CapacityRange__Output } from '../../csi/v1/CapacityRange';
import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';

export interface ControllerExpandVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * Size after expansion. REQUIRED.
   */
  'capacityRange'?: (_csi_v1_CapacityRange | null);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * How the CO uses the volume (block or mount). OPTIONAL.
   */
  'volumeCapability'?: (_csi_v1_VolumeCapability | null);
}

export interface ControllerExpandVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * Size after expansion. REQUIRED.
   */
  'capacityRange': (_csi_v1_CapacityRange__Output | null);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * How the CO uses the volume (block or mount). OPTIONAL.
   */
  'volumeCapability': (_csi_v1_VolumeCapability__Output | null);
}
