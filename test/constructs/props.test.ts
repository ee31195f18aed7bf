import { FsGroupPolicy, ImagePullPolicy, ReclaimPolicy, SnapshotDeletionPolicy, VolumeBindingMode } from '../../lib';
import { containerOf, daemonSetOf, deploymentOf, objectsOf, one, ofKind } from './synth';

describe('controller props change the Deployment', () => {
  test('replicas, priority class, node selector (merged with linux), tolerations and affinity', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'role', operator: 'In', values: ['infra'] }] }] } } };
    const spec = deploymentOf(objectsOf({
      controller: {
        replicas: 3, priorityClassName: '', nodeSelector: { role: 'infra', 'kubernetes.io/os': 'windows' },
        tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }], affinity,
      },
    })).spec;
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.priorityClassName).toBeUndefined();
    expect(spec.template.spec.nodeSelector).toEqual({ role: 'infra', 'kubernetes.io/os': 'linux' });
    expect(spec.template.spec.tolerations).toEqual([{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.template.spec.affinity).toEqual(affinity);
  });

  test('zero replicas are allowed (a controller-less node-only install for maintenance)', () => {
    expect(deploymentOf(objectsOf({ controller: { replicas: 0 } })).spec.replicas).toBe(0);
  });

  test('the PodDisruptionBudget can be tuned or switched off', () => {
    expect(one(objectsOf({ controller: { podDisruptionBudget: { maxUnavailable: 2 } } }), 'PodDisruptionBudget').spec.maxUnavailable).toBe(2);
    expect(ofKind(objectsOf({ controller: { podDisruptionBudget: { enabled: false } } }), 'PodDisruptionBudget')).toEqual([]);
  });

  test('sidecar settings: timeout, default fstype, extra metadata off, topology off', () => {
    const d = deploymentOf(objectsOf({
      topology: { enabled: false }, controller: { operationTimeout: '90s', defaultFsType: 'xfs', extraCreateMetadata: false },
    }));
    const args = containerOf(d, 'csi-provisioner').args;
    expect(args).toEqual(expect.arrayContaining(['--timeout=90s', '--default-fstype=xfs']));
    expect(args).not.toContain('--extra-create-metadata');
    expect(args).not.toContain('--feature-gates=Topology=true');
    expect(containerOf(d, 'cinder-csi-plugin').args).toContain('--with-topology=false');
    expect(containerOf(daemonSetOf(objectsOf({ topology: { enabled: false } })), 'cinder-csi-plugin').args).toContain('--with-topology=false');
  });

  test('extraArgs are appended after the chart arguments of that container only', () => {
    const d = deploymentOf(objectsOf({ controller: { attacher: { extraArgs: ['--worker-threads=20'] } } }));
    const args = containerOf(d, 'csi-attacher').args;
    expect(args[args.length - 1]).toBe('--worker-threads=20');
    expect(containerOf(d, 'csi-provisioner').args).not.toContain('--worker-threads=20');
  });

  test('driver settings reach the driver flags: driver name, cluster id, verbosity', () => {
    const objects = objectsOf({ driverName: 'cinder.example.com', clusterId: 'prod-1', logVerbosity: 5 });
    const args = containerOf(deploymentOf(objects), 'cinder-csi-plugin').args;
    expect(args).toEqual(expect.arrayContaining(['--driver-name=cinder.example.com', '--cluster=prod-1', '--v=5']));
    expect(containerOf(deploymentOf(objects), 'csi-provisioner').args).toContain('--v=5');
    expect(one(objects, 'CSIDriver').metadata.name).toBe('cinder.example.com');
    expect(one(objects, 'StorageClass').provisioner).toBe('cinder.example.com');
    expect(daemonSetOf(objects).spec.template.spec.volumes.find((v: any) => v.name === 'plugin-dir').hostPath.path)
      .toBe('/var/lib/kubelet/plugins/cinder.example.com');
  });

  test('resources per container replace nothing else', () => {
    const d = deploymentOf(objectsOf({ controller: { driver: { resources: { limits: { memory: '1Gi' } } } } }));
    expect(containerOf(d, 'cinder-csi-plugin').resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '1Gi' } });
    expect(containerOf(d, 'csi-attacher').resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' } });
  });
});

