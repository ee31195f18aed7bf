import {
  concat, defaultTo, each, Expr, fragment, ifElse, Included, mergeMaps, Ref, str, TemplateNode, valuesRef, when, yamlOf,
} from './template';
import { CinderCsiValues, ImagePullPolicy, ResourceRequirements } from './values';

/* Pieces of pod specs shared by the controller Deployment and the node DaemonSet. */

const v = valuesRef<CinderCsiValues>();

/** The fields every image value has (each image has its own defaults). */
interface ImageValues {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly pullPolicy: ImagePullPolicy;
  readonly digest: string;
}

interface ContainerRefs {
  readonly image: Ref<ImageValues>;
  readonly resources: Ref<ResourceRequirements>;
  readonly extraArgs: Ref<string[]>;
}

const imageFragment = fragment<{ image: ImageValues }>({
  name: 'cinder-csi.image',
  description: 'An image reference: <registry>/<repository>@<digest> when a digest pins it, else :<tag>; global.imageRegistry replaces the registry.',
  params: ['image'],
}, (p) => {
  const name = concat(defaultTo(v.global.imageRegistry, p.image.registry), '/', p.image.repository);
  return ifElse(p.image.digest, concat(name, '@', p.image.digest), concat(name, ':', p.image.tag));
});

/**
 * `<registry>/<repository>:<tag>`, or `<registry>/<repository>@<digest>` when a digest pins the image;
 * `global.imageRegistry` (when set) replaces the image's registry.
 */
export function imageOf(image: Ref<ImageValues>): Included {
  return imageFragment({ image });
}

/** `--v=<logVerbosity>`. */
export const verbosityArg = concat('--v=', str(v.logVerbosity));

/**
 * A container with the image, pull policy, args (the chart's, then the user's `extraArgs`) and resources of
 * `values`; `rest` adds the container-specific fields.
 */
export function container(
  name: string, values: ContainerRefs, args: readonly TemplateNode[], rest: Record<string, TemplateNode>,
): Record<string, TemplateNode> {
  return {
    name,
    image: imageOf(values.image),
    imagePullPolicy: values.image.pullPolicy,
    args: [...args, each(values.extraArgs, (arg) => arg)],
    ...rest,
    resources: yamlOf(values.resources),
  };
}

/** Security context of every container that needs no privilege: read-only root, no capabilities, no escalation. */
export const restrictedContainerSecurityContext: TemplateNode = fragment({
  name: 'cinder-csi.restrictedSecurityContext',
  description: 'Security context of a container that needs no privilege: read-only root, no capabilities, no escalation.',
  params: [],
}, () => ({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
}))({});

/** Node selector: the user's, with `kubernetes.io/os: linux` always (the images are Linux-only). */
export function linuxNodeSelector(user: Ref<Record<string, string>>): Expr<Record<string, unknown>> {
  return mergeMaps(user, { 'kubernetes.io/os': 'linux' });
}

/** `imagePullSecrets` entry list, absent when none are configured. */
export const imagePullSecrets: TemplateNode = when(
  v.global.imagePullSecrets,
  fragment({
    name: 'cinder-csi.imagePullSecrets',
    description: 'The imagePullSecrets of a pod or ServiceAccount: one entry per name in global.imagePullSecrets.',
    params: [],
  }, () => [each(v.global.imagePullSecrets, (name) => ({ name }))])({}),
);

/**
 * Liveness probe timings of the driver and registrar: tolerant enough for a node under I/O pressure. The
 * kubelet waits longer (5 s) than the livenessprobe sidecar waits for the CSI Probe (`--probe-timeout=3s`),
 * so a slow Probe is reported as a failed probe, not as a timed-out HTTP request.
 */
export const driverLivenessProbeTimings = {
  initialDelaySeconds: 10,
  timeoutSeconds: 5,
  periodSeconds: 10,
  failureThreshold: 5,
} as const;

const livenessProbeFragment = fragment<{ port: string }>({
  name: 'cinder-csi.livenessProbe',
  description: 'Liveness probe of the driver and the registrar: GET /healthz on the named port, tolerant of a node under I/O pressure.',
  params: ['port'],
}, (p) => ({ httpGet: { path: '/healthz', port: p.port }, ...driverLivenessProbeTimings }));

/** The liveness probe on a named container port (see driverLivenessProbeTimings). */
export function livenessProbeOn(port: string): Included {
  return livenessProbeFragment({ port });
}
