import { ImagePullPolicy } from './enums';

/*
 * One interface per container image, because each image has its own default repository and tag and the
 * values.yaml defaults are taken from the `@default` tags below. The sidecar tags are one coherent
 * kubernetes-csi release set (the same set whose deploy/kubernetes RBAC rules lib/rbac-rules.ts follows).
 * The image reference is `<registry>/<repository>:<tag>` (or `@<digest>` when a digest is set), where
 * `global.imageRegistry`, when set, replaces every image's `registry` (air-gapped mirrors).
 */

/** Image of the external-provisioner sidecar. */
export interface ProvisionerImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "registry.k8s.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "sig-storage/csi-provisioner" @minLength 1 */
  repository: string;
  /** Image tag. @default "v6.4.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}

/** Image of the external-attacher sidecar. */
export interface AttacherImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "registry.k8s.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "sig-storage/csi-attacher" @minLength 1 */
  repository: string;
  /** Image tag. @default "v4.13.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}

/** Image of the external-resizer sidecar. */
export interface ResizerImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "registry.k8s.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "sig-storage/csi-resizer" @minLength 1 */
  repository: string;
  /** Image tag. @default "v2.3.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}

/** Image of the external-snapshotter csi-snapshotter sidecar. */
export interface SnapshotterImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "registry.k8s.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "sig-storage/csi-snapshotter" @minLength 1 */
  repository: string;
  /** Image tag. @default "v8.7.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}

/** Image of the livenessprobe sidecar (controller and node). */
export interface LivenessProbeImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "registry.k8s.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "sig-storage/livenessprobe" @minLength 1 */
  repository: string;
  /** Image tag. @default "v2.16.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}

/** Image of the node-driver-registrar sidecar. */
export interface NodeDriverRegistrarImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "registry.k8s.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "sig-storage/csi-node-driver-registrar" @minLength 1 */
  repository: string;
  /** Image tag. @default "v2.14.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}

/** Image of the cinder-csi driver (the plugin itself). Its default tag is the driver version. */
export interface DriverImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "ghcr.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "cinder-csi/cinder-csi-plugin" @minLength 1 */
  repository: string;
  /** Image tag. @default "0.1.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}
