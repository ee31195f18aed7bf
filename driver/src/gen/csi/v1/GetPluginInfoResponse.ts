// Original file: proto/csi.proto


export interface GetPluginInfoResponse {
  /**
   * Plugin name in domain name notation, at most 63 characters. REQUIRED.
   */
  'name'?: (string);
  /**
   * Opaque to the CO. REQUIRED.
   */
  'vendorVersion'?: (string);
  /**
   * Opaque to the CO. OPTIONAL.
   */
  'manifest'?: ({[key: string]: string});
}

export interface GetPluginInfoResponse__Output {
  /**
   * Plugin name in domain name notation, at most 63 characters. REQUIRED.
   */
  'name': (string);
  /**
   * Opaque to the CO. REQUIRED.
   */
  'vendorVersion': (string);
  /**
   * Opaque to the CO. OPTIONAL.
   */
  'manifest': ({[key: string]: string});
}
