import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cloudConfigVolume, cloudConfigVolumeMount, nodeCloudConfigSecretName, nodeHasCloudConfig } from './cloud-config';
import {
  CLOUD_CONFIG_FILE, CSI_ENDPOINT, DRIVER_FLAGS as F, DRIVER_METRICS_PORT, KUBELET_PLUGINS_SUBDIR, KUBELET_REGISTRY_SUBDIR,
  LIVENESS_PROBE_PORT, NODE_PATHS, REGISTRAR_HEALTH_PORT, SOCKET_DIR, SOCKET_PATH,
} from './driver-contract';
import { annotations, labels, namespacedMetadata, namespacedName, selectorLabels } from './metadata';
import {
  container, driverEnvironment, extraVolumeMounts, imagePullSecrets, livenessProbeOn, linuxNodeSelector,
  restrictedContainerSecurityContext, verbosityArg,
} from './pod-parts';
import { sidecar } from './sidecar';
import {
  concat, defaultTo, each, mergeMaps, objectTemplate, optional, or, renderInto, str, TemplateInputs, valuesRef, when, yamlOf,
} from './template';
import { CinderCsiValues, NodeDnsPolicy } from './values';

const v = valuesRef<CinderCsiValues>();
const n = v.node;

/** Name of the node plugin's ServiceAccount. It is bound to no role: the node plugin never calls the API server. */
export const nodeServiceAccountName = namespacedName('node');

const pluginDirOnHost = concat(n.kubeletDir, KUBELET_PLUGINS_SUBDIR, v.driverName);
const registrationDirOnHost = concat(n.kubeletDir, KUBELET_REGISTRY_SUBDIR);
const socketMount = { name: 'plugin-dir', mountPath: SOCKET_DIR };
const sidecarSecurityContext = restrictedContainerSecurityContext(n.securityContext);

/*
 * The sidecars run as root (the kubelet's registration directory and the driver's socket belong to root)
 * but without any capability, privilege escalation or writable root filesystem. Only the driver container
 * is privileged: it formats, mounts and resizes block devices, and only it sees mounts propagate both ways.
 */

const registrar = container('node-driver-registrar', n.nodeDriverRegistrar, [
  `--csi-address=${SOCKET_PATH}`,
  concat('--kubelet-registration-path=', pluginDirOnHost, '/csi.sock'),
  `--http-endpoint=:${REGISTRAR_HEALTH_PORT}`,
  verbosityArg,
], {
  ports: [{ name: 'registrar', containerPort: REGISTRAR_HEALTH_PORT, protocol: 'TCP' }],
  livenessProbe: livenessProbeOn('registrar'),
  volumeMounts: [socketMount, { name: 'registration-dir', mountPath: NODE_PATHS.registrationDir }],
  securityContext: sidecarSecurityContext,
});

const livenessProbe = sidecar({
  name: 'liveness-probe', values: n.livenessProbe, args: [`--health-port=${LIVENESS_PROBE_PORT}`, '--probe-timeout=3s'],
  socketVolume: 'plugin-dir', securityContext: n.securityContext,
});

const driver = container('cinder-csi-plugin', n.driver, [
  `${F.endpoint}=${CSI_ENDPOINT}`,
  when(nodeHasCloudConfig, `${F.cloudConfig}=${CLOUD_CONFIG_FILE}`),
  concat(`${F.withTopology}=`, str(v.topology.enabled)),
  `${F.provideControllerService}=false`,
  `${F.provideNodeService}=true`,
  concat(`${F.driverName}=`, v.driverName),
  concat(`${F.kubeletDir}=`, n.kubeletDir),
  when(v.cloudConfig.blockStorage.nodeVolumeAttachLimit,
    concat(`${F.maxVolumesPerNode}=`, str(v.cloudConfig.blockStorage.nodeVolumeAttachLimit))),
  when(n.metadataUrl, concat(`${F.metadataUrl}=`, n.metadataUrl)),
  `${F.httpEndpoint}=:${DRIVER_METRICS_PORT}`,
  concat(`${F.verbosity}=`, str(v.logVerbosity)),
], {
  ports: [
    { name: 'healthz', containerPort: LIVENESS_PROBE_PORT, protocol: 'TCP' },
    { name: 'metrics', containerPort: DRIVER_METRICS_PORT, protocol: 'TCP' },
  ],
  livenessProbe: livenessProbeOn('healthz'),
  ...driverEnvironment(n),
  lifecycle: when(n.preStop.command, { preStop: { exec: { command: yamlOf(n.preStop.command) } } }),
  volumeMounts: [
    socketMount,
    // Bidirectional: mounts the driver makes under the kubelet dir must reach the host and the pods.
    { name: 'kubelet-dir', mountPath: n.kubeletDir, mountPropagation: 'Bidirectional' },
    // HostToContainer: devices and by-id links the host creates after the pod started show up inside it.
    { name: 'device-dir', mountPath: NODE_PATHS.deviceDir, mountPropagation: 'HostToContainer' },
    { name: 'udev-dir', mountPath: NODE_PATHS.udevDir, readOnly: true },
    when(nodeHasCloudConfig, cloudConfigVolumeMount),
    extraVolumeMounts(n.extraVolumeMounts),
  ],
  // Privileged implies escalation. The root filesystem stays writable: mkfs, mount and blkid keep state
  // under /run and /etc inside the container, and a read-only root would break them in ways tests here cannot show.
  // Root explicitly: the image's default user is uid 1000, and only root may mount and format.
  securityContext: mergeMaps(
    { privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsUser: 0, runAsGroup: 0 },
    n.securityContext,
  ),
});

