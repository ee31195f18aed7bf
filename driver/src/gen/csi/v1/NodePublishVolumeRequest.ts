// Original file: proto/csi.proto

import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';

export interface NodePublishVolumeRequest {
  /**
   * REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * From ControllerPublishVolume. OPTIONAL.
   */
  'publishContext'?: ({[key: string]: string});
  /**
   * Set when STAGE_UNSTAGE_VOLUME is advertised. OPTIONAL.
   */
  'stagingTargetPath'?: (string);
  /**
   * Created by the SP: a file for block, a directory for mount.
   * REQUIRED.
   */
  'targetPath'?: (string);
  /**
   * REQUIRED.
   */
  'volumeCapability'?: (_csi_v1_VolumeCapability | null);
  /**
   * REQUIRED.
   */
  'readonly'?: (boolean);
  /**
   * OPTIONAL.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'volumeContext'?: ({[key: string]: string});
}

export interface NodePublishVolumeRequest__Output {
  /**
   * REQUIRED.
   */
  'volumeId': (string);
  /**
   * From ControllerPublishVolume. OPTIONAL.
   */
  'publishContext': ({[key: string]: string});
  /**
   * Set when STAGE_UNSTAGE_VOLUME is advertised. OPTIONAL.
   */
  'stagingTargetPath': (string);
  /**
   * Created by the SP: a file for block, a directory for mount.
   * REQUIRED.
   */
  'targetPath': (string);
  /**
   * REQUIRED.
   */
  'volumeCapability': (_csi_v1_VolumeCapability__Output | null);
  /**
   * REQUIRED.
   */
  'readonly': (boolean);
  /**
   * OPTIONAL.
   */
  'secrets': ({[key: string]: string});
  /**
   * OPTIONAL.
   */
  'volumeContext': ({[key: string]: string});
}
