// Original file: proto/csi.proto

import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';

export interface NodeStageVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * From ControllerPublishVolume. OPTIONAL.
   */
  'publishContext'?: ({[key: string]: string});
  /**
   * Absolute directory, created by the CO, one per volume. REQUIRED.
   */
  'stagingTargetPath'?: (string);
  /**
   * REQUIRED.
   */
  'volumeCapability'?: (_csi_v1_VolumeCapability | null);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'volumeContext'?: ({[key: string]: string});
}

export interface NodeStageVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * From ControllerPublishVolume. OPTIONAL.
   */
  'publishContext': ({[key: string]: string});
  /**
   * Absolute directory, created by the CO, one per volume. REQUIRED.
   */
  'stagingTargetPath': (string);
  /**
   * REQUIRED.
   */
  'volumeCapability': (_csi_v1_VolumeCapability__Output | null);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'volumeContext': ({[key: string]: string});
}
