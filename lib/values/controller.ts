import { FreeFormObject, Labels, Toleration } from './common';
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
