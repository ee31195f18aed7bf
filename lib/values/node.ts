import { FreeFormObject, Labels, Toleration } from './common';
import { DriverContainerValues, LivenessProbeContainerValues, NodeDriverRegistrarContainerValues } from './containers';

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
