// Original file: proto/csi.proto

import type { Volume as _csi_v1_Volume, Volume__Output as _csi_v1_Volume__Output } from '../../csi/v1/Volume';

export interface CreateVolumeResponse {
  /**
   * REQUIRED.
   */
  'volume'?: (_csi_v1_Volume | null);
}

export interface CreateVolumeResponse__Output {
  /**
   * REQUIRED.
   */
  'volume': (_csi_v1_Volume__Output | null);
}
