import { ResourceRequirements } from './common';
import {
  AttacherImageValues,
  DriverImageValues,
  LivenessProbeImageValues,
  NodeDriverRegistrarImageValues,
  ProvisionerImageValues,
  ResizerImageValues,
  SnapshotterImageValues,
} from './images';

/*
 * One interface per container, because each carries its own image defaults. Every container has the same
 * knobs: image, resources, extraArgs (appended after the chart's own arguments).
 */

/** The external-provisioner sidecar (creates and deletes Cinder volumes for PVCs). */
export interface ProvisionerContainerValues {
  /** Container image. */
  image: ProvisionerImageValues;
  /** Container resources. @default {"requests":{"cpu":"10m","memory":"32Mi"}} */
  resources: ResourceRequirements;
  /** Arguments appended after the chart's own. @default [] */
  extraArgs: string[];
}

/** The external-attacher sidecar (attaches volumes to nodes through VolumeAttachments). */
export interface AttacherContainerValues {
  /** Container image. */
  image: AttacherImageValues;
  /** Container resources. @default {"requests":{"cpu":"10m","memory":"32Mi"}} */
  resources: ResourceRequirements;
  /** Arguments appended after the chart's own. @default [] */
  extraArgs: string[];
}

/** The external-resizer sidecar (expands volumes when a PVC grows). */
export interface ResizerContainerValues {
  /** Container image. */
  image: ResizerImageValues;
  /** Container resources. @default {"requests":{"cpu":"10m","memory":"32Mi"}} */
  resources: ResourceRequirements;
  /** Arguments appended after the chart's own. @default [] */
  extraArgs: string[];
}

/** The csi-snapshotter sidecar (only deployed when `snapshots.enabled`). */
export interface SnapshotterContainerValues {
  /** Container image. */
  image: SnapshotterImageValues;
  /** Container resources. @default {"requests":{"cpu":"10m","memory":"32Mi"}} */
  resources: ResourceRequirements;
  /** Arguments appended after the chart's own. @default [] */
  extraArgs: string[];
}

/** The livenessprobe sidecar: answers the kubelet's HTTP liveness probe by calling the driver's CSI Probe. */
export interface LivenessProbeContainerValues {
  /** Container image. */
  image: LivenessProbeImageValues;
  /** Container resources. @default {"requests":{"cpu":"5m","memory":"16Mi"}} */
  resources: ResourceRequirements;
  /** Arguments appended after the chart's own. @default [] */
  extraArgs: string[];
}

/** The node-driver-registrar sidecar: registers the driver's socket with the kubelet. */
export interface NodeDriverRegistrarContainerValues {
  /** Container image. */
  image: NodeDriverRegistrarImageValues;
  /** Container resources. @default {"requests":{"cpu":"5m","memory":"16Mi"}} */
  resources: ResourceRequirements;
  /** Arguments appended after the chart's own. @default [] */
  extraArgs: string[];
}

/** The cinder-csi driver container. */
export interface DriverContainerValues {
  /** Container image. */
  image: DriverImageValues;
  /** Container resources. @default {"requests":{"cpu":"10m","memory":"64Mi"}} */
  resources: ResourceRequirements;
  /** Arguments appended after the chart's own (e.g. `["--log-format=text"]`). @default [] */
  extraArgs: string[];
}
