// Original file: proto/csi.proto


export interface VolumeCondition {
  /**
   * REQUIRED.
   */
  'abnormal'?: (boolean);
  /**
   * REQUIRED.
   */
  'message'?: (string);
}

export interface VolumeCondition__Output {
  /**
   * REQUIRED.
   */
  'abnormal': (boolean);
  /**
   * REQUIRED.
   */
  'message': (string);
}
