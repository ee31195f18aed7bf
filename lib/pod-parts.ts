import {
  concat, defaultTo, each, Expr, fragment, ifElse, Included, mergeMaps, or, Ref, str, TemplateNode, valuesRef, when, yamlOf,
} from './template';
import {
  CinderCsiValues, EnvFromSource, EnvVar, FreeFormObject, ImagePullPolicy, ResourceRequirements, TopologySpreadConstraint,
  VolumeMount,
} from './values';

/* Pieces of pod specs shared by the controller Deployment and the node DaemonSet. */

const v = valuesRef<CinderCsiValues>();

/** The fields every image value has (each image has its own defaults). */
export interface ImageValues {
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

const restrictedSecurityContextFragment = fragment<{ override: FreeFormObject }>({
  name: 'cinder-csi.restrictedSecurityContext',
  description: 'Security context of a container that needs no privilege (read-only root, no capabilities, no escalation), with the user\'s keys merged over it.',
  params: ['override'],
}, (p) => mergeMaps({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
}, p.override));

/**
 * Security context of a container that needs no privilege: read-only root, no capabilities, no escalation; the
 * keys of `override` (the component's `securityContext` value) replace ours.
 */
export function restrictedContainerSecurityContext(override: Ref<FreeFormObject>): Included {
  return restrictedSecurityContextFragment({ override });
}

const driverEnvFragment = fragment<{ extraEnv: EnvVar[] }>({
  name: 'cinder-csi.driverEnv',
  description: 'Environment of a driver container: the proxy variables of global.proxy that are set, then the component\'s extraEnv.',
  params: ['extraEnv'],
}, (p) => [
  when(v.global.proxy.httpProxy, { name: 'HTTP_PROXY', value: v.global.proxy.httpProxy }),
  when(v.global.proxy.httpsProxy, { name: 'HTTPS_PROXY', value: v.global.proxy.httpsProxy }),
  when(v.global.proxy.noProxy, { name: 'NO_PROXY', value: v.global.proxy.noProxy }),
  each(p.extraEnv, (env) => yamlOf(env)),
]);

/** The component refs of the fields a driver container adds from the user's values. */
interface DriverExtrasRefs {
  readonly extraEnv: Ref<EnvVar[]>;
  readonly envFrom: Ref<EnvFromSource[]>;
}

/**
 * `env` and `envFrom` of a driver container (absent when empty): the proxy variables of `global.proxy`, then the
 * component's `extraEnv`; its `envFrom`.
 */
export function driverEnvironment(values: DriverExtrasRefs): Record<string, TemplateNode> {
  const proxy = v.global.proxy;
  return {
    env: when(or(proxy.httpProxy, proxy.httpsProxy, proxy.noProxy, values.extraEnv), driverEnvFragment({ extraEnv: values.extraEnv })),
    envFrom: when(values.envFrom, yamlOf(values.envFrom)),
  };
}

/** The user's `extraVolumeMounts`, as list items after a container's own mounts. */
export function extraVolumeMounts(mounts: Ref<VolumeMount[]>): TemplateNode {
  return each(mounts, (mount) => yamlOf(mount));
}

/**
 * The user's topology spread constraints; one without a `labelSelector` gets the pods' selector labels, so that
 * it counts the pods it is written for.
 */
export function topologySpreadConstraints(
  constraints: Ref<TopologySpreadConstraint[]>, selector: TemplateNode,
): TemplateNode {
  return when(constraints, [each(constraints, (constraint) => mergeMaps(constraint, {
    labelSelector: ifElse(constraint.labelSelector, yamlOf(constraint.labelSelector), { matchLabels: selector }),
  }))]);
}

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
