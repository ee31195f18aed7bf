import {
  ATTACHER_RULES, LEADER_ELECTION_RULES, OPENSHIFT_SCC_RULES, PROVISIONER_RULES, RESIZER_RULES, SNAPSHOTTER_RULES,
} from '../../lib';
import { EVERYTHING_ON, K8sObject, objectsOf, ofKind, one } from './synth';

const rulesOf = (objects: readonly K8sObject[]) =>
  [...ofKind(objects, 'ClusterRole'), ...ofKind(objects, 'Role')].flatMap((r) => r.rules.map((rule: any) => ({ role: r.metadata.name, rule })));

describe('RBAC is least-privilege', () => {
  test('no rule of any role uses a wildcard in apiGroups, resources, verbs or resourceNames', () => {
    const all = rulesOf(objectsOf(EVERYTHING_ON));
    expect(all.length).toBeGreaterThan(20);
    for (const { role, rule } of all) {
      for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames']) {
        for (const entry of rule[field] ?? []) expect(`${role}.${field}=${entry}`).not.toMatch(/\*/);
      }
    }
  });

  test('no role can read Secrets (cinder-csi takes no per-volume secrets)', () => {
    for (const { rule } of rulesOf(objectsOf(EVERYTHING_ON))) expect(rule.resources).not.toContain('secrets');
  });

  test('each sidecar has its own ClusterRole with exactly its upstream rules, bound to the controller service account', () => {
    const objects = objectsOf(EVERYTHING_ON);
    const expected = { provisioner: PROVISIONER_RULES, attacher: ATTACHER_RULES, resizer: RESIZER_RULES, snapshotter: SNAPSHOTTER_RULES };
    for (const [sidecar, rules] of Object.entries(expected)) {
      const name = `cinder-csi-kube-system-${sidecar}`;
      expect(one(objects, 'ClusterRole', name).rules).toEqual(rules);
      const binding = one(objects, 'ClusterRoleBinding', name);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cinder-csi-controller', namespace: 'kube-system' }]);
    }
  });

  test('the provisioner can create and delete PersistentVolumes but only read StorageClasses', () => {
    const pv = PROVISIONER_RULES.find((r) => r.resources.includes('persistentvolumes'))!;
    expect([...pv.verbs].sort()).toEqual(['create', 'delete', 'get', 'list', 'patch', 'watch']);
    const sc = PROVISIONER_RULES.find((r) => r.resources.includes('storageclasses'))!;
    expect([...sc.verbs].sort()).toEqual(['get', 'list', 'watch']);
  });

  test('leader-election leases are granted in the release namespace only, through a Role', () => {
    const objects = objectsOf({ namespace: 'storage' });
    const role = one(objects, 'Role');
    expect(role.metadata.namespace).toBe('storage');
    expect(role.rules).toEqual(LEADER_ELECTION_RULES);
    expect(role.rules[0].apiGroups).toEqual(['coordination.k8s.io']);
    const binding = one(objects, 'RoleBinding');
    expect(binding.metadata.namespace).toBe('storage');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    for (const cr of ofKind(objects, 'ClusterRole')) {
      expect(cr.rules.flatMap((r: any) => r.resources)).not.toContain('leases');
    }
  });

  test('VolumeAttributesClass (GA in the sidecars): the resizer watches classes, the provisioner only gets the one a claim names', () => {
    const vac = (rules: readonly { resources: readonly string[]; verbs: readonly string[] }[]) => rules.filter((r) => r.resources.includes('volumeattributesclasses')).map((r) => r.verbs);
    expect(vac(RESIZER_RULES)).toEqual([['get', 'list', 'watch']]);
    expect(vac(PROVISIONER_RULES)).toEqual([['get']]);
    expect(vac(ATTACHER_RULES)).toEqual([]);
  });

  test('snapshotter RBAC exists only when snapshots are enabled', () => {
    expect(ofKind(objectsOf(), 'ClusterRole').map((r) => r.metadata.name)).not.toContain('cinder-csi-kube-system-snapshotter');
    expect(ofKind(objectsOf({ snapshots: { enabled: true } }), 'ClusterRole').map((r) => r.metadata.name))
      .toContain('cinder-csi-kube-system-snapshotter');
  });

  test('OpenShift: both service accounts may use the privileged SCC, and nothing else, only when enabled', () => {
    expect(objectsOf().filter((o) => o.metadata.name.endsWith('openshift-scc'))).toEqual([]);
    const objects = objectsOf({ openshift: { enabled: true }, releaseName: 'blk', namespace: 'openshift-cluster-csi' });
    const role = one(objects, 'ClusterRole', 'blk-openshift-cluster-csi-openshift-scc');
    expect(role.rules).toEqual(OPENSHIFT_SCC_RULES);
    expect(role.rules).toEqual([{
      apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], resourceNames: ['privileged'], verbs: ['use'],
    }]);
    const binding = one(objects, 'ClusterRoleBinding', 'blk-openshift-cluster-csi-openshift-scc');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'blk-controller', namespace: 'openshift-cluster-csi' },
      { kind: 'ServiceAccount', name: 'blk-node', namespace: 'openshift-cluster-csi' },
    ]);
  });
});
