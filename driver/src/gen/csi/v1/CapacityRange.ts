// Original file: proto/csi.proto

import type { Long } from '@grpc/proto-loader';

/**
 * At least one field MUST be set; equal values request an exact size.
 */
export interface CapacityRange {
  /**
   * Minimum size in bytes; 0 means unspecified. MUST NOT be negative.
   */
  'requiredBytes'?: (number | string | Long);
  /**
   * Maximum size in bytes; 0 means unspecified. MUST NOT be negative.
   */
  'limitBytes'?: (number | string | Long);
}

/**
 * At least one field MUST be set; equal values request an exact size.
 */
export interface CapacityRange__Output {
  /**
   * Minimum size in bytes; 0 means unspecified. MUST NOT be negative.
   */
  'requiredBytes': (number);
  /**
   * Maximum size in bytes; 0 means unspecified. MUST NOT be negative.
   */
  'limitBytes': (number);
}
