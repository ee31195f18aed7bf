// Original file: proto/csi.proto

import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';

export interface ValidateVolumeCapabilitiesRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * OPTIONAL.
   */
  'volumeContext'?: ({[key: string]: string});
  /**
   * REQUIRED.
   */
  'volumeCapabilities'?: (_csi_v1_VolumeCapability)[];
  /**
   * OPTIONAL.
   */
  'parameters'?: ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'mutableParameters'?: ({[key: string]: string});
}

export interface ValidateVolumeCapabilitiesRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * OPTIONAL.
   */
  'volumeContext': ({[key: string]: string});
  /**
   * REQUIRED.
   */
  'volumeCapabilities': (_csi_v1_VolumeCapability__Output)[];
  /**
   * OPTIONAL.
   */
  'parameters': ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'mutableParameters': ({[key: string]: string});
}
