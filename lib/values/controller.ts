import {
  EnvFromSource, EnvVar, FreeFormObject, Labels, Toleration, TopologySpreadConstraint, Volume, VolumeMount,
} from './common';
import {
  AttacherContainerValues,
  DriverContainerValues,
  LivenessProbeContainerValues,
  ProvisionerContainerValues,
  ResizerContainerValues,
  SnapshotterContainerValues,
} from './containers';

/** PodDisruptionBudget of the controller Deployment. */
export interface ControllerPodDisruptionBudgetValues {
  /** Create the PodDisruptionBudget. @default true */
  enabled: boolean;
  /**
   * Controller pods that may be down at once during voluntary disruptions (node drains).
   * @default 1
   * @minimum 1
   * @asType integer
   */
  maxUnavailable: number;
}

/** Leader election timings of the sidecars (durations like "15s" or "1m30s"). */
export interface ControllerLeaderElectionValues {
  /**
   * How long a standby waits before taking over an unrenewed lease (`--leader-election-lease-duration`).
   * @default "15s"
   * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$
   */
  leaseDuration: string;
  /**
   * How long the leader keeps trying to renew before it gives up leadership (`--leader-election-renew-deadline`).
   * @default "10s"
   * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$
   */
  renewDeadline: string;
  /**
   * Wait between two attempts to acquire or renew the lease (`--leader-election-retry-period`).
   * @default "5s"
   * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$
   */
  retryPeriod: string;
}

/** The controller plugin: a Deployment running the driver's controller service and the external sidecars. */
export interface ControllerValues {
  /**
   * Number of controller pods. Leader election makes extra replicas hot standbys.
   * @default 2
   * @minimum 0
   * @asType integer
   */
  replicas: number;
  /** Priority class of the controller pods. Empty: none. @default "system-cluster-critical" */
  priorityClassName: string;
  /** Extra labels on the controller Deployment (not its selector). @default {} */
  labels: Labels;
  /** Extra annotations on the controller Deployment. @default {} */
  annotations: Record<string, string>;
  /** Extra labels on the controller pods. @default {} */
  podLabels: Labels;
  /** Extra annotations on the controller pods. @default {} */
  podAnnotations: Record<string, string>;
  /** Node selector of the controller pods (merged with `kubernetes.io/os: linux`). @default {} */
  nodeSelector: Labels;
  /** Tolerations of the controller pods. @default [] */
  tolerations: Toleration[];
  /**
   * Affinity of the controller pods. Empty: a preferred pod anti-affinity on `kubernetes.io/hostname`, so replicas
   * land on different nodes when they can.
   * @default {}
   */
  affinity: FreeFormObject;
  /**
   * Topology spread constraints of the controller pods (Kubernetes TopologySpreadConstraint list), e.g. one replica
   * per zone: `[{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway }]`. A
   * constraint without `labelSelector` counts the controller pods (the chart fills in their selector labels).
   * @default []
   */
  topologySpreadConstraints: TopologySpreadConstraint[];
  /**
   * Pod security context, merged key by key over the chart's (`runAsNonRoot`, `runAsUser`/`runAsGroup`/`fsGroup`
   * 65532, `seccompProfile: RuntimeDefault`): a key given here replaces the chart's whole value of that key,
   * e.g. `{ seLinuxOptions: { type: spc_t } }` or `{ runAsUser: 1001 }` (the driver needs no particular uid).
   * @default {}
   */
  podSecurityContext: FreeFormObject;
  /**
   * Security context of every container of the controller pods, merged key by key over the chart's
   * (`allowPrivilegeEscalation: false`, `readOnlyRootFilesystem: true`, `capabilities: { drop: [ALL] }`): a key
   * given here replaces the chart's whole value (a `capabilities` given here drops the chart's `drop: [ALL]`
   * unless it repeats it).
   * @default {}
   */
  securityContext: FreeFormObject;
  /**
   * Extra environment variables of the driver container (Kubernetes EnvVar list), after the proxy variables of
   * `global.proxy` (a name given here wins). The sidecars talk to the Kubernetes API only and get none.
   * @default []
   */
  extraEnv: EnvVar[];
  /** Environment variables from ConfigMaps or Secrets for the driver container (Kubernetes EnvFromSource list). @default [] */
  envFrom: EnvFromSource[];
  /**
   * Extra volumes of the controller pods (Kubernetes Volume list), mounted with `extraVolumeMounts`, e.g. a CA bundle
   * for `cloudConfig.global.caFile`: `[{ name: openstack-ca, secret: { secretName: openstack-ca } }]`.
   * @default []
   */
  extraVolumes: Volume[];
  /**
   * Extra volume mounts of the driver container, e.g. `[{ name: openstack-ca, mountPath: /etc/openstack-ca,
   * readOnly: true }]` with `cloudConfig.global.caFile: /etc/openstack-ca/ca.crt`.
   * @default []
   */
  extraVolumeMounts: VolumeMount[];
  /**
   * Leader election timings of the provisioner, attacher, resizer and snapshotter (each elects its own leader); the
   * defaults are the sidecars' own. client-go requires leaseDuration > renewDeadline > 1.2 x retryPeriod and the
   * sidecars refuse to start otherwise. Longer durations ride out a slow or briefly unreachable API server without a
   * leader change, at the cost of a longer take-over when the leader's node dies.
   */
  leaderElection: ControllerLeaderElectionValues;
  /** PodDisruptionBudget of the controller pods. */
  podDisruptionBudget: ControllerPodDisruptionBudgetValues;
  /**
   * Timeout of one CSI call made by the sidecars (`--timeout`); Cinder operations can be slow.
   * @default "3m"
   * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$
   */
  operationTimeout: string;
  /**
   * Filesystem the provisioner asks for when a StorageClass names none (`--default-fstype`).
   * @default "ext4"
   * @pattern ^(ext4|xfs|ext3)$
   */
  defaultFsType: string;
  /** Pass PVC/PV names to CreateVolume so Cinder volumes carry them in metadata (`--extra-create-metadata`). @default true */
  extraCreateMetadata: boolean;
  /** external-provisioner sidecar. */
  provisioner: ProvisionerContainerValues;
  /** external-attacher sidecar. */
  attacher: AttacherContainerValues;
  /** external-resizer sidecar. */
  resizer: ResizerContainerValues;
  /** csi-snapshotter sidecar (deployed only when `snapshots.enabled`). */
  snapshotter: SnapshotterContainerValues;
  /** livenessprobe sidecar. */
  livenessProbe: LivenessProbeContainerValues;
  /** The driver container (controller service only). */
  driver: DriverContainerValues;
}
