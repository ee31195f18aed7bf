/**
 * The chart on a real API server, driven as a cluster drives a CSI driver, whichever cloud is behind the driver:
 * Helm 3 and Helm 4 install the chart unchanged, the real external-provisioner, -attacher, -resizer and -snapshotter run
 * with the chart's own arguments and ServiceAccount tokens against the driver's socket, and every step is a Kubernetes
 * object, never a CSI call. What the driver did in the cloud is checked through the world's inspector (the emulator's
 * state, or the real Cinder API).
 */
import { join } from 'node:path';
import { type ClusterWorld, DRIVER_NAME, NODE_NAME } from './cluster-world';
import { HelmRelease, HELMS } from './helm-release';
import type { KubeObject } from './kube';
import { eventually } from './processes';
import { ROOT } from './referees';
import { runSidecars, type RunningSidecars } from './sidecars';
import { attachmentOf, boundClaim, consumerPod, gib, pvc, type Pv, type Pvc, type VolumeAttachment, type VolumeSnapshot, type VolumeSnapshotContent } from './workloads';

export const CHART = join(ROOT, 'charts/cinder-csi');
const ZONE_KEY = 'topology.cinder.csi.openstack.org/zone';

/**
 * Registers the whole flow, once per Helm version: install, sidecars, provision, attach, detach, resize, snapshot and
 * restore, modify, delete, upgrade/rollback/uninstall. `world` is read when the tests run (after the caller's
 * beforeAll started it).
 */
