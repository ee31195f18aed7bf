// Original file: proto/csi.proto

export const BlockMetadataType = {
  UNKNOWN: 'UNKNOWN',
  /**
   * Every block has the same size.
   */
  FIXED_LENGTH: 'FIXED_LENGTH',
  /**
   * Blocks (extents) have varying sizes.
   */
  VARIABLE_LENGTH: 'VARIABLE_LENGTH',
} as const;

export type BlockMetadataType =
  | 'UNKNOWN'
  | 0
  /**
   * Every block has the same size.
   */
  | 'FIXED_LENGTH'
  | 1
  /**
   * Blocks (extents) have varying sizes.
   */
  | 'VARIABLE_LENGTH'
  | 2

export type BlockMetadataType__Output = typeof BlockMetadataType[keyof typeof BlockMetadataType]
