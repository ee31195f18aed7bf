import { SOCKET_DIR, SOCKET_PATH } from './driver-contract';
import { imageOf, ImageValues, restrictedContainerSecurityContext, verbosityArg } from './pod-parts';
import { concat, each, Expr, fragment, releaseRef as r, TemplateNode, valuesRef, when, yamlOf } from './template';
import { CinderCsiValues, FreeFormObject, ResourceRequirements } from './values';

/*
 * A CSI sidecar container (provisioner, attacher, resizer, snapshotter, livenessprobe): it talks to the driver
 * over the socket in a shared volume, needs no privilege, and takes the same knobs from its values (image,
 * resources, extraArgs). Written once as the `cinder-csi.sidecar` define; each use passes what differs.
 */

const v = valuesRef<CinderCsiValues>();
const c = v.controller;

/** The values every sidecar container has: `controller.provisioner`, `node.livenessProbe`, ... */
export interface SidecarValues {
  readonly image: ImageValues;
  readonly resources: ResourceRequirements;
  readonly extraArgs: string[];
}

interface SidecarParams {
  /** Container name. */
  readonly name: string;
  /** The container's values (image, resources, extraArgs). */
  readonly values: SidecarValues;
  /** The sidecar's own arguments, after the shared ones (socket, verbosity, timeout and leader election). */
  readonly args?: string[];
  /** Adds `--timeout` and the leader-election flags (the controller's sidecars that act on the API). */
  readonly leaderElection?: boolean;
  /** Adds `--extra-create-metadata` after the sidecar's own arguments. */
  readonly extraCreateMetadata?: boolean;
  /** The volume that holds the driver's socket, mounted at /csi. */
  readonly socketVolume: string;
  /** The component's `securityContext` value, merged over the restricted defaults. */
  readonly securityContext: FreeFormObject;
}

const sidecarFragment = fragment<SidecarParams>({
  name: 'cinder-csi.sidecar',
  description: 'A CSI sidecar container. Parameters: name; values (the container\'s image, resources, extraArgs); args (its own flags, optional); '
    + 'leaderElection (adds --timeout and leader election); extraCreateMetadata; socketVolume (mounted at /csi); securityContext (override).',
  params: ['name', 'values', 'args', 'leaderElection', 'extraCreateMetadata', 'socketVolume', 'securityContext'],
}, (p) => ({
  name: p.name,
  image: imageOf(p.values.image),
  imagePullPolicy: p.values.image.pullPolicy,
  args: [
    `--csi-address=${SOCKET_PATH}`,
    verbosityArg,
    when(p.leaderElection, concat('--timeout=', c.operationTimeout)),
    when(p.leaderElection, '--leader-election=true'),
    when(p.leaderElection, concat('--leader-election-namespace=', r.namespace)),
    when(p.leaderElection, concat('--leader-election-lease-duration=', c.leaderElection.leaseDuration)),
    when(p.leaderElection, concat('--leader-election-renew-deadline=', c.leaderElection.renewDeadline)),
    when(p.leaderElection, concat('--leader-election-retry-period=', c.leaderElection.retryPeriod)),
    // Left out, args is nil: Helm's range and the evaluator's each() write nothing for it.
    each(p.args as Expr<string[]>, (arg) => arg),
    when(p.extraCreateMetadata, '--extra-create-metadata'),
    each(p.values.extraArgs, (arg) => arg),
  ],
  volumeMounts: [{ name: p.socketVolume, mountPath: SOCKET_DIR }],
  securityContext: restrictedContainerSecurityContext(p.securityContext),
  resources: yamlOf(p.values.resources),
}));

/** A CSI sidecar container (see SidecarParams); the Helm chart includes `cinder-csi.sidecar`. */
export function sidecar(params: Parameters<typeof sidecarFragment>[0]): TemplateNode {
  return sidecarFragment(params);
}
