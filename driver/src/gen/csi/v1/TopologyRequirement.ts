// Original file: proto/csi.proto

import type { Topology as _csi_v1_Topology, Topology__Output as _csi_v1_Topology__Output } from '../../csi/v1/Topology';

export interface TopologyRequirement {
  /**
   * The volume MUST be accessible from at least one of these. OPTIONAL.
   */
  'requisite'?: (_csi_v1_Topology)[];
  /**
   * Topologies to try first, in order. OPTIONAL.
   */
  'preferred'?: (_csi_v1_Topology)[];
}

export interface TopologyRequirement__Output {
  /**
   * The volume MUST be accessible from at least one of these. OPTIONAL.
   */
  'requisite': (_csi_v1_Topology__Output)[];
  /**
   * Topologies to try first, in order. OPTIONAL.
   */
  'preferred': (_csi_v1_Topology__Output)[];
}
