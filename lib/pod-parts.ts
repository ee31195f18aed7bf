import { concat, defaultTo, each, Expr, ifElse, mergeMaps, Ref, str, TemplateNode, valuesRef, when, yamlOf } from './template';
import { CinderCsiValues, ImagePullPolicy, ResourceRequirements } from './values';

/* Pieces of pod specs shared by the controller Deployment and the node DaemonSet. */

const v = valuesRef<CinderCsiValues>();

interface ImageRefs {
  readonly registry: Ref<string>;
  readonly repository: Ref<string>;
  readonly tag: Ref<string>;
  readonly pullPolicy: Ref<ImagePullPolicy>;
  readonly digest: Ref<string>;
}

interface ContainerRefs {
  readonly image: ImageRefs;
  readonly resources: Ref<ResourceRequirements>;
  readonly extraArgs: Ref<string[]>;
}

/**
 * `<registry>/<repository>:<tag>`, or `<registry>/<repository>@<digest>` when a digest pins the image;
 * `global.imageRegistry` (when set) replaces the image's registry.
 */
export function imageOf(image: ImageRefs): Expr<string> {
  const name = concat(defaultTo(v.global.imageRegistry, image.registry), '/', image.repository);
  return ifElse(image.digest, concat(name, '@', image.digest), concat(name, ':', image.tag));
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
export const restrictedContainerSecurityContext: TemplateNode = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/** Node selector: the user's, with `kubernetes.io/os: linux` always (the images are Linux-only). */
export function linuxNodeSelector(user: Ref<Record<string, string>>): Expr<Record<string, unknown>> {
  return mergeMaps(user, { 'kubernetes.io/os': 'linux' });
}

/** `imagePullSecrets` entry list, absent when none are configured. */
export const imagePullSecrets: TemplateNode = when(
  v.global.imagePullSecrets,
  [each(v.global.imagePullSecrets, (name) => ({ name }))],
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
