// Original file: proto/csi.proto

import type { BoolValue as _google_protobuf_BoolValue, BoolValue__Output as _google_protobuf_BoolValue__Output } from '../../google/protobuf/BoolValue';

export interface ProbeResponse {
  /**
   * False while the plugin is healthy but still initialising. When unset
   * the CO assumes ready. OPTIONAL.
   */
  'ready'?: (_google_protobuf_BoolValue | null);
}

export interface ProbeResponse__Output {
  /**
   * False while the plugin is healthy but still initialising. When unset
   * the CO assumes ready. OPTIONAL.
   */
  'ready': (_google_protobuf_BoolValue__Output | null);
}
