// Original file: proto/csi.proto

import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';

export interface ControllerPublishVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * Node id as returned by NodeGetInfo. REQUIRED.
   */
  'nodeId'?: (string);
  /**
   * REQUIRED.
   */
  'volumeCapability'?: (_csi_v1_VolumeCapability | null);
  /**
   * Publish read-only; false unless PUBLISH_READONLY is advertised.
   * REQUIRED.
   */
  'readonly'?: (boolean);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * Volume.volume_context from CreateVolume. OPTIONAL.
   */
  'volumeContext'?: ({[key: string]: string});
}

export interface ControllerPublishVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * Node id as returned by NodeGetInfo. REQUIRED.
   */
  'nodeId': (string);
  /**
   * REQUIRED.
   */
  'volumeCapability': (_csi_v1_VolumeCapability__Output | null);
  /**
   * Publish read-only; false unless PUBLISH_READONLY is advertised.
   * REQUIRED.
   */
  'readonly': (boolean);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * Volume.volume_context from CreateVolume. OPTIONAL.
   */
  'volumeContext': ({[key: string]: string});
}
