/**
 * The topology segment key for a volume's availability zone. The node reports its zone under it (NodeGetInfo) and
 * the controller reads requirements and reports volumes under it: both must use this one constant.
 */
export const ZONE_TOPOLOGY_KEY = 'topology.cinder.csi.openstack.org/zone';
