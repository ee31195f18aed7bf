// Original file: proto/csi.proto

import type { Int64Value as _google_protobuf_Int64Value, Int64Value__Output as _google_protobuf_Int64Value__Output } from '../../google/protobuf/Int64Value';
import type { Long } from '@grpc/proto-loader';

export interface GetCapacityResponse {
  /**
   * Available bytes. MUST NOT be negative. REQUIRED.
   */
  'availableCapacity'?: (number | string | Long);
  /**
   * Largest usable CapacityRange.required_bytes. OPTIONAL.
   */
  'maximumVolumeSize'?: (_google_protobuf_Int64Value | null);
  /**
   * Smallest usable CapacityRange.limit_bytes. OPTIONAL.
   */
  'minimumVolumeSize'?: (_google_protobuf_Int64Value | null);
}

export interface GetCapacityResponse__Output {
  /**
   * Available bytes. MUST NOT be negative. REQUIRED.
   */
  'availableCapacity': (number);
  /**
   * Largest usable CapacityRange.required_bytes. OPTIONAL.
   */
  'maximumVolumeSize': (_google_protobuf_Int64Value__Output | null);
  /**
   * Smallest usable CapacityRange.limit_bytes. OPTIONAL.
   */
  'minimumVolumeSize': (_google_protobuf_Int64Value__Output | null);
}
