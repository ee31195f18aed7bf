import { CLUSTER_SCOPED_KINDS, containerOf, daemonSetOf, deploymentOf, objectsOf, one, ofKind } from './synth';
import { DRIVER_VERSION } from '../../lib';

describe('default deployment (no props) is production-safe', () => {
  const objects = objectsOf();
  const deployment = deploymentOf(objects);
  const podSpec = deployment.spec.template.spec;

  test('creates exactly the expected objects, without snapshot or OpenShift extras', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ClusterRole/cinder-csi-kube-system-provisioner',
      'ClusterRoleBinding/cinder-csi-kube-system-provisioner',
      'ClusterRole/cinder-csi-kube-system-attacher',
      'ClusterRoleBinding/cinder-csi-kube-system-attacher',
      'ClusterRole/cinder-csi-kube-system-resizer',
      'ClusterRoleBinding/cinder-csi-kube-system-resizer',
      'Role/cinder-csi-leader-election',
      'RoleBinding/cinder-csi-leader-election',
      'ServiceAccount/cinder-csi-controller',
      'Deployment/cinder-csi-controller',
      'PodDisruptionBudget/cinder-csi-controller',
      'ServiceAccount/cinder-csi-node',
      'DaemonSet/cinder-csi-node',
      'CSIDriver/cinder.csi.openstack.org',
      'StorageClass/cinder-csi',
    ]);
  });

  test('namespaced objects go to kube-system, cluster-scoped ones have no namespace', () => {
    for (const o of objects) {
      if (CLUSTER_SCOPED_KINDS.has(o.kind)) expect(o.metadata.namespace).toBeUndefined();
      else expect(o.metadata.namespace).toBe('kube-system');
    }
  });

  test('every object carries the standard app.kubernetes.io labels and Helm\'s (managed-by the release service, helm.sh/chart)', () => {
    for (const o of objects) {
      expect(o.metadata.labels).toEqual(expect.objectContaining({
        'app.kubernetes.io/name': 'cinder-csi',
        'app.kubernetes.io/instance': 'cinder-csi',
        'app.kubernetes.io/version': DRIVER_VERSION,
        'app.kubernetes.io/part-of': 'cinder-csi',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': 'cinder-csi-0.1.0',
      }));
      expect(o.metadata.labels!['app.kubernetes.io/component']).toEqual(expect.any(String));
    }
  });

  test('controller: 2 replicas, leader election in every sidecar, spread over nodes, cluster-critical', () => {
    expect(deployment.spec.replicas).toBe(2);
    for (const name of ['csi-provisioner', 'csi-attacher', 'csi-resizer']) {
      expect(containerOf(deployment, name).args).toEqual(expect.arrayContaining(['--leader-election=true', '--leader-election-namespace=kube-system']));
    }
    expect(podSpec.priorityClassName).toBe('system-cluster-critical');
    const term = podSpec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
    expect(term.topologyKey).toBe('kubernetes.io/hostname');
    expect(term.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(podSpec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('controller: PodDisruptionBudget allows one unavailable pod and selects the controller pods', () => {
    const pdb = one(objects, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  test('controller: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, no escalation', () => {
    expect(podSpec.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }));
    expect(podSpec.securityContext.runAsUser).toBeGreaterThan(0);
    for (const c of podSpec.containers) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });

  test('controller: the snapshotter sidecar is not deployed unless snapshots are enabled', () => {
    expect(podSpec.containers.map((c: any) => c.name)).toEqual(['csi-provisioner', 'csi-attacher', 'csi-resizer', 'liveness-probe', 'cinder-csi-plugin']);
  });

  test('controller: the driver serves only the controller service and is probed through the livenessprobe port', () => {
    const driver = containerOf(deployment, 'cinder-csi-plugin');
    expect(driver.args).toEqual(expect.arrayContaining(['--provide-node-service=false', '--provide-controller-service=true', '--endpoint=unix:///csi/csi.sock']));
    expect(driver.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'healthz' });
    const probePort = driver.ports.find((p: any) => p.name === 'healthz').containerPort;
    expect(containerOf(deployment, 'liveness-probe').args).toContain(`--health-port=${probePort}`);
  });

  test('controller: provisioner asks for extra metadata and ext4 by default, and carries no feature gate (Topology is GA)', () => {
    const args: string[] = containerOf(deployment, 'csi-provisioner').args;
    expect(args).toEqual(expect.arrayContaining(['--extra-create-metadata', '--default-fstype=ext4', '--timeout=3m']));
    expect(args.filter((a) => a.startsWith('--feature-gates'))).toEqual([]);
    expect(containerOf(deployment, 'csi-resizer').args.filter((a: string) => a.startsWith('--feature-gates'))).toEqual([]);
  });

  test('cloud.conf: read from the existing Secret "openstack-cloud-config" (key cloud.conf), which the user creates', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const volume = podSpec.volumes.find((v: any) => v.name === 'cloud-config');
    expect(volume.secret).toEqual({ secretName: 'openstack-cloud-config', items: [{ key: 'cloud.conf', path: 'cloud.conf' }], defaultMode: 0o440 });
    expect(containerOf(deployment, 'cinder-csi-plugin').args).toContain('--cloud-config=/etc/cinder-csi/cloud.conf');
  });

  test('node: on the pod network, with the driver\'s default metadata URL', () => {
    const spec = daemonSetOf(objects).spec.template.spec;
    expect(spec.hostNetwork).toBeUndefined();
    expect(spec.dnsPolicy).toBeUndefined();
    expect(containerOf(daemonSetOf(objects), 'cinder-csi-plugin').args.join(' ')).not.toContain('--metadata-url');
  });

  test('sidecar images default to registry.k8s.io/sig-storage and the driver image to the driver version', () => {
    expect(containerOf(deployment, 'csi-provisioner').image).toMatch(/^registry\.k8s\.io\/sig-storage\/csi-provisioner:v\d+\.\d+\.\d+$/);
    expect(containerOf(deployment, 'cinder-csi-plugin').image).toBe(`ghcr.io/cinder-csi/cinder-csi-plugin:${DRIVER_VERSION}`);
    for (const c of podSpec.containers) expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  test('node: tolerates every taint, Linux only, node-critical, rolling update', () => {
    const ds = daemonSetOf(objects);
    const spec = ds.spec.template.spec;
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.priorityClassName).toBe('system-node-critical');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(spec.affinity).toBeUndefined();
  });

  test('node: host paths for the plugin socket, registration, kubelet dir and /dev under /var/lib/kubelet', () => {
    const volumes = daemonSetOf(objects).spec.template.spec.volumes;
    const hostPaths = Object.fromEntries(volumes.filter((v: any) => v.hostPath).map((v: any) => [v.name, v.hostPath.path]));
    expect(hostPaths).toEqual({
      'plugin-dir': '/var/lib/kubelet/plugins/cinder.csi.openstack.org',
      'registration-dir': '/var/lib/kubelet/plugins_registry',
      'kubelet-dir': '/var/lib/kubelet',
      'device-dir': '/dev',
      'udev-dir': '/run/udev',
    });
  });

  test('node: the driver serves only the node service and the registrar registers its socket path on the host', () => {
    const ds = daemonSetOf(objects);
    expect(containerOf(ds, 'cinder-csi-plugin').args).toEqual(expect.arrayContaining([
      '--provide-controller-service=false', '--provide-node-service=true', '--kubelet-dir=/var/lib/kubelet',
    ]));
    expect(containerOf(ds, 'node-driver-registrar').args).toContain(
      '--kubelet-registration-path=/var/lib/kubelet/plugins/cinder.csi.openstack.org/csi.sock',
    );
  });

  test('node: its service account has no API token (the node plugin never calls the API server)', () => {
    const sa = one(objects, 'ServiceAccount', 'cinder-csi-node');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(daemonSetOf(objects).spec.template.spec.automountServiceAccountToken).toBe(false);
    const subjects = [...ofKind(objects, 'ClusterRoleBinding'), ...ofKind(objects, 'RoleBinding')].flatMap((b) => b.subjects);
    expect(subjects.map((s: any) => s.name)).not.toContain('cinder-csi-node');
  });

  test('CSIDriver: attach required, persistent volumes only, File fsGroup policy, no republish', () => {
    expect(one(objects, 'CSIDriver').spec).toEqual({
      attachRequired: true,
      podInfoOnMount: false,
      fsGroupPolicy: 'File',
      volumeLifecycleModes: ['Persistent'],
      requiresRepublish: false,
      storageCapacity: false,
    });
  });

  test('StorageClass: WaitForFirstConsumer, Delete, expandable, ext4, and not the cluster default', () => {
    const sc = one(objects, 'StorageClass');
    expect(sc).toEqual(expect.objectContaining({
      provisioner: 'cinder.csi.openstack.org',
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: true,
      volumeBindingMode: 'WaitForFirstConsumer',
      parameters: { 'csi.storage.k8s.io/fstype': 'ext4' },
    }));
    expect(sc.metadata.annotations).toBeUndefined();
  });
});
