// Original file: proto/csi.proto

import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';
import type { Topology as _csi_v1_Topology, Topology__Output as _csi_v1_Topology__Output } from '../../csi/v1/Topology';

export interface GetCapacityRequest {
  /**
   * OPTIONAL.
   */
  'volumeCapabilities'?: (_csi_v1_VolumeCapability)[];
  /**
   * OPTIONAL.
   */
  'parameters'?: ({[key: string]: string});
  /**
   * OPTIONAL; only with VOLUME_ACCESSIBILITY_CONSTRAINTS.
   */
  'accessibleTopology'?: (_csi_v1_Topology | null);
}

export interface GetCapacityRequest__Output {
  /**
   * OPTIONAL.
   */
  'volumeCapabilities': (_csi_v1_VolumeCapability__Output)[];
  /**
   * OPTIONAL.
   */
  'parameters': ({[key: string]: string});
  /**
   * OPTIONAL; only with VOLUME_ACCESSIBILITY_CONSTRAINTS.
   */
  'accessibleTopology': (_csi_v1_Topology__Output | null);
}