describe('images', () => {
  test('repository, tag and pull policy are set per container', () => {
    const d = deploymentOf(objectsOf({
      controller: { driver: { image: { registry: 'registry.example', repository: 'team/cinder', tag: 'dev', pullPolicy: ImagePullPolicy.ALWAYS } } },
    }));
    expect(containerOf(d, 'cinder-csi-plugin').image).toBe('registry.example/team/cinder:dev');
    expect(containerOf(d, 'cinder-csi-plugin').imagePullPolicy).toBe('Always');
    expect(containerOf(d, 'csi-attacher').imagePullPolicy).toBe('IfNotPresent');
  });

  test('a digest pins the image instead of the tag', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const ds = daemonSetOf(objectsOf({ node: { driver: { image: { digest } } }, global: { imageRegistry: 'mirror.local' } }));
    expect(containerOf(ds, 'cinder-csi-plugin').image).toBe(`mirror.local/cinder-csi/cinder-csi-plugin@${digest}`);
    expect(containerOf(ds, 'liveness-probe').image).toMatch(/^mirror\.local\/sig-storage\/livenessprobe:v/);
  });

  test('global.imageRegistry replaces the registry of every image, keeping repositories and tags', () => {
    const objects = objectsOf({ snapshots: { enabled: true }, global: { imageRegistry: 'mirror.local:5000' } });
    const images = [deploymentOf(objects), daemonSetOf(objects)].flatMap((w) => w.spec.template.spec.containers.map((c: any) => c.image));
    expect(images).toHaveLength(9);
    for (const image of images) expect(image).toMatch(/^mirror\.local:5000\/(sig-storage|cinder-csi)\/[a-z-]+:[\w.]+$/);
  });

  test('imagePullSecrets go to both pod specs and service accounts', () => {
    const objects = objectsOf({ global: { imagePullSecrets: ['regcred', 'other'] } });
    const expected = [{ name: 'regcred' }, { name: 'other' }];
    expect(deploymentOf(objects).spec.template.spec.imagePullSecrets).toEqual(expected);
    expect(daemonSetOf(objects).spec.template.spec.imagePullSecrets).toEqual(expected);
    for (const sa of ofKind(objects, 'ServiceAccount')) expect(sa.imagePullSecrets).toEqual(expected);
    expect(deploymentOf(objectsOf()).spec.template.spec.imagePullSecrets).toBeUndefined();
  });
});

