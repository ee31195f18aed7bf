import { CinderCsiProps, CloudConfigMode, PATTERN_WORDS } from '../../lib';
import { containerOf, deploymentOf, errorOf, K8sObject, objectsOf, ofKind, one, synth } from './synth';
import { SCHEMA } from '../chart/chart-harness';

/* The object-level values: enabled, name overrides, metrics, the helm test Pods, cloud.conf raw and none, seLinuxMount. */

const untyped = (props: unknown): CinderCsiProps => props as CinderCsiProps;
const names = (objects: readonly K8sObject[]): string[] => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const RAW = '[Global]\nauth-url = "https://keystone.example:5000/v3"\napplication-credential-id = "id"\n[Global "east"]\nregion = "east"\n';

describe('enabled', () => {
  test('false synthesizes no object, whatever else is on; the parts stay reachable', () => {
    const { csi, objects } = synth({ enabled: false, snapshots: { enabled: true }, metrics: { service: { enabled: true } } });
    expect(objects).toEqual([]);
    expect(csi.controller.deployment.kind).toBe('Deployment');
  });

  test('false still checks the values', () => {
    expect(errorOf(() => synth({ enabled: false, controller: { replicas: -1 } }))).toMatch(/controller\.replicas: must be >= 0/);
  });

  test('a parent chart\'s unknown global keys are accepted; ours are still checked', () => {
    expect(objectsOf(untyped({ global: { foo: 'bar', nested: { a: [1] } } }))).toEqual(objectsOf({}));
    expect(errorOf(() => synth(untyped({ global: { foo: 'bar', imageRegistry: 'a b' } })))).toMatch(/global\.imageRegistry: must be a registry host/);
  });
});

describe('nameOverride and fullnameOverride', () => {
  test('fullnameOverride replaces the release name in every name the chart chooses, not in the instance label', () => {
    const objects = objectsOf({ releaseName: 'r', namespace: 'ns', fullnameOverride: 'blk', cloudConfig: { cloudNames: ['east'] } });
    expect(deploymentOf(objects).metadata.name).toBe('blk-controller');
    expect(one(objects, 'ClusterRole', 'blk-ns-provisioner')).toBeDefined();
    expect(one(objects, 'Secret', 'blk-cloud-east')).toBeDefined();
    const chosen = objects.filter((o) => !['CSIDriver', 'StorageClass'].includes(o.kind));
    expect(chosen.every((o) => o.metadata.name.startsWith('blk-'))).toBe(true);
    expect(deploymentOf(objects).metadata.labels!['app.kubernetes.io/instance']).toBe('r');
  });

  test('nameOverride is the app.kubernetes.io/name label, selectors included, and changes no name', () => {
    const objects = objectsOf({ releaseName: 'r', nameOverride: 'block' });
    const deployment = deploymentOf(objects);
    expect(deployment.spec.selector.matchLabels['app.kubernetes.io/name']).toBe('block');
    expect(deployment.metadata.labels!['app.kubernetes.io/name']).toBe('block');
    expect(names(objects)).toEqual(names(objectsOf({ releaseName: 'r' })));
  });

  test('bad overrides are refused with words', () => {
    expect(errorOf(() => synth({ fullnameOverride: 'Blk_1' }))).toMatch(/fullnameOverride: must be empty or a DNS label: lower-case letters/);
    expect(errorOf(() => synth({ fullnameOverride: 'b'.repeat(54) }))).toMatch(/fullnameOverride: must NOT have more than 53 characters/);
  });
});

describe('metrics', () => {
  test('off by default', () => {
    expect(ofKind(objectsOf({}), 'Service')).toEqual([]);
    expect(ofKind(objectsOf({}), 'ServiceMonitor')).toEqual([]);
  });

  test('two Services select the controller and the node pods on their metrics port; the ServiceMonitor selects both', () => {
    const objects = objectsOf({ releaseName: 'r', namespace: 'ns', metrics: { service: { enabled: true }, serviceMonitor: { enabled: true, interval: '30s', labels: { release: 'prom' } } } });
    const controller = one(objects, 'Service', 'r-controller-metrics');
    const node = one(objects, 'Service', 'r-node-metrics');
    expect(controller.spec.selector).toEqual(deploymentOf(objects).spec.selector.matchLabels);
    expect(node.spec.selector).toEqual(one(objects, 'DaemonSet').spec.selector.matchLabels);
    for (const s of [controller, node]) expect(s.spec.ports).toEqual([{ name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(containerOf(deploymentOf(objects), 'cinder-csi-plugin').ports).toContainEqual({ name: 'metrics', containerPort: 8080, protocol: 'TCP' });
    const monitor = one(objects, 'ServiceMonitor', 'r-metrics');
    expect(monitor.metadata.labels!.release).toBe('prom');
    for (const s of [controller, node]) {
      for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels as Record<string, string>)) expect(s.metadata.labels![k]).toBe(v);
    }
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['ns'] });
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
  });

  test('a ServiceMonitor without the Services is refused', () => {
    expect(errorOf(() => synth({ metrics: { serviceMonitor: { enabled: true } } }))).toMatch(/metrics\.serviceMonitor\.enabled: needs metrics\.service\.enabled: true/);
  });
});