export const nodeServiceAccountTemplate = objectTemplate({
  file: 'node-serviceaccount',
  body: () => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: namespacedMetadata(nodeServiceAccountName, 'node', n.labels, n.annotations),
    automountServiceAccountToken: false,
    imagePullSecrets,
  }),
});

export const nodeDaemonSetTemplate = objectTemplate({
  file: 'node-daemonset',
  body: () => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: namespacedMetadata(nodeServiceAccountName, 'node', n.labels, n.annotations),
    spec: {
      selector: { matchLabels: selectorLabels('node') },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: n.maxUnavailable } },
      template: {
        metadata: {
          labels: labels('node', n.podLabels),
          annotations: annotations(n.podAnnotations),
        },
        spec: {
          serviceAccountName: nodeServiceAccountName,
          automountServiceAccountToken: false,
          // The host network reaches a metadata service that answers only there; DNS still resolves cluster names
          // (ClusterFirstWithHostNet) unless the user picks a policy.
          hostNetwork: when(n.hostNetwork, true),
          dnsPolicy: when(or(n.dnsPolicy, n.hostNetwork), defaultTo(n.dnsPolicy, NodeDnsPolicy.CLUSTER_FIRST_WITH_HOST_NET)),
          priorityClassName: optional(n.priorityClassName),
          imagePullSecrets,
          securityContext: mergeMaps({ seccompProfile: { type: 'RuntimeDefault' } }, n.podSecurityContext),
          nodeSelector: linuxNodeSelector(n.nodeSelector),
          tolerations: when(n.tolerations, yamlOf(n.tolerations)),
          affinity: when(n.affinity, yamlOf(n.affinity)),
          containers: [registrar, livenessProbe, driver],
          volumes: [
            { name: 'plugin-dir', hostPath: { path: pluginDirOnHost, type: 'DirectoryOrCreate' } },
            { name: 'registration-dir', hostPath: { path: registrationDirOnHost, type: 'Directory' } },
            { name: 'kubelet-dir', hostPath: { path: n.kubeletDir, type: 'Directory' } },
            { name: 'device-dir', hostPath: { path: NODE_PATHS.deviceDir, type: 'Directory' } },
            { name: 'udev-dir', hostPath: { path: NODE_PATHS.udevDir, type: 'DirectoryOrCreate' } },
            when(nodeHasCloudConfig, cloudConfigVolume(nodeCloudConfigSecretName)),
            each(n.extraVolumes, (volume) => yamlOf(volume)),
          ],
        },
      },
    },
  }),
});

export const nodePluginTemplates = [nodeServiceAccountTemplate, nodeDaemonSetTemplate] as const;

/** The node plugin: a DaemonSet with the driver's node service, node-driver-registrar and livenessprobe. */
export class NodePlugin extends Construct {
  public readonly serviceAccount: ApiObject;
  public readonly daemonSet: ApiObject;

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.serviceAccount = renderInto(this, nodeServiceAccountTemplate, inputs)[0]!;
    this.daemonSet = renderInto(this, nodeDaemonSetTemplate, inputs)[0]!;
  }
}
