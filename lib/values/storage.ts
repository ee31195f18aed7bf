import { FreeFormObject, Labels } from './common';
import { FsGroupPolicy, ReclaimPolicy, SnapshotDeletionPolicy, VolumeBindingMode } from './enums';

/*
 * StorageClasses and VolumeSnapshotClasses are cluster-scoped objects whose names the user chooses: two
 * releases (or another driver) that pick the same name collide, and the later install fails. Helm does not
 * merge list items with defaults, so every optional field of a list item has its default applied in the
 * object template itself; the `@default` tags below document those template defaults.
 */

/** One StorageClass. */
export interface StorageClassValues {
  /** StorageClass name (cluster-wide; must be unique in the cluster). @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ @maxLength 253 */
  name: string;
  /** Mark as the cluster's default StorageClass. At most one StorageClass may be the default. @default false */
  isDefault?: boolean;
  /** Cinder volume type (parameter `type`); empty: Cinder's default type. @default "" @pattern ^[^\n\r]*$ */
  volumeType?: string;
  /** Cinder availability zone (parameter `availability`); empty: the zone of the first consumer's node. @default "" @pattern ^[^\n\r]*$ */
  availability?: string;
  /** Filesystem created on new volumes (parameter `csi.storage.k8s.io/fstype`). @default "ext4" @pattern ^(ext4|xfs|ext3)$ */
  fsType?: string;
  /**
   * The cloud (region) of this class's volumes, one of `cloudConfig.cloudNames`: the class's provisioner,
   * controller-publish and controller-expand secret parameters name that cloud's Secret, so each call for these
   * volumes goes to that cloud. Empty: [Global].
   * @default ""
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 63
   */
  cloud?: string;
  /** Further StorageClass parameters passed to the driver as they are. @default {} */
  parameters?: Record<string, string>;
  /** What happens to the Cinder volume when the claim is deleted. @default "Delete" */
  reclaimPolicy?: ReclaimPolicy;
  /** Let claims of this class grow. @default true */
  allowVolumeExpansion?: boolean;
  /** When claims are provisioned; WaitForFirstConsumer places volumes in the zone of the pod's node. @default "WaitForFirstConsumer" */
  volumeBindingMode?: VolumeBindingMode;
  /** Mount options of volumes of this class. @default [] */
  mountOptions?: string[];
  /** Zones volumes of this class may be provisioned in (Kubernetes TopologySelectorTerm list). @default [] */
  allowedTopologies?: FreeFormObject[];
  /** Extra labels on this StorageClass. @default {} */
  labels?: Labels;
  /** Extra annotations on this StorageClass. @default {} */
  annotations?: Record<string, string>;
}

/** One VolumeSnapshotClass (snapshot.storage.k8s.io/v1). */
export interface SnapshotClassValues {
  /** VolumeSnapshotClass name (cluster-wide; must be unique in the cluster). @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ @maxLength 253 */
  name: string;
  /** Mark as the default VolumeSnapshotClass. At most one may be the default. @default false */
  isDefault?: boolean;
  /** What happens to the Cinder snapshot when its VolumeSnapshotContent is deleted. @default "Delete" */
  deletionPolicy?: SnapshotDeletionPolicy;
  /**
   * Snapshot volumes that are in use (attached): writes the parameter `force-create: "true"`. When false the
   * parameter is absent, which the driver reads as false (as upstream): a snapshot of an in-use volume is refused
   * (FAILED_PRECONDITION) until the volume is detached. An explicit `parameters["force-create"]` is kept when this is false.
   * @default false
   */
  forceCreate?: boolean;
  /**
   * The cloud (region) of this class's snapshots, one of `cloudConfig.cloudNames`: the class's snapshotter secret
   * parameters name that cloud's Secret. Use the cloud of the StorageClass of the volumes it snapshots. Empty: [Global].
   * @default ""
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 63
   */
  cloud?: string;
  /** Further VolumeSnapshotClass parameters passed to the driver as they are. @default {} */
  parameters?: Record<string, string>;
  /** Extra labels on this VolumeSnapshotClass. @default {} */
  labels?: Labels;
  /** Extra annotations on this VolumeSnapshotClass. @default {} */
  annotations?: Record<string, string>;
}

/** Volume snapshots: the csi-snapshotter sidecar and VolumeSnapshotClasses. */
export interface SnapshotValues {
  /**
   * Deploy the csi-snapshotter sidecar, its RBAC and the VolumeSnapshotClasses. Needs the snapshot CRDs and the
   * snapshot-controller in the cluster (not part of this chart).
   * @default false
   */
  enabled: boolean;
  /** VolumeSnapshotClasses to create when snapshots are enabled. @default [{"name":"cinder-csi-snapshot","deletionPolicy":"Delete"}] */
  classes: SnapshotClassValues[];
}

/** The CSIDriver object that tells the kubelet and the attach/detach controller how to treat this driver. */
export interface CsiDriverValues {
  /** Pass pod information to NodePublishVolume (`podInfoOnMount`); the driver does not need it. @default false */
  podInfoOnMount: boolean;
  /** How the kubelet applies a pod's fsGroup to volumes. @default "File" */
  fsGroupPolicy: FsGroupPolicy;
  /**
   * `seLinuxMount`: the kubelet mounts volumes with `-o context=<the pod's SELinux label>` instead of relabelling
   * every file (SELinux-enforcing nodes only; Kubernetes >= 1.27 with its SELinuxMount feature gates). The driver
   * passes the double-quoted `context="…"` option through to mount(8), commas between MCS categories included
   * (`s0:c1,c2`); any other mount option with a comma is refused.
   * @default false
   */
  seLinuxMount: boolean;
}

/** The mutable parameters of one VolumeAttributesClass: what ControllerModifyVolume can change on a Cinder volume. */
export interface VolumeAttributesClassParameters {
  /** Cinder volume type to retype the volume to (mutable parameter `type`). @minLength 1 @pattern ^[^\n\r]*$ */
  type: string;
}

/** One VolumeAttributesClass (storage.k8s.io/v1). */
export interface VolumeAttributesClassValues {
  /** VolumeAttributesClass name (cluster-wide; must be unique in the cluster). @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ @maxLength 253 */
  name: string;
  /** Parameters passed to ControllerModifyVolume (the driver's only mutable parameter is `type`). */
  parameters: VolumeAttributesClassParameters;
  /** Extra labels on this VolumeAttributesClass. @default {} */
  labels?: Labels;
  /** Extra annotations on this VolumeAttributesClass. @default {} */
  annotations?: Record<string, string>;
}

/** VolumeAttributesClasses (storage.k8s.io/v1) for ControllerModifyVolume. */
export interface VolumeAttributesClassesValues {
  /**
   * Create the `classes` below. VolumeAttributesClass is GA in Kubernetes 1.34 and in the sidecars this chart
   * deploys (csi-provisioner v6, csi-resizer v2 read `storage.k8s.io/v1`; their RBAC is always granted), so a claim
   * can name any class of this driver, from this list or created separately; this only saves writing the objects.
   * @default false
   */
  enabled: boolean;
  /** VolumeAttributesClasses to create when enabled, e.g. `[{ "name": "cinder-ssd", "parameters": { "type": "ssd" } }]`. @default [] */
  classes: VolumeAttributesClassValues[];
}
