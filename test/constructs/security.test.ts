import { ApiObject, JsonPatch } from 'cdk8s';
import { App, Chart } from 'cdk8s';
import { CloudConfigMode, NodePlugin, StorageClasses, templateInputs } from '../../lib';
import { containerOf, daemonSetOf, EVERYTHING_ON, K8sObject, objectsOf, synth } from './synth';

function podSpecs(objects: readonly K8sObject[]): Array<{ owner: string; spec: any }> {
  return objects
    .filter((o) => o.spec?.template?.spec)
    .map((o) => ({ owner: `${o.kind}/${o.metadata.name}`, spec: o.spec.template.spec }));
}

function containers(objects: readonly K8sObject[]): Array<{ where: string; container: any }> {
  return podSpecs(objects).flatMap(({ owner, spec }) =>
    spec.containers.map((container: any) => ({ where: `${owner}/${container.name}`, container })));
}

describe('privilege is confined to the node driver container', () => {
  const settings = { default: {}, everythingOn: EVERYTHING_ON, hostPath: { cloudConfig: { mode: CloudConfigMode.HOST_PATH } } };

  test.each(Object.entries(settings))('only the node driver container is privileged (%s)', (_name, props) => {
    const privileged = containers(objectsOf(props)).filter(({ container }) => container.securityContext?.privileged === true);
    expect(privileged.map((p) => p.where)).toEqual(['DaemonSet/cinder-csi-node/cinder-csi-plugin']);
  });

  test.each(Object.entries(settings))('Bidirectional mount propagation appears only in the node driver container (%s)', (_name, props) => {
    const bidirectional = containers(objectsOf(props)).flatMap(({ where, container }) =>
      (container.volumeMounts ?? []).filter((m: any) => m.mountPropagation === 'Bidirectional').map((m: any) => `${where}:${m.mountPath}`));
    expect(bidirectional).toEqual(['DaemonSet/cinder-csi-node/cinder-csi-plugin:/var/lib/kubelet']);
  });

  test('the node driver container runs as root, whatever the image\'s default user (uid 1000)', () => {
    const ds = daemonSetOf(objectsOf());
    expect(containerOf(ds, 'cinder-csi-plugin').securityContext).toEqual({
      privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsUser: 0, runAsGroup: 0,
    });
  });

  test('node sidecars drop every capability and cannot escalate', () => {
    const ds = daemonSetOf(objectsOf());
    for (const name of ['node-driver-registrar', 'liveness-probe']) {
      expect(containerOf(ds, name).securityContext).toEqual({
        allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
      });
    }
  });

  test('no pod uses the host network, PID or IPC namespace', () => {
    for (const { spec } of podSpecs(objectsOf(EVERYTHING_ON))) {
      expect(spec.hostNetwork).toBeUndefined();
      expect(spec.hostPID).toBeUndefined();
      expect(spec.hostIPC).toBeUndefined();
    }
  });
});

describe('users reach the parts as ordinary cdk8s objects', () => {
  test('a JSON patch on csi.controller.deployment changes the synthesized Deployment', () => {
    const { csi, chart } = synth();
    expect(csi.controller.deployment).toBeInstanceOf(ApiObject);
    csi.controller.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    const deployment = (chart.toJson() as K8sObject[]).find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.hostNetwork).toBe(true);
  });

  test('the node DaemonSet, service accounts, PDB and CSIDriver are exposed', () => {
    const { csi } = synth();
    expect(csi.nodePlugin.daemonSet.kind).toBe('DaemonSet');
    expect(csi.nodePlugin.serviceAccount.kind).toBe('ServiceAccount');
    expect(csi.controller.serviceAccount.kind).toBe('ServiceAccount');
    expect(csi.controller.podDisruptionBudget?.kind).toBe('PodDisruptionBudget');
    expect(csi.csiDriver.csiDriver.name).toBe('cinder.csi.openstack.org');
    expect(csi.storageClasses.storageClasses).toHaveLength(1);
    expect(csi.snapshotClasses.snapshotClasses).toHaveLength(0);
  });

  test('part constructs can be used alone with templateInputs, which applies defaults and validation', () => {
    const chart = new Chart(new App(), 'parts');
    const inputs = templateInputs({ namespace: 'storage', node: { kubeletDir: '/data/kubelet' } });
    const node = new NodePlugin(chart, 'node', inputs);
    new StorageClasses(chart, 'classes', inputs);
    const objects = chart.toJson() as K8sObject[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/cinder-csi-node', 'DaemonSet/cinder-csi-node', 'StorageClass/cinder-csi',
    ]);
    expect(node.daemonSet.metadata.namespace).toBe('storage');
    expect(() => templateInputs({ node: { kubeletDir: 'relative' } })).toThrow(/node\.kubeletDir: must be an absolute path/);
  });
});