describe('helm test Pods', () => {
  test('off by default (dist/ and GitOps get no test Pod)', () => {
    expect(ofKind(objectsOf({}), 'Pod')).toEqual([]);
  });

  test('one hook Pod per StorageClass claims an ephemeral volume of it and checks a write read back', () => {
    const objects = objectsOf({ releaseName: 'r', tests: { enabled: true }, storageClasses: [{ name: 'fast' }, { name: 'slow' }] });
    const pods = ofKind(objects, 'Pod');
    expect(names(pods)).toEqual(['Pod/r-test-fast', 'Pod/r-test-slow']);
    const pod = pods[0]!;
    expect(pod.metadata.annotations).toEqual({ 'helm.sh/hook': 'test', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' });
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName).toBe('fast');
    const container = pod.spec.containers[0];
    expect(container.image).toBe('docker.io/library/busybox:1.37.0');
    expect(container.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(container.command[2]).toContain('/proc/mounts');
  });

  test('without a StorageClass it is refused', () => {
    expect(errorOf(() => synth({ tests: { enabled: true }, storageClasses: [] }))).toMatch(/tests\.enabled: needs at least one entry in storageClasses/);
  });
});

describe('cloud.conf raw and none', () => {
  test('raw is written verbatim as the controller\'s cloud.conf, credentials unchecked, several clouds allowed', () => {
    const objects = objectsOf({ releaseName: 'r', cloudConfig: { mode: CloudConfigMode.SECRET, raw: RAW, cloudNames: ['east'] } });
    expect(one(objects, 'Secret', 'r-cloud-config').stringData).toEqual({ 'cloud.conf': RAW });
    expect(ofKind(objects, 'Secret').map((s) => s.metadata.name)).toEqual(['r-cloud-config', 'r-cloud-east']);
  });

  test('raw with a typed key, or outside mode secret, is refused with a message naming both', () => {
    expect(errorOf(() => synth({ cloudConfig: { mode: CloudConfigMode.SECRET, raw: RAW, global: { region: 'x' } } })))
      .toMatch(/cloudConfig\.raw: must be empty when a typed key of cloudConfig\.global, cloudConfig\.blockStorage \(other than nodeVolumeAttachLimit\) or cloudConfig\.metadata is set/);
    expect(errorOf(() => synth({ cloudConfig: { mode: CloudConfigMode.SECRET, raw: RAW, metadata: { searchOrder: 'configDrive' } } }))).toMatch(/cloudConfig\.raw: must be empty when a typed key/);
    expect(errorOf(() => synth({ cloudConfig: { raw: RAW } }))).toMatch(/cloudConfig\.raw: must be empty unless cloudConfig\.mode is "secret"/);
  });

  test('mode none renders no Secret and mounts nothing; the controller still reads the cloud.conf path', () => {
    const objects = objectsOf({ cloudConfig: { mode: CloudConfigMode.NONE } });
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const deployment = deploymentOf(objects);
    expect(deployment.spec.template.spec.volumes.map((v: { name: string }) => v.name)).toEqual(['socket-dir']);
    const driver = containerOf(deployment, 'cinder-csi-plugin');
    expect(driver.volumeMounts.map((m: { name: string }) => m.name)).not.toContain('cloud-config');
    expect(driver.args).toContain('--cloud-config=/etc/cinder-csi/cloud.conf');
    expect(JSON.stringify(one(objects, 'DaemonSet'))).not.toContain('cloud-config');
  });
});

test('csiDriver.seLinuxMount is written only when on', () => {
  expect(one(objectsOf({}), 'CSIDriver').spec.seLinuxMount).toBeUndefined();
  expect(one(objectsOf({ csiDriver: { seLinuxMount: true } }), 'CSIDriver').spec.seLinuxMount).toBe(true);
});

test('every pattern of the values schema has words (no error shows a regular expression)', () => {
  const patterns = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const pattern = (node as { pattern?: unknown }).pattern;
    if (typeof pattern === 'string') patterns.add(pattern);
    Object.values(node as Record<string, unknown>).forEach(walk);
  };
  walk(SCHEMA);
  expect([...patterns].filter((p) => PATTERN_WORDS[p] === undefined)).toEqual([]);
});
