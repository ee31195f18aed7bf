// Original file: proto/csi.proto

import type { CapacityRange as _csi_v1_CapacityRange, CapacityRange__Output as _csi_v1_CapacityRange__Output } from '../../csi/v1/CapacityRange';
import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';

export interface NodeExpandVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * REQUIRED.
   */
  'volumePath'?: (string);
  /**
   * OPTIONAL; when omitted the plugin MAY grow to the device size.
   */
  'capacityRange'?: (_csi_v1_CapacityRange | null);
  /**
   * OPTIONAL.
   */
  'stagingTargetPath'?: (string);
  /**
   * OPTIONAL.
   */
  'volumeCapability'?: (_csi_v1_VolumeCapability | null);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
}

export interface NodeExpandVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * REQUIRED.
   */
  'volumePath': (string);
  /**
   * OPTIONAL; when omitted the plugin MAY grow to the device size.
   */
  'capacityRange': (_csi_v1_CapacityRange__Output | null);
  /**
   * OPTIONAL.
   */
  'stagingTargetPath': (string);
  /**
   * OPTIONAL.
   */
  'volumeCapability': (_csi_v1_VolumeCapability__Output | null);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
}
