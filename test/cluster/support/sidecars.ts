import { join } from 'node:path';
import type { ControlPlane } from './control-plane';
import { freePort } from './control-plane';
import type { KubeObject } from './kube';
import { ManagedProcess } from './processes';
import { buildReferees } from './referees';

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
}

interface PodTemplateOwner extends KubeObject {
  spec: { template: { spec: { serviceAccountName?: string; containers: Container[] } } };
}

/**
 * Which referee binary runs a container, by the image's repository (the chart's image names). The livenessprobe and
 * the node-driver-registrar are not served by the Go module proxy these machines reach, so they are not run here.
 */
const REFEREE_OF_IMAGE: Record<string, string> = {
  'sig-storage/csi-provisioner': 'csi-provisioner',
  'sig-storage/csi-attacher': 'csi-attacher',
  'sig-storage/csi-resizer': 'csi-resizer',
  'sig-storage/csi-snapshotter': 'csi-snapshotter',
};

/** `registry/repo/name:tag` → { repository: 'repo/name', tag }. */
export function parseImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(':');
  const path = image.slice(0, at);
  return { repository: path.split('/').slice(1).join('/'), tag: image.slice(at + 1) };
}

/** Flags that name an address to listen on: moved to a free port on 127.0.0.1. */
const LISTEN_FLAGS = ['--http-endpoint', '--metrics-address', '--health-port'];

export interface RunningSidecars {
  readonly processes: readonly ManagedProcess[];
  /** The referee name and tag each container ran as, e.g. `csi-provisioner v5.3.0`. */
  readonly versions: readonly string[];
  stop(): Promise<void>;
}

/**
 * Runs every sidecar container of an installed Deployment as a process, exactly as the chart configured it: the
 * container's own args and env, the referee built at the image's tag, the CSI socket at `socket`, and the API
 * credentials of the pod's ServiceAccount (a bound token), so the chart's RBAC is what the sidecars get.
 */
export async function runSidecars(cluster: ControlPlane, owner: PodTemplateOwner, socket: string, logDir: string): Promise<RunningSidecars> {
  const namespace = owner.metadata.namespace ?? 'default';
  const podSpec = owner.spec.template.spec;
  const sa = podSpec.serviceAccountName ?? 'default';
  const kubeconfig = cluster.kubeconfigForToken(`${namespace}-${sa}`, await cluster.admin.token(sa, namespace));
  const sidecars = podSpec.containers.filter((c) => REFEREE_OF_IMAGE[parseImage(c.image).repository] !== undefined);
  const started: ManagedProcess[] = [];
  const versions: string[] = [];
  try {
    for (const c of sidecars) {
      const { repository, tag } = parseImage(c.image);
      const referee = REFEREE_OF_IMAGE[repository];
      const bin = buildReferees([referee])[referee];
      if (!bin.endsWith(`-${tag}`)) throw new Error(`${c.name}: the chart deploys ${repository}:${tag}, but the referee table builds ${bin}`);
      const args: string[] = [];
      for (const a of c.args ?? []) {
        const flag = a.split('=')[0];
        if (flag === '--csi-address') args.push(`--csi-address=${socket}`);
        else if (LISTEN_FLAGS.includes(flag)) args.push(`${flag}=${flag === '--health-port' ? '' : '127.0.0.1:'}${await freePort()}`);
        else args.push(a);
      }
      args.push(`--kubeconfig=${kubeconfig}`);
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
      for (const e of c.env ?? []) {
        if (e.value !== undefined) env[e.name] = e.value;
        else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[e.name] = namespace;
        else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.name') env[e.name] = `${owner.metadata.name}-test`;
      }
      started.push(new ManagedProcess(`${namespace}-${c.name}`, bin, args, logDir, env));
      versions.push(`${referee} ${tag}`);
    }
  } catch (e) {
    for (const p of started) await p.stop();
    throw e;
  }
  return {
    processes: started,
    versions,
    stop: async () => {
      for (const p of started) await p.stop();
    },
  };
}

/** The snapshot-controller (cluster infrastructure, not part of the chart), with admin credentials. */
export function runSnapshotController(cluster: ControlPlane, logDir: string): ManagedProcess {
  const bin = buildReferees(['snapshot-controller'])['snapshot-controller'];
  return new ManagedProcess('snapshot-controller', bin, [`--kubeconfig=${join(cluster.dir, 'admin.kubeconfig')}`, '--leader-election=false', '--v=2'], logDir);
}
