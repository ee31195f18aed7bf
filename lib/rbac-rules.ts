/**
 * Least-privilege RBAC rules of the controller's sidecars, taken from each sidecar's own
 * deploy/kubernetes/rbac.yaml (kubernetes-csi) for the versions in lib/values/images.ts:
 * external-provisioner v5.3.0, external-attacher v4.9.0, external-resizer v1.13.2,
 * external-snapshotter (csi-snapshotter) v8.2.0. Deliberate differences from upstream, all removals:
 * - no `secrets` access (commented out upstream too): cinder-csi takes no per-volume secrets;
 * - no CSIStorageCapacity / pods / replicasets (only for `--enable-capacity`, which we do not set);
 * - no group snapshot rules (a feature gate we do not enable);
 * - VolumeAttributesClass read access (upstream: get/list/watch on volumeattributesclasses for both the provisioner
 *   and the resizer) only when `volumeAttributesClasses.enabled` turns the sidecars' feature gate on;
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
  { apiGroups: [SNAPSHOT], resources: ['volumesnapshots'], verbs: ['get', 'list'] },
  { apiGroups: [SNAPSHOT], resources: ['volumesnapshotcontents'], verbs: ['get', 'list'] },
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
];

/** Added to the provisioner's and the resizer's rules when their VolumeAttributesClass feature gate is on. */
export const VOLUME_ATTRIBUTES_CLASS_RULES: readonly PolicyRule[] = [
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
