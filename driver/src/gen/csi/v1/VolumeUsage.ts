// Original file: proto/csi.proto

import type { Long } from '@grpc/proto-loader';

// Original file: proto/csi.proto

export const _csi_v1_VolumeUsage_Unit = {
  UNKNOWN: 'UNKNOWN',
  BYTES: 'BYTES',
  INODES: 'INODES',
} as const;

export type _csi_v1_VolumeUsage_Unit =
  | 'UNKNOWN'
  | 0
  | 'BYTES'
  | 1
  | 'INODES'
  | 2

export type _csi_v1_VolumeUsage_Unit__Output = typeof _csi_v1_VolumeUsage_Unit[keyof typeof _csi_v1_VolumeUsage_Unit]

export interface VolumeUsage {
  /**
   * OPTIONAL. MUST NOT be negative.
   */
  'available'?: (number | string | Long);
  /**
   * REQUIRED. MUST NOT be negative.
   */
  'total'?: (number | string | Long);
  /**
   * OPTIONAL. MUST NOT be negative.
   */
  'used'?: (number | string | Long);
  /**
   * REQUIRED.
   */
  'unit'?: (_csi_v1_VolumeUsage_Unit);
}

export interface VolumeUsage__Output {
  /**
   * OPTIONAL. MUST NOT be negative.
   */
  'available': (number);
  /**
   * REQUIRED. MUST NOT be negative.
   */
  'total': (number);
  /**
   * OPTIONAL. MUST NOT be negative.
   */
  'used': (number);
  /**
   * REQUIRED.
   */
  'unit': (_csi_v1_VolumeUsage_Unit__Output);
}
