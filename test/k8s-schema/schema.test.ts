import { App, Chart } from 'cdk8s';
import {
  CinderCsi, CinderCsiProps, CloudConfigMode, FsGroupPolicy, MountPropagation, NodeDnsPolicy, ReclaimPolicy, SnapshotDeletionPolicy,
  UnsatisfiableConstraintAction, VolumeBindingMode,
} from '../../lib';
import { k8sSchemaProblems, KNOWN_KINDS } from './k8s-validator';

function render(props: CinderCsiProps): Array<Record<string, unknown>> {
  const chart = new Chart(new App(), 'schema');
  new CinderCsi(chart, 'csi', props);
  return chart.toJson() as Array<Record<string, unknown>>;
}

const SETTINGS: Record<string, CinderCsiProps> = {
  defaults: {},
  everythingOn: {
    releaseName: 'blk', namespace: 'storage',
    snapshots: { enabled: true, classes: [{ name: 'a', isDefault: true, forceCreate: true, parameters: { p: 'q' }, labels: { l: 'v' }, annotations: { a: 'b' } }, { name: 'b', deletionPolicy: SnapshotDeletionPolicy.RETAIN }] },
    openshift: { enabled: true },
    volumeAttributesClasses: { enabled: true, classes: [{ name: 'ssd', parameters: { type: 'ssd' }, labels: { l: 'v' }, annotations: { a: 'b' } }] },
    node: { hostNetwork: true, metadataUrl: 'http://169.254.169.254' },
    global: { imageRegistry: 'mirror.local', imagePullSecrets: ['regcred'], labels: { team: 'storage' }, annotations: { note: 'x' } },
    cloudConfig: {
      mode: CloudConfigMode.SECRET,
      global: { authUrl: 'https://k:5000/v3', username: 'u', password: 'p"w', userDomainName: 'Default', projectName: 'p', projectDomainName: 'Default', tlsInsecure: true },
      blockStorage: { nodeVolumeAttachLimit: 20 },
    },
    csiDriver: { fsGroupPolicy: FsGroupPolicy.READ_WRITE_ONCE_WITH_FS_TYPE, podInfoOnMount: true, seLinuxMount: true },
    metrics: { service: { enabled: true }, serviceMonitor: { enabled: true, interval: '1m30s', labels: { release: 'prometheus' } } },
    tests: { enabled: true, image: { digest: `sha256:${'a'.repeat(64)}` } },
    fullnameOverride: 'blk-csi',
    nameOverride: 'block',
  },
  scheduling: {
    controller: {
      replicas: 3, priorityClassName: '', nodeSelector: { role: 'infra' }, tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 30 }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'role', operator: 'In', values: ['infra'] }] }] } } },
      podDisruptionBudget: { maxUnavailable: 2 }, podLabels: { p: 'l' }, podAnnotations: { p: 'a' },
      driver: { resources: { limits: { cpu: 1, memory: '1Gi' } }, extraArgs: ['--log-format=text'] },
    },
    node: { kubeletDir: '/var/snap/microk8s/common/var/lib/kubelet', tolerations: [], affinity: { podAffinity: {} }, maxUnavailable: 5 },
  },
  existingSecret: { cloudConfig: { mode: CloudConfigMode.EXISTING_SECRET, existingSecret: { name: 'openstack', key: 'conf', mountOnNode: true } } },
  hostPath: { cloudConfig: { mode: CloudConfigMode.HOST_PATH }, controller: { podDisruptionBudget: { enabled: false } } },
  escapeHatches: {
    global: { proxy: { httpProxy: 'http://proxy:3128', httpsProxy: 'http://proxy:3128', noProxy: '.svc,10.0.0.0/8' } },
    controller: {
      extraEnv: [{ name: 'OS_DEBUG', value: '1' }, { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      envFrom: [{ prefix: 'X_', secretRef: { name: 's' } }, { configMapRef: { name: 'c', optional: true } }],
      extraVolumes: [{ name: 'openstack-ca', secret: { secretName: 'openstack-ca' } }],
      extraVolumeMounts: [{ name: 'openstack-ca', mountPath: '/etc/openstack-ca', readOnly: true, subPath: 'x' }],
      podSecurityContext: { runAsUser: 1001, seLinuxOptions: { type: 'spc_t' } },
      securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 1001 },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: UnsatisfiableConstraintAction.SCHEDULE_ANYWAY },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: UnsatisfiableConstraintAction.DO_NOT_SCHEDULE, minDomains: 2, labelSelector: { matchLabels: { a: 'b' } } },
      ],
      leaderElection: { leaseDuration: '1m', renewDeadline: '40s', retryPeriod: '10s' },
    },
    node: {
      hostNetwork: true, dnsPolicy: NodeDnsPolicy.DEFAULT,
      extraEnv: [{ name: 'A', value: 'b' }], envFrom: [{ configMapRef: { name: 'c' } }],
      extraVolumes: [{ name: 'ca', configMap: { name: 'ca' } }],
      extraVolumeMounts: [{ name: 'ca', mountPath: '/etc/ca', mountPropagation: MountPropagation.HOST_TO_CONTAINER }],
      podSecurityContext: { seLinuxOptions: { type: 'spc_t' } }, securityContext: { seLinuxOptions: { type: 'spc_t' } },
      preStop: { command: ['node', '-e', 'setTimeout(() => {}, 15000)'] },
    },
  },
  storageClasses: {
    storageClasses: [
      {
        name: 'fast', isDefault: true, volumeType: 'ssd', availability: 'nova', fsType: 'xfs', parameters: { x: 'y' },
        reclaimPolicy: ReclaimPolicy.RETAIN, allowVolumeExpansion: false, volumeBindingMode: VolumeBindingMode.IMMEDIATE,
        mountOptions: ['noatime'], labels: { a: 'b' }, annotations: { c: 'd' },
        allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.cinder.csi.openstack.org/zone', values: ['nova'] }] }],
      },
      { name: 'plain' },
    ],
  },
};

