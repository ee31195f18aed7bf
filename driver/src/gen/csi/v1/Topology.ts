// Original file: proto/csi.proto


/**
 * Topological domain to segment, e.g. {"topology.cinder.csi.openstack.org/zone": "nova"}.
 */
export interface Topology {
  'segments'?: ({[key: string]: string});
}

/**
 * Topological domain to segment, e.g. {"topology.cinder.csi.openstack.org/zone": "nova"}.
 */
export interface Topology__Output {
  'segments': ({[key: string]: string});
}
