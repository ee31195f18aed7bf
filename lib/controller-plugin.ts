import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cloudConfigVolume, cloudConfigVolumeMount, controllerCloudConfigSecretName, controllerHasCloudConfig } from './cloud-config';
import { controllerServiceAccountName } from './controller-rbac';
import {
  CLOUD_CONFIG_FILE, CSI_ENDPOINT, DRIVER_FLAGS as F, DRIVER_METRICS_PORT, LIVENESS_PROBE_PORT, NON_ROOT_UID, SOCKET_DIR,
  SOCKET_PATH,
} from './driver-contract';
import { labels, namespacedMetadata, selectorLabels, annotations } from './metadata';
import {
  container, driverEnvironment, extraVolumeMounts, imagePullSecrets, livenessProbeOn, linuxNodeSelector,
  restrictedContainerSecurityContext, topologySpreadConstraints, verbosityArg,
} from './pod-parts';
import {
  concat, each, ifElse, mergeMaps, objectTemplate, optional, releaseRef as r, renderInto, str, TemplateInputs, TemplateNode, valuesRef,
  when, yamlOf,
} from './template';
import { CinderCsiValues } from './values';

const v = valuesRef<CinderCsiValues>();
const c = v.controller;

const socketMount = { name: 'socket-dir', mountPath: SOCKET_DIR };
const timeoutArg = concat('--timeout=', c.operationTimeout);
const csiAddressArg = `--csi-address=${SOCKET_PATH}`;
const leaderElectionArgs = [
  '--leader-election=true',
  concat('--leader-election-namespace=', r.namespace),
  concat('--leader-election-lease-duration=', c.leaderElection.leaseDuration),
  concat('--leader-election-renew-deadline=', c.leaderElection.renewDeadline),
  concat('--leader-election-retry-period=', c.leaderElection.retryPeriod),
];
const securityContext = restrictedContainerSecurityContext(c.securityContext);

function sidecar(name: string, values: Parameters<typeof container>[1], args: readonly TemplateNode[]): TemplateNode {
  return container(name, values, [csiAddressArg, verbosityArg, ...args], {
    volumeMounts: [socketMount],
    securityContext,
  });
}

const provisioner = sidecar('csi-provisioner', c.provisioner, [
  timeoutArg,
  ...leaderElectionArgs,
  concat('--default-fstype=', c.defaultFsType),
  when(c.extraCreateMetadata, '--extra-create-metadata'),
  // Topology and VolumeAttributesClass are GA in csi-provisioner v6 (always on, no gate to set); the driver's
  // --with-topology alone decides whether zones are used.
]);

const attacher = sidecar('csi-attacher', c.attacher, [timeoutArg, ...leaderElectionArgs]);

// Cinder expands in-use volumes online, so the resizer must not wait for the pod to go away.
const resizer = sidecar('csi-resizer', c.resizer, [
  timeoutArg,
  ...leaderElectionArgs,
  '--handle-volume-inuse-error=false',
  // VolumeAttributesClass (ControllerModifyVolume) is GA in csi-resizer v2: always on, no gate to set.
]);

const snapshotter = sidecar('csi-snapshotter', c.snapshotter, [
  timeoutArg,
  ...leaderElectionArgs,
  when(c.extraCreateMetadata, '--extra-create-metadata'),
]);

const livenessProbe = sidecar('liveness-probe', c.livenessProbe, [`--health-port=${LIVENESS_PROBE_PORT}`, '--probe-timeout=3s']);

const driver = container('cinder-csi-plugin', c.driver, [
  `${F.endpoint}=${CSI_ENDPOINT}`,
  `${F.cloudConfig}=${CLOUD_CONFIG_FILE}`,
  each(v.cloudConfig.cloudNames, (name) => concat(`${F.cloudName}=`, name)),
  concat(`${F.cluster}=`, v.clusterId),
  concat(`${F.withTopology}=`, str(v.topology.enabled)),
  `${F.provideControllerService}=true`,
  `${F.provideNodeService}=false`,
  concat(`${F.driverName}=`, v.driverName),
  `${F.httpEndpoint}=:${DRIVER_METRICS_PORT}`,
  concat(`${F.verbosity}=`, str(v.logVerbosity)),
], {
  ports: [
    { name: 'healthz', containerPort: LIVENESS_PROBE_PORT, protocol: 'TCP' },
    { name: 'metrics', containerPort: DRIVER_METRICS_PORT, protocol: 'TCP' },
  ],
  livenessProbe: livenessProbeOn('healthz'),
  ...driverEnvironment(c),
  volumeMounts: [socketMount, when(controllerHasCloudConfig, cloudConfigVolumeMount), extraVolumeMounts(c.extraVolumeMounts)],
  securityContext,
});

