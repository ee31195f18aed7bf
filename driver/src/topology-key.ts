/**
 * The topology segment key for a volume's availability zone. The node reports its zone under it (NodeGetInfo) and
 * the controller reads requirements and reports volumes under it: both must use this one constant.
 */
export const ZONE_TOPOLOGY_KEY = 'topology.cinder.csi.openstack.org/zone';

/**
 * --with-topology, one option that each service reads for itself: Identity advertises VOLUME_ACCESSIBILITY_CONSTRAINTS,
 * the Controller reports accessible topology (zones) on volumes, the Node reports its accessible topology in
 * NodeGetInfo. Off, none of them mentions topology: the spec forbids it in NodeGetInfo then, and a CO would otherwise
 * pin volumes to a zone label the nodes do not carry.
 */
export interface TopologyOption {
  readonly withTopology: boolean;
}