describe('node props change the DaemonSet', () => {
  test('kubelet directory moves every kubelet path and the registration path', () => {
    const ds = daemonSetOf(objectsOf({ node: { kubeletDir: '/var/snap/microk8s/common/var/lib/kubelet' } }));
    const volumes = Object.fromEntries(ds.spec.template.spec.volumes.filter((v: any) => v.hostPath).map((v: any) => [v.name, v.hostPath.path]));
    expect(volumes['kubelet-dir']).toBe('/var/snap/microk8s/common/var/lib/kubelet');
    expect(volumes['plugin-dir']).toBe('/var/snap/microk8s/common/var/lib/kubelet/plugins/cinder.csi.openstack.org');
    expect(volumes['registration-dir']).toBe('/var/snap/microk8s/common/var/lib/kubelet/plugins_registry');
    const driver = containerOf(ds, 'cinder-csi-plugin');
    expect(driver.args).toContain('--kubelet-dir=/var/snap/microk8s/common/var/lib/kubelet');
    expect(driver.volumeMounts).toContainEqual({ name: 'kubelet-dir', mountPath: '/var/snap/microk8s/common/var/lib/kubelet', mountPropagation: 'Bidirectional' });
    expect(containerOf(ds, 'node-driver-registrar').args)
      .toContain('--kubelet-registration-path=/var/snap/microk8s/common/var/lib/kubelet/plugins/cinder.csi.openstack.org/csi.sock');
  });

  test('node selector, tolerations, update pace and extra labels/annotations', () => {
    const ds = daemonSetOf(objectsOf({
      node: {
        nodeSelector: { storage: 'cinder' }, tolerations: [], maxUnavailable: 3,
        labels: { tier: 'storage' }, annotations: { owner: 'ops' }, podAnnotations: { 'prometheus.io/scrape': 'true' },
      },
    }));
    expect(ds.spec.template.spec.nodeSelector).toEqual({ storage: 'cinder', 'kubernetes.io/os': 'linux' });
    expect(ds.spec.template.spec.tolerations).toBeUndefined();
    expect(ds.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(3);
    expect(ds.metadata.labels!.tier).toBe('storage');
    expect(ds.metadata.annotations).toEqual({ owner: 'ops' });
    expect(ds.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
  });

  test('global annotations reach every object, component annotations win on the same key', () => {
    const objects = objectsOf({ global: { annotations: { team: 'storage', note: 'global' } }, controller: { annotations: { note: 'controller' } } });
    for (const o of objects) expect(o.metadata.annotations!.team).toBe('storage');
    expect(deploymentOf(objects).metadata.annotations!.note).toBe('controller');
    expect(daemonSetOf(objects).metadata.annotations!.note).toBe('global');
  });
});

describe('CSIDriver, StorageClasses and VolumeSnapshotClasses', () => {
  test('CSIDriver fsGroupPolicy and podInfoOnMount follow the props', () => {
    const spec = one(objectsOf({ csiDriver: { fsGroupPolicy: FsGroupPolicy.NONE, podInfoOnMount: true } }), 'CSIDriver').spec;
    expect(spec.fsGroupPolicy).toBe('None');
    expect(spec.podInfoOnMount).toBe(true);
  });

  test('a list of StorageClasses with every setting, one marked default', () => {
    const objects = objectsOf({
      storageClasses: [
        {
          name: 'fast', isDefault: true, volumeType: 'ssd', availability: 'nova-1', fsType: 'xfs', parameters: { 'custom/key': 'v' },
          reclaimPolicy: ReclaimPolicy.RETAIN, allowVolumeExpansion: false, volumeBindingMode: VolumeBindingMode.IMMEDIATE,
          mountOptions: ['noatime'], labels: { tier: 'gold' }, annotations: { note: 'x' },
          allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.cinder.csi.openstack.org/zone', values: ['nova-1'] }] }],
        },
        { name: 'slow' },
      ],
    });
    const [fast, slow] = ofKind(objects, 'StorageClass');
    expect(fast).toEqual(expect.objectContaining({
      parameters: { 'custom/key': 'v', type: 'ssd', availability: 'nova-1', 'csi.storage.k8s.io/fstype': 'xfs' },
      reclaimPolicy: 'Retain', allowVolumeExpansion: false, volumeBindingMode: 'Immediate', mountOptions: ['noatime'],
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.cinder.csi.openstack.org/zone', values: ['nova-1'] }] }],
    }));
    expect(fast!.metadata.annotations).toEqual({ note: 'x', 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(fast!.metadata.labels!.tier).toBe('gold');
    expect(slow).toEqual(expect.objectContaining({
      metadata: expect.objectContaining({ name: 'slow' }),
      parameters: { 'csi.storage.k8s.io/fstype': 'ext4' }, reclaimPolicy: 'Delete', allowVolumeExpansion: true,
      volumeBindingMode: 'WaitForFirstConsumer',
    }));
    expect(slow!.mountOptions).toBeUndefined();
    expect(slow!.metadata.annotations).toBeUndefined();
  });

  test('no StorageClasses when the list is empty', () => {
    expect(ofKind(objectsOf({ storageClasses: [] }), 'StorageClass')).toEqual([]);
  });

  test('snapshots: the snapshotter sidecar and VolumeSnapshotClasses appear together', () => {
    const objects = objectsOf({
      snapshots: { enabled: true, classes: [
        { name: 'standard', isDefault: true },
        { name: 'forced', forceCreate: true, deletionPolicy: SnapshotDeletionPolicy.RETAIN, parameters: { 'x/y': 'z' } },
      ] },
    });
    const snapshotter = containerOf(deploymentOf(objects), 'csi-snapshotter');
    expect(snapshotter.args).toEqual(expect.arrayContaining(['--leader-election=true', '--extra-create-metadata']));
    const [standard, forced] = ofKind(objects, 'VolumeSnapshotClass');
    expect(standard).toEqual(expect.objectContaining({ apiVersion: 'snapshot.storage.k8s.io/v1', driver: 'cinder.csi.openstack.org', deletionPolicy: 'Delete' }));
    expect(standard!.metadata.annotations).toEqual({ 'snapshot.storage.kubernetes.io/is-default-class': 'true' });
    expect(standard!.parameters).toBeUndefined();
    expect(forced).toEqual(expect.objectContaining({ deletionPolicy: 'Retain', parameters: { 'x/y': 'z', 'force-create': 'true' } }));
    expect(ofKind(objectsOf({ snapshots: { classes: [{ name: 'x' }] } }), 'VolumeSnapshotClass')).toEqual([]);
  });
});
