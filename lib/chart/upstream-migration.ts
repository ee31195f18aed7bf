/**
 * How the values of the upstream chart map to ours, for the chart README. The upstream keys are the ones the
 * templates of `openstack-cinder-csi` 2.34 (kubernetes/cloud-provider-openstack, charts/cinder-csi-plugin) read.
 * Our keys are checked against values.schema.json by test/chart/readme-migration.test.ts.
 */
export const UPSTREAM_CHART = 'openstack-cinder-csi';
export const UPSTREAM_CHART_VERSION = '2.34';

/** What holds for every row: said once above the table. */
export const UPSTREAM_MIGRATION_NOTES: readonly string[] = [
  'Images: upstream\'s `repository` includes the registry; ours is split in two (`registry.k8s.io/sig-storage/csi-attacher` is `registry: registry.k8s.io`, `repository: sig-storage/csi-attacher`), and `global.imageRegistry` replaces every registry at once. Keep our tags: the chart needs the sidecar versions it ships.',
  'Arguments: `extraArgs` is a YAML list (`["--worker-threads=20"]`), not a templated string.',
  'Where upstream has one key for both plugins (`csi.plugin.*`, `csi.livenessprobe.*`), ours has one under `controller.` and one under `node.`.',
];

export interface MigrationRow {
  /** Upstream keys, dotted, as its templates read them (`<sidecar>`: each sidecar); empty: upstream has none. */
  readonly upstream: readonly string[];
  /** Our keys (dotted; `[]` steps into list items). Empty: there is no equivalent. */
  readonly ours: readonly string[];
  /** How to carry the setting over, or what to do instead. */
  readonly how: string;
}

const SIDECARS: ReadonlyArray<readonly [upstream: string, ours: string]> = [
  ['attacher', 'controller.attacher'],
  ['provisioner', 'controller.provisioner'],
  ['resizer', 'controller.resizer'],
  ['snapshotter', 'controller.snapshotter'],
  ['nodeDriverRegistrar', 'node.nodeDriverRegistrar'],
];