export function describeChartFlow(world: () => ClusterWorld): void {
  describe.each(HELMS)('the chart installed with $label $version', (helm) => {
    const namespace = `cinder-csi-${helm.label}`;
    const apps = `apps-${helm.label}`;
    const release = `cinder-csi-${helm.label}`;
    const storageClass = `cinder-${helm.label}`;
    const snapshotClass = `cinder-${helm.label}-snapshots`;
    const attributesClass = `cinder-${helm.label}-retype`;
    let helmRelease: HelmRelease;
    let sidecars: RunningSidecars | undefined;
    const kube = () => world().cluster.admin;
    const types = () => world().cloud.volumeTypes;
    const values = (): Record<string, unknown> => ({
      cloudConfig: { mode: 'secret', global: world().cloud.cloudConfigGlobal() },
      storageClasses: [{ name: storageClass, ...(types().storageClass ? { volumeType: types().storageClass } : {}) }],
      snapshots: { enabled: true, classes: [{ name: snapshotClass }] },
      volumeAttributesClasses: { enabled: true, classes: [{ name: attributesClass, parameters: { type: types().modified } }] },
    });
    // What the test remembers between steps.
    let firstPv: Pv;

    afterAll(async () => {
      await sidecars?.stop();
    }, 60_000);

    test('installs into a namespace that enforces the restricted Pod Security level; the controller pods are admitted', async () => {
      await kube().create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
      });
      await kube().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: apps } });
      helmRelease = new HelmRelease(helm, join(world().work, 'admin.kubeconfig'), release, namespace, CHART, world().work);
      await helmRelease.install(values());

      const deployment = await kube().get<KubeObject & { spec: { replicas: number } }>('deployment', `${release}-controller`, namespace);
      // The ReplicaSet's pods pass admission (a violation would leave FailedCreate events and no pods).
      const pods = await eventually('the controller pods to be created', async () => {
        const list = await kube().list('pods', namespace, `app.kubernetes.io/instance=${release},app.kubernetes.io/component=controller`);
        return list.length === deployment.spec.replicas ? list : undefined;
      }, 60_000);
      expect(pods).toHaveLength(2);
      for (const rs of await kube().list('replicasets', namespace)) {
        expect((await kube().events(namespace, rs.metadata.name)).filter((e) => e.startsWith('FailedCreate'))).toEqual([]);
      }
    });

    test('the real sidecars run with the chart arguments and ServiceAccount, at the chart image tags', async () => {
      const deployment = await kube().get<Parameters<typeof runSidecars>[1]>('deployment', `${release}-controller`, namespace);
      sidecars = await runSidecars(world().cluster, deployment, world().cloud.socket, world().logs);
      expect(sidecars.versions.map((v) => v.split(' ')[0]).sort()).toEqual(['csi-attacher', 'csi-provisioner', 'csi-resizer', 'csi-snapshotter']);
    });

    test('StorageClass → PVC → a consumer pod scheduled → PV bound, in the node zone', async () => {
      await kube().create(pvc('data', apps, storageClass, '1Gi'));
      await kube().create(consumerPod('writer', apps, 'data'));
      const { pvc: claim, pv } = await boundClaim(kube(), 'data', apps);
      expect(claim.status?.capacity?.storage).toBe('1Gi');
      expect(pv.spec.csi.driver).toBe(DRIVER_NAME);
      const zone = world().node.registration.topology[ZONE_KEY];
      expect(pv.spec.nodeAffinity?.required.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: ZONE_KEY, operator: 'In', values: [zone] }] }]);
      const volume = await world().cloud.volume(pv.spec.csi.volumeHandle);
      expect(volume).toMatchObject({ size: 1, availabilityZone: zone, name: pv.metadata.name });
      // --cluster and --extra-create-metadata from the chart reach Cinder's volume metadata.
      expect(volume?.metadata).toMatchObject({ 'csi.storage.k8s.io/pvc/name': 'data', 'csi.storage.k8s.io/pvc/namespace': apps });
      firstPv = pv;
    });

    test('the attach/detach controller attaches it: VolumeAttachment attached with the publish context', async () => {
      const pod = await eventually('the pod to be bound to the node', async () => {
        const p = await kube().get<KubeObject & { spec: { nodeName?: string } }>('pod', 'writer', apps);
        return p.spec.nodeName ? p : undefined;
      });
      expect(pod.spec.nodeName).toBe(NODE_NAME);
      const va = await eventually('the VolumeAttachment to be attached', async () => {
        const a = await attachmentOf(kube(), firstPv.metadata.name, NODE_NAME);
        return a?.status?.attached ? a : undefined;
      });
      expect(va.spec.attacher).toBe(DRIVER_NAME);
      const volume = await world().cloud.volume(firstPv.spec.csi.volumeHandle);
      expect(volume?.status).toBe('in-use');
      expect(volume?.attachments.map((a) => a.serverId)).toEqual([world().node.registration.nodeId]);
      expect(va.status?.attachmentMetadata).toEqual({ devicePath: volume?.attachments[0].device });
    });

    test('deleting the pod detaches the volume', async () => {
      await kube().delete('pod', 'writer', apps);
      await eventually('the VolumeAttachment to be gone', async () => ((await attachmentOf(kube(), firstPv.metadata.name, NODE_NAME)) ? undefined : true));
      const volume = await eventually('Cinder to report the volume available', async () => {
        const v = await world().cloud.volume(firstPv.spec.csi.volumeHandle);
        return v?.status === 'available' ? v : undefined;
      });
      expect(volume.attachments).toEqual([]);
    });

    test('a PVC resize expands the Cinder volume (ControllerExpandVolume) and leaves the filesystem step to the node', async () => {
      await kube().patch('pvc', 'data', { spec: { resources: { requests: { storage: '2Gi' } } } }, apps);
      const pv = await eventually('the PV to grow to 2Gi', async () => {
        const p = await kube().get<Pv>('pv', firstPv.metadata.name);
        return p.spec.capacity.storage === '2Gi' ? p : undefined;
      });
      expect(gib(pv.spec.capacity.storage)).toBe(2);
      expect((await world().cloud.volume(firstPv.spec.csi.volumeHandle))?.size).toBe(2);
      const claim = await eventually('the claim to wait for the node expansion', async () => {
        const c = await kube().get<Pvc>('pvc', 'data', apps);
        return c.status?.conditions?.some((x) => x.type === 'FileSystemResizePending') ? c : undefined;
      });
      expect(claim.status?.capacity?.storage).toBe('1Gi');
    });

    test('VolumeSnapshot with the chart snapshot class → readyToUse; a PVC restored from it is bound', async () => {
      await kube().create({
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: { name: 'data-snap', namespace: apps },
        spec: { volumeSnapshotClassName: snapshotClass, source: { persistentVolumeClaimName: 'data' } },
      });
      const snap = await eventually('the snapshot to be ready', async () => {
        const s = await kube().get<VolumeSnapshot>('volumesnapshot', 'data-snap', apps);
        return s.status?.readyToUse ? s : undefined;
      });
      expect(snap.status?.restoreSize).toBe('2Gi');
      const content = await kube().get<VolumeSnapshotContent>('volumesnapshotcontent', snap.status?.boundVolumeSnapshotContentName as string);
      const cinderSnapshot = await world().cloud.snapshot(content.status?.snapshotHandle as string);
      expect(cinderSnapshot).toMatchObject({ volumeId: firstPv.spec.csi.volumeHandle, status: 'available' });

      await kube().create(pvc('restored', apps, storageClass, '2Gi', { dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'data-snap' } }));
      await kube().create(consumerPod('reader', apps, 'restored'));
      const { pv } = await boundClaim(kube(), 'restored', apps);
      expect((await world().cloud.volume(pv.spec.csi.volumeHandle))?.snapshotId).toBe(content.status?.snapshotHandle);
    });

    test('VolumeAttributesClass: naming it on a claim retypes the volume (ControllerModifyVolume); a new claim is created with it', async () => {
      const vac = await kube().get<KubeObject & { driverName: string; parameters: Record<string, string> }>('volumeattributesclass', attributesClass);
      expect(vac).toMatchObject({ driverName: DRIVER_NAME, parameters: { type: types().modified } });
      await kube().patch('pvc', 'data', { spec: { volumeAttributesClassName: attributesClass } }, apps);
      await eventually('the claim to report the class as current', async () => {
        const c = await kube().get<Pvc>('pvc', 'data', apps);
        return c.status?.currentVolumeAttributesClassName === attributesClass ? c : undefined;
      });
      expect((await world().cloud.volume(firstPv.spec.csi.volumeHandle))?.volumeType).toBe(types().modified);

      // A new claim that names the class: csi-provisioner reads it and passes its parameters as mutable_parameters.
      await kube().create(pvc('typed', apps, storageClass, '1Gi', { volumeAttributesClassName: attributesClass }));
      await kube().create(consumerPod('typed-user', apps, 'typed'));
      const { pv } = await boundClaim(kube(), 'typed', apps);
      expect(pv.spec.volumeAttributesClassName).toBe(attributesClass);
      expect((await world().cloud.volume(pv.spec.csi.volumeHandle))?.volumeType).toBe(types().modified);
    });

    test('deleting the claims and the snapshot deletes the Cinder volumes and snapshot', async () => {
      await kube().delete('pod', 'reader', apps);
      await kube().delete('pod', 'typed-user', apps);
      await kube().delete('pvc', 'typed', apps);
      await kube().delete('volumesnapshot', 'data-snap', apps);
      await kube().delete('pvc', 'restored', apps);
      await kube().delete('pvc', 'data', apps);
      await eventually('every PV to be gone', async () => ((await kube().list('pv')).length === 0 ? true : undefined), 90_000);
      await eventually('every snapshot content to be gone', async () => ((await kube().list('volumesnapshotcontents')).length === 0 ? true : undefined), 90_000);
      const left = await eventually('the cloud to hold no volume and no snapshot of the run', async () => {
        const l = await world().cloud.leftovers();
        return l.volumes.length === 0 && l.snapshots.length === 0 ? l : undefined;
      }, 120_000);
      expect(left).toEqual({ volumes: [], snapshots: [] });
    });

    test('helm upgrade, rollback and uninstall: nothing of the release is left in the API server', async () => {
      await helmRelease.upgrade({ ...values(), controller: { replicas: 1 } });
      expect((await kube().get<KubeObject & { spec: { replicas: number } }>('deployment', `${release}-controller`, namespace)).spec.replicas).toBe(1);
      await helmRelease.rollback(1);
      expect((await kube().get<KubeObject & { spec: { replicas: number } }>('deployment', `${release}-controller`, namespace)).spec.replicas).toBe(2);
      expect((await helmRelease.history()).map((h) => h.status)).toEqual(['superseded', 'superseded', 'deployed']);

      await sidecars?.stop();
      sidecars = undefined;
      await helmRelease.uninstall();
      const selector = `app.kubernetes.io/instance=${release}`;
      const kinds = ['clusterroles', 'clusterrolebindings', 'csidrivers', 'storageclasses', 'volumesnapshotclasses', 'volumeattributesclasses'];
      const namespaced = ['deployments', 'daemonsets', 'replicasets', 'serviceaccounts', 'secrets', 'roles', 'rolebindings', 'poddisruptionbudgets', 'configmaps'];
      const left = await eventually('the release objects to be gone', async () => {
        const found: string[] = [];
        for (const k of kinds) for (const o of await kube().list(k, undefined, selector)) found.push(`${k}/${o.metadata.name}`);
        for (const k of [...namespaced, 'pods']) for (const o of await kube().list(k, namespace, selector)) found.push(`${k}/${o.metadata.name}`);
        // Helm's own release records.
        for (const o of await kube().list('secrets', namespace, 'owner=helm')) found.push(`secrets/${o.metadata.name}`);
        return found.length === 0 ? found : undefined;
      }, 60_000);
      expect(left).toEqual([]);
      expect(await kube().list<VolumeAttachment>('volumeattachments')).toEqual([]);
      expect(await world().cloud.leftovers()).toEqual({ volumes: [], snapshots: [] });
      await kube().delete('namespace', namespace);
      await kube().delete('namespace', apps);
    });
  });
}
