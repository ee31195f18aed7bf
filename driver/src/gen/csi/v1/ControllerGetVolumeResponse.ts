// Original file: proto/csi.proto

import type { Volume as _csi_v1_Volume, Volume__Output as _csi_v1_Volume__Output } from '../../csi/v1/Volume';
import type { VolumeCondition as _csi_v1_VolumeCondition, VolumeCondition__Output as _csi_v1_VolumeCondition__Output } from '../../csi/v1/VolumeCondition';

export interface _csi_v1_ControllerGetVolumeResponse_VolumeStatus {
  /**
   * OPTIONAL; required with LIST_VOLUMES_PUBLISHED_NODES.
   */
  'publishedNodeIds'?: (string)[];
  /**
   * OPTIONAL; required with VOLUME_CONDITION.
   */
  'volumeCondition'?: (_csi_v1_VolumeCondition | null);
}

export interface _csi_v1_ControllerGetVolumeResponse_VolumeStatus__Output {
  /**
   * OPTIONAL; required with LIST_VOLUMES_PUBLISHED_NODES.
   */
  'publishedNodeIds': (string)[];
  /**
   * OPTIONAL; required with VOLUME_CONDITION.
   */
  'volumeCondition': (_csi_v1_VolumeCondition__Output | null);
}

export interface ControllerGetVolumeResponse {
  /**
   * REQUIRED.
   */
  'volume'?: (_csi_v1_Volume | null);
  /**
   * REQUIRED.
   */
  'status'?: (_csi_v1_ControllerGetVolumeResponse_VolumeStatus | null);
}

export interface ControllerGetVolumeResponse__Output {
  /**
   * REQUIRED.
   */
  'volume': (_csi_v1_Volume__Output | null);
  /**
   * REQUIRED.
   */
  'status': (_csi_v1_ControllerGetVolumeResponse_VolumeStatus__Output | null);
}
