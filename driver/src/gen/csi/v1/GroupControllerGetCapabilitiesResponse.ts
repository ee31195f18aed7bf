// Original file: proto/csi.proto

import type { GroupControllerServiceCapability as _csi_v1_GroupControllerServiceCapability, GroupControllerServiceCapability__Output as _csi_v1_GroupControllerServiceCapability__Output } from '../../csi/v1/GroupControllerServiceCapability';

export interface GroupControllerGetCapabilitiesResponse {
  /**
   * OPTIONAL.
   */
  'capabilities'?: (_csi_v1_GroupControllerServiceCapability)[];
}

export interface GroupControllerGetCapabilitiesResponse__Output {
  /**
   * OPTIONAL.
   */
  'capabilities': (_csi_v1_GroupControllerServiceCapability__Output)[];
}
