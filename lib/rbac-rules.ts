/**
 * Least-privilege RBAC rules of the controller's sidecars, taken from each sidecar's own
 * deploy/kubernetes/rbac.yaml (kubernetes-csi) for the versions in lib/values/images.ts:
 * external-provisioner v6.4.0, external-attacher v4.13.0, external-resizer v2.3.0,
 * external-snapshotter (csi-snapshotter) v8.7.0. Differences from upstream:
 * - no `secrets` access in these ClusterRoles (commented out upstream too): cinder-csi takes no per-volume secrets,
 *   except the `cloud` secret that picks the region when the controller serves several (`cloudConfig.cloudNames`),
 *   which a namespaced Role grants `get` on by name (lib/cloud-secrets.ts);
 * - no CSIStorageCapacity / pods / replicasets (only for `--enable-capacity`, which we do not set);
 * - no group snapshot rules: the driver has no group controller service, and csi-snapshotter turns the (GA)
 *   VolumeGroupSnapshot feature off for the run when it cannot list the group snapshot objects;
 * - VolumeAttributesClass is GA in these sidecars (always on): the resizer watches classes (get/list/watch, as
 *   upstream); the provisioner reads the class a new claim names (`get`, which upstream's rbac.yaml omits although
 *   the provisioner calls it: without it a claim with a class fails to provision);
 * - csi-snapshotter: no `create` on volumesnapshotcontents (only group snapshots create contents).
 * Leader election (coordination.k8s.io leases) is in a namespaced Role, not here.
 * The node plugin gets no rules at all: node-driver-registrar talks only to the kubelet's registration
 * socket and the node service talks only to the kernel and the OpenStack metadata, never to the API server.
 */

// A type alias (not an interface) so that rules are plain template map nodes.
export type PolicyRule = {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
};

const CORE = '';
const STORAGE = 'storage.k8s.io';
const SNAPSHOT = 'snapshot.storage.k8s.io';
const READ = ['get', 'list', 'watch'] as const;
const EVENTS: PolicyRule = { apiGroups: [CORE], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] };

export const PROVISIONER_RULES: readonly PolicyRule[] = [
  { apiGroups: [CORE], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
  { apiGroups: [CORE], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
  { apiGroups: [STORAGE], resources: ['storageclasses'], verbs: READ },
  EVENTS,
  // Restoring from a snapshot: the provisioner watches the source and holds it with a finalizer while in use.
  { apiGroups: [SNAPSHOT], resources: ['volumesnapshots'], verbs: ['get', 'list', 'watch', 'update'] },
  { apiGroups: [SNAPSHOT], resources: ['volumesnapshotcontents'], verbs: ['get', 'list'] },
  { apiGroups: [STORAGE], resources: ['volumeattributesclasses'], verbs: ['get'] },
  { apiGroups: [STORAGE], resources: ['csinodes'], verbs: READ },
  { apiGroups: [CORE], resources: ['nodes'], verbs: READ },
  // Cinder volumes are attached (PUBLISH_UNPUBLISH_VOLUME), so the provisioner waits for detach before delete.
  { apiGroups: [STORAGE], resources: ['volumeattachments'], verbs: READ },
];

export const ATTACHER_RULES: readonly PolicyRule[] = [
  { apiGroups: [CORE], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [STORAGE], resources: ['csinodes'], verbs: READ },
  { apiGroups: [STORAGE], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [STORAGE], resources: ['volumeattachments/status'], verbs: ['patch'] },
];

export const RESIZER_RULES: readonly PolicyRule[] = [
  { apiGroups: [CORE], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [CORE], resources: ['persistentvolumeclaims'], verbs: READ },
  { apiGroups: [CORE], resources: ['pods'], verbs: READ },
  { apiGroups: [CORE], resources: ['persistentvolumeclaims/status'], verbs: ['patch'] },
  EVENTS,
  // ControllerModifyVolume: the resizer's modify controller watches the classes claims name.
  { apiGroups: [STORAGE], resources: ['volumeattributesclasses'], verbs: READ },
];

export const SNAPSHOTTER_RULES: readonly PolicyRule[] = [
  EVENTS,
  { apiGroups: [SNAPSHOT], resources: ['volumesnapshotclasses'], verbs: READ },
  { apiGroups: [SNAPSHOT], resources: ['volumesnapshotcontents'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  { apiGroups: [SNAPSHOT], resources: ['volumesnapshotcontents/status'], verbs: ['update', 'patch'] },
];

/** Leader election of every controller sidecar, in the release namespace only. */
export const LEADER_ELECTION_RULES: readonly PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'] },
];

/** OpenShift: use of the `privileged` SecurityContextConstraints (what `oc adm policy add-scc-to-user` grants). */
export const OPENSHIFT_SCC_RULES: readonly PolicyRule[] = [
  { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], resourceNames: ['privileged'], verbs: ['use'] },
];
