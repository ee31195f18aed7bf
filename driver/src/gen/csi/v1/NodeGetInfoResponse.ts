// Original file: proto/csi.proto

import type { Topology as _csi_v1_Topology, Topology__Output as _csi_v1_Topology__Output } from '../../csi/v1/Topology';
import type { Long } from '@grpc/proto-loader';

export interface NodeGetInfoResponse {
  /**
   * Node id used by ControllerPublishVolume; at most 256 bytes. REQUIRED.
   */
  'nodeId'?: (string);
  /**
   * Volumes the controller may publish to this node; 0 lets the CO
   * decide. OPTIONAL.
   */
  'maxVolumesPerNode'?: (number | string | Long);
  /**
   * OPTIONAL.
   */
  'accessibleTopology'?: (_csi_v1_Topology | null);
}

export interface NodeGetInfoResponse__Output {
  /**
   * Node id used by ControllerPublishVolume; at most 256 bytes. REQUIRED.
   */
  'nodeId': (string);
  /**
   * Volumes the controller may publish to this node; 0 lets the CO
   * decide. OPTIONAL.
   */
  'maxVolumesPerNode': (number);
  /**
   * OPTIONAL.
   */
  'accessibleTopology': (_csi_v1_Topology__Output | null);
}
