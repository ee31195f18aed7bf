// Original file: proto/csi.proto

import type { VolumeCondition as _csi_v1_VolumeCondition, VolumeCondition__Output as _csi_v1_VolumeCondition__Output } from '../../csi/v1/VolumeCondition';
import type { Volume as _csi_v1_Volume, Volume__Output as _csi_v1_Volume__Output } from '../../csi/v1/Volume';

export interface _csi_v1_ListVolumesResponse_Entry {
  /**
   * REQUIRED.
   */
  'volume'?: (_csi_v1_Volume | null);
  /**
   * OPTIONAL; required with LIST_VOLUMES_PUBLISHED_NODES.
   */
  'status'?: (_csi_v1_ListVolumesResponse_VolumeStatus | null);
}

export interface _csi_v1_ListVolumesResponse_Entry__Output {
  /**
   * REQUIRED.
   */
  'volume': (_csi_v1_Volume__Output | null);
  /**
   * OPTIONAL; required with LIST_VOLUMES_PUBLISHED_NODES.
   */
  'status': (_csi_v1_ListVolumesResponse_VolumeStatus__Output | null);
}

export interface _csi_v1_ListVolumesResponse_VolumeStatus {
  /**
   * Nodes the volume is controller-published on. OPTIONAL.
   */
  'publishedNodeIds'?: (string)[];
  /**
   * OPTIONAL; required with the VOLUME_CONDITION capability.
   */
  'volumeCondition'?: (_csi_v1_VolumeCondition | null);
}

export interface _csi_v1_ListVolumesResponse_VolumeStatus__Output {
  /**
   * Nodes the volume is controller-published on. OPTIONAL.
   */
  'publishedNodeIds': (string)[];
  /**
   * OPTIONAL; required with the VOLUME_CONDITION capability.
   */
  'volumeCondition': (_csi_v1_VolumeCondition__Output | null);
}

export interface ListVolumesResponse {
  'entries'?: (_csi_v1_ListVolumesResponse_Entry)[];
  /**
   * OPTIONAL.
   */
  'nextToken'?: (string);
}

export interface ListVolumesResponse__Output {
  'entries': (_csi_v1_ListVolumesResponse_Entry__Output)[];
  /**
   * OPTIONAL.
   */
  'nextToken': (string);
}
