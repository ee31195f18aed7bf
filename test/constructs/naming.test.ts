import { CLUSTER_SCOPED_KINDS, EVERYTHING_ON, K8sObject, objectsOf } from './synth';

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** Kinds whose names the user chooses (driverName, storageClasses[].name, snapshots.classes[].name). */
const USER_NAMED = new Set(['CSIDriver', 'StorageClass', 'VolumeSnapshotClass', 'VolumeAttributesClass']);

describe('names carry the release and, for cluster-scoped objects, the namespace', () => {
  test('two installs with the same release name in different namespaces share no object identity', () => {
    const a = objectsOf({ ...EVERYTHING_ON, namespace: 'team-a' }).filter((o) => !USER_NAMED.has(o.kind));
    const b = objectsOf({ ...EVERYTHING_ON, namespace: 'team-b' }).filter((o) => !USER_NAMED.has(o.kind));
    const keysA = new Set(a.map(key));
    expect(b.map(key).filter((k) => keysA.has(k))).toEqual([]);
  });

  test('two releases in the same namespace share no object identity', () => {
    const a = objectsOf({ ...EVERYTHING_ON, releaseName: 'one' }).filter((o) => !USER_NAMED.has(o.kind));
    const b = objectsOf({ ...EVERYTHING_ON, releaseName: 'two' }).filter((o) => !USER_NAMED.has(o.kind));
    const keysA = new Set(a.map(key));
    expect(b.map(key).filter((k) => keysA.has(k))).toEqual([]);
  });

  test('cluster-scoped RBAC names are <release>-<namespace>-<role>; namespaced names are <release>-<component>', () => {
    const objects = objectsOf({ ...EVERYTHING_ON, releaseName: 'blk', namespace: 'storage' });
    for (const o of objects.filter((x) => !USER_NAMED.has(x.kind))) {
      if (CLUSTER_SCOPED_KINDS.has(o.kind)) expect(o.metadata.name).toMatch(/^blk-storage-[a-z-]+$/);
      else expect(o.metadata.name).toMatch(/^blk-[a-z-]+$/);
    }
  });

  test('the longest release name and namespace still give valid object names (<= 253 characters, DNS subdomain)', () => {
    const releaseName = 'r'.repeat(53);
    const namespace = 'n'.repeat(63);
    for (const o of objectsOf({ ...EVERYTHING_ON, releaseName, namespace })) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(253);
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
  });

  test('label values stay valid (<= 63 characters) with the longest release name', () => {
    for (const o of objectsOf({ ...EVERYTHING_ON, releaseName: 'r'.repeat(53) })) {
      for (const value of Object.values(o.metadata.labels ?? {})) expect(value.length).toBeLessThanOrEqual(63);
    }
  });

  test('selector labels identify the release and component and ignore user labels and the version', () => {
    const objects = objectsOf({ releaseName: 'blk', global: { labels: { team: 'storage' } }, controller: { podLabels: { x: 'y' } } });
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'cinder-csi', 'app.kubernetes.io/instance': 'blk', 'app.kubernetes.io/component': 'controller',
    });
    expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining({ team: 'storage', x: 'y' }));
  });

  test('user labels cannot override the standard labels', () => {
    const objects = objectsOf({ global: { labels: { 'app.kubernetes.io/instance': 'evil', team: 'storage' } } });
    for (const o of objects) {
      expect(o.metadata.labels!['app.kubernetes.io/instance']).toBe('cinder-csi');
      expect(o.metadata.labels!.team).toBe('storage');
    }
  });
});
