// Original file: proto/csi.proto

import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';

export interface _csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed {
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
  'mutableParameters'?: ({[key: string]: string});
}

export interface _csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed__Output {
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
  'mutableParameters': ({[key: string]: string});
}

export interface ValidateVolumeCapabilitiesResponse {
  /**
   * Set only when every requested capability is supported. OPTIONAL.
   */
  'confirmed'?: (_csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed | null);
  /**
   * Why the capabilities were not confirmed. OPTIONAL.
   */
  'message'?: (string);
}

export interface ValidateVolumeCapabilitiesResponse__Output {
  /**
   * Set only when every requested capability is supported. OPTIONAL.
   */
  'confirmed': (_csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed__Output | null);
  /**
   * Why the capabilities were not confirmed. OPTIONAL.
   */
  'message': (string);
}