export const UPSTREAM_MIGRATION: readonly MigrationRow[] = [
  {
    upstream: ['nameOverride', 'fullnameOverride'],
    ours: ['nameOverride', 'fullnameOverride'],
    how: 'Object names start with the release name (`<release>-controller`), or with `fullnameOverride` when set; `nameOverride` is the `app.kubernetes.io/name` label only (names never contain the chart name).',
  },
  { upstream: ['extraLabels'], ours: ['global.labels'], how: 'Same meaning: labels on every object.' },
  { upstream: ['commonAnnotations'], ours: ['global.annotations'], how: 'Annotations on every object; pod annotations are `controller.podAnnotations` and `node.podAnnotations`.' },
  { upstream: ['logVerbosityLevel'], ours: ['logVerbosity'], how: 'Same number (`--v`), for the driver and the sidecars.' },
  { upstream: ['clusterID'], ours: ['clusterId'], how: 'Same value (`--cluster`); keep it, volumes already carry it in their metadata.' },
  { upstream: ['timeout'], ours: ['controller.operationTimeout'], how: 'The sidecars\' `--timeout` (default `3m` in both).' },
  {
    upstream: ['priorityClassName'],
    ours: ['controller.priorityClassName', 'node.priorityClassName'],
    how: 'Set per plugin; the defaults are `system-cluster-critical` and `system-node-critical`.',
  },
  {
    upstream: ['imagePullSecrets'],
    ours: ['global.imagePullSecrets'],
    how: 'A list of Secret names (`["regcred"]`), not of `{name: ...}` objects.',
  },
  ...SIDECARS.map(([up, ours]): MigrationRow => ({
    upstream: [`csi.${up}.image.*`, `csi.${up}.resources`, `csi.${up}.extraArgs`],
    ours: [`${ours}.image.*`, `${ours}.resources`, `${ours}.extraArgs`],
    how: 'Same meaning (images and arguments as described above the table).',
  })),
  {
    upstream: ['csi.<sidecar>.extraEnv', 'csi.plugin.extraEnv'],
    ours: ['controller.extraEnv', 'controller.envFrom', 'node.extraEnv', 'node.envFrom', 'global.proxy.*'],
    how: 'For the driver container of each plugin (the sidecars talk to the Kubernetes API only and get none); proxy variables go into `global.proxy`. Driver settings are flags (`controller.driver.extraArgs`, `node.driver.extraArgs`) and cloud.conf keys (`cloudConfig.*`).',
  },
  {
    upstream: ['csi.provisioner.topology'],
    ours: ['topology.enabled'],
    how: 'A boolean (`true`), not the string `"true"`; it also switches the driver\'s `--with-topology`. Same topology key (`topology.cinder.csi.openstack.org/zone`), so existing PVs keep their node affinity.',
  },
  {
    upstream: ['csi.livenessprobe.image.*', 'csi.livenessprobe.resources', 'csi.livenessprobe.extraArgs'],
    ours: ['controller.livenessProbe.image.*', 'controller.livenessProbe.resources', 'controller.livenessProbe.extraArgs', 'node.livenessProbe.image.*', 'node.livenessProbe.resources', 'node.livenessProbe.extraArgs'],
    how: 'Set per plugin.',
  },
  {
    upstream: ['csi.livenessprobe.failureThreshold', 'csi.livenessprobe.initialDelaySeconds', 'csi.livenessprobe.timeoutSeconds', 'csi.livenessprobe.periodSeconds'],
    ours: [],
    how: 'The driver\'s liveness probe timings are fixed by the chart.',
  },
  {
    upstream: ['csi.plugin.image.repository', 'csi.plugin.image.tag', 'csi.plugin.image.pullPolicy'],
    ours: ['controller.driver.image.*', 'node.driver.image.*'],
    how: 'This chart deploys its own driver image (`ghcr.io/cinder-csi/cinder-csi-plugin`), not upstream\'s `registry.k8s.io/provider-os/cinder-csi-plugin`: do not carry the upstream image over. Set both plugins when mirroring it.',
  },
  {
    upstream: ['csi.plugin.resources'],
    ours: ['controller.driver.resources', 'node.driver.resources'],
    how: 'Set per plugin.',
  },
  {
    upstream: ['csi.plugin.extraArgs'],
    ours: ['controller.driver.extraArgs', 'node.driver.extraArgs'],
    how: 'Set per plugin. The driver\'s flags are listed in driver/README.md; upstream\'s flags are not all accepted.',
  },
  {
    upstream: ['csi.plugin.volumes', 'csi.plugin.volumeMounts'],
    ours: ['controller.extraVolumes', 'controller.extraVolumeMounts', 'node.extraVolumes', 'node.extraVolumeMounts'],
    how: 'Set per plugin; the mounts go into the driver container. For a CA bundle, mount a Secret or ConfigMap and point `cloudConfig.global.caFile` at the file.',
  },
  {
    upstream: ['csi.plugin.httpEndpoint.enabled', 'csi.plugin.httpEndpoint.port'],
    ours: [],
    how: 'No switch needed: the chart always passes `--http-endpoint=:8080`; both plugins serve metrics there (container port `metrics`).',
  },
  {
    upstream: ['csi.plugin.podMonitor.*'],
    ours: ['metrics.service.enabled', 'metrics.serviceMonitor.*'],
    how: 'Services in front of the controller\'s and the node\'s `metrics` port, scraped by a ServiceMonitor (instead of a PodMonitor).',
  },
  {
    upstream: ['csi.plugin.controllerPlugin.replicas'],
    ours: ['controller.replicas'],
    how: 'Upstream\'s default is 1, ours 2 (leader election makes the second a hot standby; a PodDisruptionBudget comes with it).',
  },
  {
    upstream: ['csi.plugin.controllerPlugin.nodeSelector', 'csi.plugin.controllerPlugin.tolerations', 'csi.plugin.controllerPlugin.affinity'],
    ours: ['controller.nodeSelector', 'controller.tolerations', 'controller.affinity'],
    how: 'Same meaning; `nodeSelector` is merged with `kubernetes.io/os: linux`.',
  },
  {
    upstream: ['csi.plugin.nodePlugin.nodeSelector', 'csi.plugin.nodePlugin.tolerations', 'csi.plugin.nodePlugin.affinity'],
    ours: ['node.nodeSelector', 'node.tolerations', 'node.affinity'],
    how: 'Same meaning; ours tolerates every taint by default.',
  },
  { upstream: ['csi.plugin.nodePlugin.kubeletDir'], ours: ['node.kubeletDir'], how: 'Same meaning.' },
  {
    upstream: ['csi.plugin.nodePlugin.dnsPolicy'],
    ours: ['node.dnsPolicy', 'node.hostNetwork'],
    how: 'Upstream always runs the node plugin on the host network; ours does only with `node.hostNetwork: true` (then `dnsPolicy` defaults to `ClusterFirstWithHostNet`). Turn it on when the metadata service answers only there.',
  },
  {
    upstream: ['csi.plugin.controllerPlugin.strategy.*'],
    ours: [],
    how: 'The Deployment uses Kubernetes\' default rolling update; `controller.podDisruptionBudget` limits voluntary disruptions.',
  },
  {
    upstream: ['csi.plugin.controllerPlugin.podSecurityContext', 'csi.plugin.controllerPlugin.securityContext', 'csi.plugin.nodePlugin.securityContext'],
    ours: ['controller.podSecurityContext', 'controller.securityContext', 'node.podSecurityContext', 'node.securityContext'],
    how: 'The chart sets secure ones (controller pods non-root; every container but the node driver read-only, without capabilities or privilege escalation; RuntimeDefault seccomp; only the node driver privileged); yours are merged over them key by key and apply to every container of the plugin.',
  },
  { upstream: ['csi.plugin.controllerPlugin.hostAliases', 'csi.plugin.nodePlugin.hostAliases'], ours: [], how: 'Give the OpenStack endpoints DNS names the cluster resolves.' },
  {
    upstream: ['secret.enabled', 'secret.create', 'secret.data'],
    ours: ['cloudConfig.mode', 'cloudConfig.raw', 'cloudConfig.global.*', 'cloudConfig.blockStorage.*', 'cloudConfig.metadata.*'],
    how: 'Upstream takes cloud.conf as raw text; ours in mode `secret` writes it from typed keys, one per cloud.conf key ([Global] `auth-url` is `cloudConfig.global.authUrl`), checked at install, or verbatim from `cloudConfig.raw` (upstream\'s `secret.data` text). `secret.enabled: false` with an injected file: mode `none`.',
  },
  {
    upstream: ['secret.name'],
    ours: ['cloudConfig.existingSecret.name'],
    how: 'With `secret.create: false` upstream: mode `existingSecret` (our default) reads the Secret you created, in the release namespace.',
  },
  { upstream: ['secret.filename'], ours: ['cloudConfig.existingSecret.key'], how: 'The key of cloud.conf inside that Secret (default `cloud.conf` in both).' },
  {
    upstream: ['secret.hostMount'],
    ours: ['cloudConfig.mode', 'cloudConfig.hostPath.path'],
    how: 'Mode `hostPath` with the file\'s full path (upstream mounts the directory `/etc/kubernetes`; here `/etc/kubernetes/cloud.conf`). The file must be readable by UID 65532.',
  },
  {
    upstream: ['storageClass.enabled', 'storageClass.delete.*', 'storageClass.retain.*'],
    ours: ['storageClasses[].name', 'storageClasses[].reclaimPolicy', 'storageClasses[].isDefault', 'storageClasses[].allowVolumeExpansion'],
    how: 'A list of classes. Upstream\'s two are `[{name: csi-cinder-sc-delete, reclaimPolicy: Delete}, {name: csi-cinder-sc-retain, reclaimPolicy: Retain}]` (the names existing claims refer to); `[]` creates none.',
  },
  {
    upstream: ['storageClass.custom'],
    ours: ['storageClasses[].volumeType', 'storageClasses[].availability', 'storageClasses[].parameters', 'storageClasses[].mountOptions', 'storageClasses[].allowedTopologies'],
    how: 'Raw YAML upstream; here each class is a list entry with typed fields (`volumeType` is the parameter `type`).',
  },
  {
    upstream: [],
    ours: ['driverName', 'csiDriver.podInfoOnMount', 'csiDriver.fsGroupPolicy'],
    how: 'Fixed upstream. Keep `driverName: cinder.csi.openstack.org` so existing PersistentVolumes stay with this driver.',
  },
  {
    upstream: [],
    ours: ['snapshots.enabled', 'snapshots.classes', 'volumeAttributesClasses.enabled', 'volumeAttributesClasses.classes'],
    how: 'Upstream always deploys the csi-snapshotter and creates no VolumeSnapshotClass or VolumeAttributesClass; here the sidecar and the classes come with `enabled: true` (see Prerequisites).',
  },
];
