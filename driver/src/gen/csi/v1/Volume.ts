// Original file: proto/csi.proto

import type { VolumeContentSource as _csi_v1_VolumeContentSource, VolumeContentSource__Output as _csi_v1_VolumeContentSource__Output } from '../../csi/v1/VolumeContentSource';
import type { Topology as _csi_v1_Topology, Topology__Output as _csi_v1_Topology__Output } from '../../csi/v1/Topology';
import type { Long } from '@grpc/proto-loader';

export interface Volume {
  /**
   * Size in bytes; 0 means unknown. MUST NOT be negative.
   */
  'capacityBytes'?: (number | string | Long);
  /**
   * Plugin-generated identifier used in every later call. REQUIRED.
   */
  'volumeId'?: (string);
  /**
   * Immutable opaque context passed to later validation and publish
   * calls. SHOULD NOT hold sensitive data. OPTIONAL.
   */
  'volumeContext'?: ({[key: string]: string});
  /**
   * Source the volume was pre-populated from. OPTIONAL.
   */
  'contentSource'?: (_csi_v1_VolumeContentSource | null);
  /**
   * Topologies the volume is accessible from; requires the
   * VOLUME_ACCESSIBILITY_CONSTRAINTS plugin capability. OPTIONAL.
   */
  'accessibleTopology'?: (_csi_v1_Topology)[];
}

export interface Volume__Output {
  /**
   * Size in bytes; 0 means unknown. MUST NOT be negative.
   */
  'capacityBytes': (number);
  /**
   * Plugin-generated identifier used in every later call. REQUIRED.
   */
  'volumeId': (string);
  /**
   * Immutable opaque context passed to later validation and publish
   * calls. SHOULD NOT hold sensitive data. OPTIONAL.
   */
  'volumeContext': ({[key: string]: string});
  /**
   * Source the volume was pre-populated from. OPTIONAL.
   */
  'contentSource': (_csi_v1_VolumeContentSource__Output | null);
  /**
   * Topologies the volume is accessible from; requires the
   * VOLUME_ACCESSIBILITY_CONSTRAINTS plugin capability. OPTIONAL.
   */
  'accessibleTopology': (_csi_v1_Topology__Output)[];
}
