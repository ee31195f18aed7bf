// Original file: proto/csi.proto


export interface ListVolumesRequest {
  /**
   * Page size; 0 means no limit. MUST NOT be negative. OPTIONAL.
   */
  'maxEntries'?: (number);
  /**
   * next_token of the previous page. OPTIONAL.
   */
  'startingToken'?: (string);
}

export interface ListVolumesRequest__Output {
  /**
   * Page size; 0 means no limit. MUST NOT be negative. OPTIONAL.
   */
  'maxEntries': (number);
  /**
   * next_token of the previous page. OPTIONAL.
   */
  'startingToken': (string);
}
