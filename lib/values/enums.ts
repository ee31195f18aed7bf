/**
 * Closed sets of values. Each member's value is the exact string Kubernetes (or the chart) expects, so a
 * values.yaml written by hand and a TypeScript app using the enum produce the same objects.
 */

/** When the kubelet pulls a container image. */
export enum ImagePullPolicy {
  ALWAYS = 'Always',
  IF_NOT_PRESENT = 'IfNotPresent',
  NEVER = 'Never',
}

/** What happens to a Cinder volume when its PersistentVolume is released. */
export enum ReclaimPolicy {
  DELETE = 'Delete',
  RETAIN = 'Retain',
}

/** When a PersistentVolumeClaim is provisioned and bound. */
export enum VolumeBindingMode {
  /** Provision in the availability zone of the first pod that uses the claim (topology-aware). */
  WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer',
  IMMEDIATE = 'Immediate',
}

/** How the kubelet applies a pod's fsGroup to a volume (CSIDriver.spec.fsGroupPolicy). */
export enum FsGroupPolicy {
  FILE = 'File',
  READ_WRITE_ONCE_WITH_FS_TYPE = 'ReadWriteOnceWithFSType',
  NONE = 'None',
}

/** What happens to the Cinder snapshot when its VolumeSnapshotContent is deleted. */
export enum SnapshotDeletionPolicy {
  DELETE = 'Delete',
  RETAIN = 'Retain',
}

/** Where the plugins read cloud.conf from. */
export enum CloudConfigMode {
  /** The chart creates a Secret from `cloudConfig.global` / `blockStorage` / `metadata`. */
  SECRET = 'secret',
  /** An existing Secret (`cloudConfig.existingSecret.name` / `.key`) holds a complete cloud.conf. */
  EXISTING_SECRET = 'existingSecret',
  /** cloud.conf already sits on every node at `cloudConfig.hostPath.path` and is mounted read-only. */
  HOST_PATH = 'hostPath',
  /**
   * The chart provides no cloud.conf: no Secret and no volume. Something else puts the file at the path the
   * controller reads (`/etc/cinder-csi/cloud.conf`): a secret injector (Vault agent, external-secrets with
   * `extraVolumes`) or the user's own `extraVolumes`/`extraVolumeMounts`.
   */
  NONE = 'none',
}

/** Keystone endpoint interface the driver uses from the service catalog. */
export enum EndpointInterface {
  PUBLIC = 'public',
  INTERNAL = 'internal',
  ADMIN = 'admin',
}