describe('every rendered object validates against the Kubernetes API schema of its apiVersion/kind', () => {
  test.each(Object.entries(SETTINGS))('%s', (_name, props) => {
    const objects = render(props);
    expect(objects.length).toBeGreaterThan(10);
    const problems = objects.flatMap((o) => k8sSchemaProblems(o).map((p) => `${(o.metadata as { name: string }).name}: ${p}`));
    expect(problems).toEqual([]);
  });

  test('the settings above cover every kind the constructs can produce', () => {
    const kinds = new Set(Object.values(SETTINGS).flatMap(render).map((o) => `${String(o.apiVersion)}/${String(o.kind)}`));
    expect([...kinds].sort()).toEqual([...KNOWN_KINDS].sort());
  });
});

describe('the validator itself catches mistakes (so a pass means something)', () => {
  const deployment = () => render({}).find((o) => o.kind === 'Deployment') as any;

  test('a wrong type is reported', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    expect(k8sSchemaProblems(d).join('\n')).toMatch(/replicas/);
  });

  test('a misspelt field is reported with its path', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].volumeMounts[0].mountPropogation = 'Bidirectional';
    expect(k8sSchemaProblems(d)).toContain('apps/v1/Deployment: unknown field spec.template.spec.containers[0].volumeMounts[0].mountPropogation');
  });

  test('a bad enum value is reported', () => {
    const sc = render({}).find((o) => o.kind === 'StorageClass') as any;
    sc.volumeBindingMode = 'Later';
    sc.reclaimPolicy = 'Recycle2';
    expect(k8sSchemaProblems(sc).length).toBeGreaterThan(0);
  });

  test('a VolumeSnapshotClass without driver or with an unknown field is reported', () => {
    const vsc = render({ snapshots: { enabled: true } }).find((o) => o.kind === 'VolumeSnapshotClass') as any;
    delete vsc.driver;
    vsc.deletionPolicyy = 'Delete';
    expect(k8sSchemaProblems(vsc).join('\n')).toMatch(/driver/);
  });
});