/** Spread replicas over nodes unless the user gives an affinity of their own. */
const defaultAffinity = {
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [{
      weight: 100,
      podAffinityTerm: { labelSelector: { matchLabels: selectorLabels('controller') }, topologyKey: 'kubernetes.io/hostname' },
    }],
  },
};

export const controllerServiceAccountTemplate = objectTemplate({
  file: 'controller-serviceaccount',
  body: () => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: namespacedMetadata(controllerServiceAccountName, 'controller', c.labels, c.annotations),
    imagePullSecrets,
  }),
});

export const controllerDeploymentTemplate = objectTemplate({
  file: 'controller-deployment',
  body: () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: namespacedMetadata(controllerServiceAccountName, 'controller', c.labels, c.annotations),
    spec: {
      replicas: c.replicas,
      selector: { matchLabels: selectorLabels('controller') },
      template: {
        metadata: {
          labels: labels('controller', c.podLabels),
          annotations: annotations(c.podAnnotations),
        },
        spec: {
          serviceAccountName: controllerServiceAccountName,
          priorityClassName: optional(c.priorityClassName),
          imagePullSecrets,
          securityContext: mergeMaps({
            runAsNonRoot: true,
            runAsUser: NON_ROOT_UID,
            runAsGroup: NON_ROOT_UID,
            fsGroup: NON_ROOT_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          }, c.podSecurityContext),
          nodeSelector: linuxNodeSelector(c.nodeSelector),
          tolerations: when(c.tolerations, yamlOf(c.tolerations)),
          affinity: ifElse(c.affinity, yamlOf(c.affinity), defaultAffinity),
          topologySpreadConstraints: topologySpreadConstraints(c.topologySpreadConstraints, selectorLabels('controller')),
          containers: [
            provisioner,
            attacher,
            resizer,
            when(v.snapshots.enabled, snapshotter),
            livenessProbe,
            driver,
          ],
          volumes: [
            { name: 'socket-dir', emptyDir: {} },
            when(controllerHasCloudConfig, cloudConfigVolume(controllerCloudConfigSecretName)),
            each(c.extraVolumes, (volume) => yamlOf(volume)),
          ],
        },
      },
    },
  }),
});

export const controllerPodDisruptionBudgetTemplate = objectTemplate({
  file: 'controller-poddisruptionbudget',
  enabledWhen: c.podDisruptionBudget.enabled,
  body: () => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: namespacedMetadata(controllerServiceAccountName, 'controller', c.labels, c.annotations),
    spec: {
      maxUnavailable: c.podDisruptionBudget.maxUnavailable,
      selector: { matchLabels: selectorLabels('controller') },
    },
  }),
});

export const controllerPluginTemplates = [
  controllerServiceAccountTemplate,
  controllerDeploymentTemplate,
  controllerPodDisruptionBudgetTemplate,
] as const;

/**
 * The controller plugin: the driver's controller service with the provisioner, attacher, resizer,
 * (snapshotter) and livenessprobe sidecars, leader-elected, spread over nodes, with a PodDisruptionBudget.
 */
export class ControllerPlugin extends Construct {
  public readonly serviceAccount: ApiObject;
  public readonly deployment: ApiObject;
  /** Absent when `controller.podDisruptionBudget.enabled` is false. */
  public readonly podDisruptionBudget?: ApiObject;

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.serviceAccount = renderInto(this, controllerServiceAccountTemplate, inputs)[0]!;
    this.deployment = renderInto(this, controllerDeploymentTemplate, inputs)[0]!;
    this.podDisruptionBudget = renderInto(this, controllerPodDisruptionBudgetTemplate, inputs)[0];
  }
}
