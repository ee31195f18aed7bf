import { CloudConfigMode } from '../../lib';
import { errorOf, K8sObject, objectsOf, one, ofKind } from './synth';

/*
 * Several regions from values alone: cloudConfig.cloudNames -> one `<release>-cloud-<name>` Secret each (holding
 * the `cloud` key the driver routes by), a Role letting the controller's sidecars get exactly those Secrets, and
 * classes with `cloud` whose sidecar secret parameters name their cloud's Secret.
 */
const TWO_REGIONS = {
  cloudConfig: { cloudNames: ['region-one', 'region-two'] },
  storageClasses: [
    { name: 'cinder-one', cloud: 'region-one', parameters: { 'csi.storage.k8s.io/provisioner-secret-name': 'mine' } },
    { name: 'cinder-two', cloud: 'region-two' },
    { name: 'cinder-global' },
  ],
  snapshots: { enabled: true, classes: [{ name: 'snap-two', cloud: 'region-two', forceCreate: true }, { name: 'snap-global' }] },
};

const secretParameters = (secret: string, kinds: readonly string[]): Record<string, string> => Object.fromEntries(
  kinds.flatMap((k) => [[`csi.storage.k8s.io/${k}-secret-name`, secret], [`csi.storage.k8s.io/${k}-secret-namespace`, 'kube-system']]),
);
const STORAGE_KINDS = ['provisioner', 'controller-publish', 'controller-expand'];

describe('several regions (cloudConfig.cloudNames)', () => {
  const objects = objectsOf(TWO_REGIONS);

  test('one Secret per cloud holding only `cloud: <name>`, in the release namespace', () => {
    const secrets = ofKind(objects, 'Secret');
    expect(secrets.map((s) => [s.metadata.name, s.metadata.namespace, s.type, s.stringData])).toEqual([
      ['cinder-csi-cloud-region-one', 'kube-system', 'Opaque', { cloud: 'region-one' }],
      ['cinder-csi-cloud-region-two', 'kube-system', 'Opaque', { cloud: 'region-two' }],
    ]);
  });

  test('the controller\'s ServiceAccount may get exactly those Secrets, nothing more', () => {
    const role = one(objects, 'Role', 'cinder-csi-cloud-secrets');
    expect(role.metadata.namespace).toBe('kube-system');
    expect(role.rules).toEqual([{
      apiGroups: [''], resources: ['secrets'], resourceNames: ['cinder-csi-cloud-region-one', 'cinder-csi-cloud-region-two'], verbs: ['get'],
    }]);
    const binding = one(objects, 'RoleBinding', 'cinder-csi-cloud-secrets');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cinder-csi-controller', namespace: 'kube-system' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cinder-csi-cloud-secrets' });
    const clusterRules = ofKind(objects, 'ClusterRole').flatMap((r: K8sObject) => r.rules as Array<{ resources: string[] }>);
    expect(clusterRules.filter((r) => r.resources.includes('secrets'))).toEqual([]);
  });

  test('a StorageClass with `cloud` names its cloud\'s Secret for create/delete, publish and expand (over the user\'s parameters)', () => {
    expect(one(objects, 'StorageClass', 'cinder-one').parameters).toEqual({
      'csi.storage.k8s.io/fstype': 'ext4', ...secretParameters('cinder-csi-cloud-region-one', STORAGE_KINDS),
    });
    expect(one(objects, 'StorageClass', 'cinder-two').parameters).toEqual({
      'csi.storage.k8s.io/fstype': 'ext4', ...secretParameters('cinder-csi-cloud-region-two', STORAGE_KINDS),
    });
    expect(one(objects, 'StorageClass', 'cinder-global').parameters).toEqual({ 'csi.storage.k8s.io/fstype': 'ext4' });
  });

  test('a VolumeSnapshotClass with `cloud` names its cloud\'s Secret for the snapshotter; without, it has no secret parameters', () => {
    expect(one(objects, 'VolumeSnapshotClass', 'snap-two').parameters).toEqual({
      'force-create': 'true', ...secretParameters('cinder-csi-cloud-region-two', ['snapshotter']),
    });
    expect(one(objects, 'VolumeSnapshotClass', 'snap-global').parameters).toBeUndefined();
  });

  test('the release name prefixes the Secrets, and the namespace is the release\'s', () => {
    const other = objectsOf({ ...TWO_REGIONS, releaseName: 'csi', namespace: 'storage' });
    expect(ofKind(other, 'Secret').map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['storage/csi-cloud-region-one', 'storage/csi-cloud-region-two']);
    expect(one(other, 'StorageClass', 'cinder-two').parameters['csi.storage.k8s.io/controller-publish-secret-namespace']).toBe('storage');
  });

  test('without clouds: no cloud Secrets, no Role for them', () => {
    const plain = objectsOf({});
    expect(ofKind(plain, 'Secret')).toEqual([]);
    expect(ofKind(plain, 'Role').map((r) => r.metadata.name)).toEqual(['cinder-csi-leader-election']);
  });

  test('a class naming a cloud not served, duplicate or upper-case cloud names are refused, naming the key', () => {
    expect(errorOf(() => objectsOf({ storageClasses: [{ name: 'a', cloud: 'region-one' }] })))
      .toContain('storageClasses[0].cloud: must be empty or one of cloudConfig.cloudNames');
    expect(errorOf(() => objectsOf({ cloudConfig: { cloudNames: ['one'] }, snapshots: { classes: [{ name: 's', cloud: 'two' }] } })))
      .toContain('snapshots.classes[0].cloud: must be empty or one of cloudConfig.cloudNames');
    expect(errorOf(() => objectsOf({ cloudConfig: { cloudNames: ['one', 'one'] } }))).toContain('cloudConfig.cloudNames');
    expect(errorOf(() => objectsOf({ cloudConfig: { cloudNames: ['Region_One'] } }))).toContain('cloudConfig.cloudNames[0]');
    expect(() => objectsOf({ cloudConfig: { mode: CloudConfigMode.HOST_PATH, cloudNames: ['one'] }, storageClasses: [{ name: 'a', cloud: 'one' }] })).not.toThrow();
  });
});
