import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cloudConfigVolume, cloudConfigVolumeMount, controllerCloudConfigSecretName, controllerHasCloudConfig } from './cloud-config';
import { controllerServiceAccountName } from './controller-rbac';
import {
  CLOUD_CONFIG_FILE, CSI_ENDPOINT, DRIVER_FLAGS as F, DRIVER_METRICS_PORT, LIVENESS_PROBE_PORT, NON_ROOT_UID, SOCKET_DIR,
} from './driver-contract';
import { labels, namespacedMetadata, selectorLabels, annotations } from './metadata';
import {
  container, driverEnvironment, extraVolumeMounts, imagePullSecrets, livenessProbeOn, linuxNodeSelector,
  restrictedContainerSecurityContext, topologySpreadConstraints,
} from './pod-parts';
import { sidecar } from './sidecar';
import {
  concat, each, ifElse, mergeMaps, objectTemplate, optional, renderInto, str, TemplateInputs, valuesRef, when, yamlOf,
} from './template';
import { CinderCsiValues } from './values';

const v = valuesRef<CinderCsiValues>();
const c = v.controller;

const socketMount = { name: 'socket-dir', mountPath: SOCKET_DIR };
const securityContext = restrictedContainerSecurityContext(c.securityContext);
/** What every controller sidecar shares: the socket volume and the security-context override. */
const shared = { socketVolume: 'socket-dir', securityContext: c.securityContext } as const;

const provisioner = sidecar({
  name: 'csi-provisioner', values: c.provisioner, leaderElection: true, extraCreateMetadata: c.extraCreateMetadata, ...shared,
  args: [concat('--default-fstype=', c.defaultFsType)],
  // Topology and VolumeAttributesClass are GA in csi-provisioner v6 (always on, no gate to set); the driver's
  // --with-topology alone decides whether zones are used.
});

const attacher = sidecar({ name: 'csi-attacher', values: c.attacher, leaderElection: true, ...shared });

// Cinder expands in-use volumes online, so the resizer must not wait for the pod to go away.
// VolumeAttributesClass (ControllerModifyVolume) is GA in csi-resizer v2: always on, no gate to set.
const resizer = sidecar({
  name: 'csi-resizer', values: c.resizer, leaderElection: true, args: ['--handle-volume-inuse-error=false'], ...shared,
});

const snapshotter = sidecar({
  name: 'csi-snapshotter', values: c.snapshotter, leaderElection: true, extraCreateMetadata: c.extraCreateMetadata, ...shared,
});

const livenessProbe = sidecar({
  name: 'liveness-probe', values: c.livenessProbe, args: [`--health-port=${LIVENESS_PROBE_PORT}`, '--probe-timeout=3s'], ...shared,
});

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
