import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { labels, namePrefix } from './metadata';
import { imageOf, imagePullSecrets } from './pod-parts';
import { concat, mergeMaps, objectTemplate, releaseRef as r, renderInto, TemplateInputs, valuesRef } from './template';
import { CinderCsiValues, StorageClassValues } from './values';

/*
 * `helm test <release>`: one Pod per StorageClass of the release, each claiming a generic ephemeral volume of its
 * class, so the claim (and the Cinder volume) lives exactly as long as the Pod: provisioning, attaching, staging and
 * publishing are proved by the Pod starting, the mount by /proc/mounts, the filesystem by a write, sync and read back.
 * Helm deletes a Pod that succeeded; one that failed stays for `kubectl logs` until the next `helm test`.
 */

const v = valuesRef<CinderCsiValues>();
const t = v.tests;

/** UID and GID of the test container; fsGroup makes the new filesystem writable for it. */
const TEST_UID = 65532;
const MOUNT_PATH = '/data';
/** Fails (exit status != 0) unless the volume is a mount of its own, writable and reads back what was written. */
const ROUND_TRIP = [
  `grep -q " ${MOUNT_PATH} " /proc/mounts`,
  `echo cinder-csi-round-trip > ${MOUNT_PATH}/probe`,
  'sync',
  `test "$(cat ${MOUNT_PATH}/probe)" = cinder-csi-round-trip`,
  'echo "volume of StorageClass $STORAGE_CLASS: mounted, written and read back"',
].join(' && ');

export const helmTestTemplate = objectTemplate<StorageClassValues>({
  file: 'tests',
  enabledWhen: t.enabled,
  forEach: v.storageClasses,
  body: (sc) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: concat(namePrefix, '-test-', sc.name),
      namespace: r.namespace,
      labels: labels('test'),
      annotations: mergeMaps(v.global.annotations, {
        'helm.sh/hook': 'test',
        'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
      }),
    },
    spec: {
      restartPolicy: 'Never',
      imagePullSecrets,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: TEST_UID,
        runAsGroup: TEST_UID,
        fsGroup: TEST_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      containers: [{
        name: 'round-trip',
        image: imageOf(t.image),
        imagePullPolicy: t.image.pullPolicy,
        command: ['sh', '-c', ROUND_TRIP],
        env: [{ name: 'STORAGE_CLASS', value: sc.name }],
        volumeMounts: [{ name: 'data', mountPath: MOUNT_PATH }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      }],
      volumes: [{
        name: 'data',
        ephemeral: {
          volumeClaimTemplate: {
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: sc.name, resources: { requests: { storage: '1Gi' } } },
          },
        },
      }],
    },
  }),
});

/** The `helm test` Pods (`tests.enabled`), one per StorageClass. */
export class HelmTests extends Construct {
  /** The test Pods, in `storageClasses` order; empty when `tests.enabled` is false. */
  public readonly pods: readonly ApiObject[];

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.pods = renderInto(this, helmTestTemplate, inputs);
  }
}
