// Original file: proto/csi.proto

import type { VolumeUsage as _csi_v1_VolumeUsage, VolumeUsage__Output as _csi_v1_VolumeUsage__Output } from '../../csi/v1/VolumeUsage';
import type { VolumeCondition as _csi_v1_VolumeCondition, VolumeCondition__Output as _csi_v1_VolumeCondition__Output } from '../../csi/v1/VolumeCondition';

export interface NodeGetVolumeStatsResponse {
  /**
   * OPTIONAL.
   */
  'usage'?: (_csi_v1_VolumeUsage)[];
  /**
   * OPTIONAL; required with the VOLUME_CONDITION node capability.
   */
  'volumeCondition'?: (_csi_v1_VolumeCondition | null);
}

export interface NodeGetVolumeStatsResponse__Output {
  /**
   * OPTIONAL.
   */
  'usage': (_csi_v1_VolumeUsage__Output)[];
  /**
   * OPTIONAL; required with the VOLUME_CONDITION node capability.
   */
  'volumeCondition': (_csi_v1_VolumeCondition__Output | null);
}
