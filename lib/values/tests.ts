import { ImagePullPolicy } from './enums';

/** Image of the `helm test` pod: any image with a POSIX `sh`, `grep` and `cat`. */
export interface TestImageValues {
  /** Registry host. Replaced by `global.imageRegistry` when that is set. @default "docker.io" @minLength 1 */
  registry: string;
  /** Repository path inside the registry. @default "library/busybox" @minLength 1 */
  repository: string;
  /** Image tag. @default "1.37.0" @minLength 1 */
  tag: string;
  /** When the kubelet pulls the image. @default "IfNotPresent" */
  pullPolicy: ImagePullPolicy;
  /** Pin the image by digest (`sha256:<64 hex>`); when set, `tag` is not used. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ */
  digest: string;
}

/** `helm test`: prove that every StorageClass of the release provisions, attaches and mounts a working volume. */
export interface TestsValues {
  /**
   * Render one test Pod per StorageClass (`helm.sh/hook: test`, run by `helm test <release>`, never by
   * `helm install`). Each claims a 1Gi generic ephemeral volume of its class, checks that it is mounted, writes a
   * file, syncs and reads it back; the Pod and its claim (hence the Cinder volume) are deleted when it succeeds,
   * kept for `kubectl logs` when it fails (until the next `helm test`). It runs as UID 65532 with fsGroup 65532, so
   * a class needs `csiDriver.fsGroupPolicy` other than `None`. Off by default: the test creates a real Cinder
   * volume and pulls an image from `tests.image`; `helm template` (and the constructs) render the Pods when on,
   * which a GitOps tool would apply as ordinary Pods.
   * @default false
   */
  enabled: boolean;
  /** Image of the test Pods. */
  image: TestImageValues;
}
