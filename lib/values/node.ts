import { EnvFromSource, EnvVar, FreeFormObject, Labels, Toleration, Volume, VolumeMount } from './common';
import { DriverContainerValues, LivenessProbeContainerValues, NodeDriverRegistrarContainerValues } from './containers';

/** DNS policy of the node pods (Kubernetes pod dnsPolicy); empty: chosen by the chart. */
export enum NodeDnsPolicy {
  /** ClusterFirstWithHostNet on the host network, else Kubernetes' default (ClusterFirst). */
  AUTO = '',
  CLUSTER_FIRST = 'ClusterFirst',
  CLUSTER_FIRST_WITH_HOST_NET = 'ClusterFirstWithHostNet',
  DEFAULT = 'Default',
  NONE = 'None',
}

/** A lifecycle hook of the node plugin's driver container. */
export interface NodePreStopValues {
  /**
   * Command run in the driver container before it is sent SIGTERM (`lifecycle.preStop.exec`); empty: no hook. The
   * image has `sh` and `node` but no `sleep`; e.g. `["node", "-e", "setTimeout(() => {}, 15000)"]` keeps the driver
   * serving 15 s longer while a node drain or shutdown still unmounts the pods' volumes. The hook's time counts
   * against the pod's 30 s termination grace period, which the driver's own shutdown (in-flight calls) also needs.
   * @default []
   */
  command: string[];
}

/** The node plugin: a DaemonSet running the driver's node service on every node that mounts Cinder volumes. */
export interface NodeValues {
  /** Priority class of the node pods. Empty: none. @default "system-node-critical" */
  priorityClassName: string;
  /** Extra labels on the node DaemonSet (not its selector). @default {} */
  labels: Labels;
  /** Extra annotations on the node DaemonSet. @default {} */
  annotations: Record<string, string>;
  /** Extra labels on the node pods. @default {} */
  podLabels: Labels;
  /** Extra annotations on the node pods. @default {} */
  podAnnotations: Record<string, string>;
  /** Node selector of the node pods, merged with `kubernetes.io/os: linux`. @default {} */
  nodeSelector: Labels;
  /**
   * Tolerations of the node pods. The default tolerates every taint, so volumes can be mounted on every node,
   * including control-plane and tainted nodes.
   * @default [{"operator":"Exists"}]
   */
  tolerations: Toleration[];
  /** Affinity of the node pods. @default {} */
  affinity: FreeFormObject;
  /**
   * Node pods replaced at once during a DaemonSet rolling update.
   * @default 1
   * @minimum 1
   * @asType integer
   */
  maxUnavailable: number;
  /**
   * The kubelet's root directory on the nodes (some distributions move it, e.g. /var/snap/microk8s/common/var/lib/kubelet).
   * @default "/var/lib/kubelet"
   * @pattern ^/([^\n\r]*[^/\n\r])?$
   */
  kubeletDir: string;
  /**
   * Run the node pods on the host network (`hostNetwork`, with `dnsPolicy: ClusterFirstWithHostNet`), as upstream
   * does by default. Needed where the Nova metadata service answers only from the host network and nodes have no
   * config drive (the driver tries the config drive first, which needs no network). Off by default: on the host
   * network the driver's ports (metrics 8080, health 9808, registrar 9809) are opened on every node and can collide
   * with other CSI drivers; on the pod network most CNIs masquerade traffic to 169.254.169.254 as the node's address,
   * which the metadata service accepts.
   * @default false
   */
  hostNetwork: boolean;
  /**
   * DNS policy of the node pods. Empty: `ClusterFirstWithHostNet` with `hostNetwork` (cluster names still resolve),
   * else Kubernetes' default (`ClusterFirst`). `Default` uses the node's resolv.conf (Keystone names only the nodes
   * resolve); `None` needs a `dnsConfig`, which the chart does not set.
   * @default ""
   */
  dnsPolicy: NodeDnsPolicy;
  /**
   * Pod security context, merged key by key over the chart's (`seccompProfile: RuntimeDefault`), e.g.
   * `{ seLinuxOptions: { type: spc_t } }`.
   * @default {}
   */
  podSecurityContext: FreeFormObject;
  /**
   * Security context of every container of the node pods, merged key by key over each container's own: the
   * registrar's and livenessprobe's (`allowPrivilegeEscalation: false`, `readOnlyRootFilesystem: true`,
   * `capabilities: { drop: [ALL] }`) and the driver's (`privileged: true`, `runAsUser: 0`, `runAsGroup: 0`,
   * `allowPrivilegeEscalation: true`, `readOnlyRootFilesystem: false`). A key given here replaces the chart's whole
   * value. For SELinux or AppArmor settings, e.g. `{ seLinuxOptions: { type: spc_t } }`. The driver must stay
   * privileged and root: `privileged: false` breaks its Bidirectional mount propagation (Kubernetes refuses it)
   * and mkfs/mount/resize; a non-root user cannot mount; a read-only root filesystem breaks mkfs and blkid.
   * @default {}
   */
  securityContext: FreeFormObject;
  /**
   * Extra environment variables of the driver container (Kubernetes EnvVar list), after the proxy variables of
   * `global.proxy` (a name given here wins).
   * @default []
   */
  extraEnv: EnvVar[];
  /** Environment variables from ConfigMaps or Secrets for the driver container (Kubernetes EnvFromSource list). @default [] */
  envFrom: EnvFromSource[];
  /**
   * Extra volumes of the node pods (Kubernetes Volume list), mounted with `extraVolumeMounts`, e.g. a CA bundle for
   * `cloudConfig.global.caFile`: `[{ name: openstack-ca, secret: { secretName: openstack-ca } }]`.
   * @default []
   */
  extraVolumes: Volume[];
  /**
   * Extra volume mounts of the driver container, e.g. `[{ name: openstack-ca, mountPath: /etc/openstack-ca,
   * readOnly: true }]` with `cloudConfig.global.caFile: /etc/openstack-ca/ca.crt`.
   * @default []
   */
  extraVolumeMounts: VolumeMount[];
  /** Lifecycle preStop hook of the driver container. */
  preStop: NodePreStopValues;
  /**
   * Base URL of the Nova metadata service (the driver's `--metadata-url`); empty: the driver's default
   * (http://169.254.169.254). Used when the config drive is absent, or when `cloudConfig.metadata.searchOrder`
   * puts the metadata service first.
   * @default ""
   * @pattern ^(https?://[^\s"]+)?$
   */
  metadataUrl: string;
  /** node-driver-registrar sidecar. */
  nodeDriverRegistrar: NodeDriverRegistrarContainerValues;
  /** livenessprobe sidecar. */
  livenessProbe: LivenessProbeContainerValues;
  /** The driver container (node service only). */
  driver: DriverContainerValues;
}
