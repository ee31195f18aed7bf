import { App, Chart } from 'cdk8s';
import { CinderCsi, CinderCsiProps, CloudConfigMode } from '../../lib';

/** A rendered Kubernetes object, loosely typed for assertions. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};

export interface Synthesized {
  readonly csi: CinderCsi;
  readonly objects: K8sObject[];
  readonly chart: Chart;
}

/** Synthesizes a CinderCsi with `props` in a fresh cdk8s app, as a user's app would. */
export function synth(props: CinderCsiProps = {}): Synthesized {
  const app = new App();
  const chart = new Chart(app, 'test');
  const csi = new CinderCsi(chart, 'csi', props);
  return { csi, chart, objects: chart.toJson() as K8sObject[] };
}

export function objectsOf(props: CinderCsiProps = {}): K8sObject[] {
  return synth(props).objects;
}

/** The only object of `kind` (and `name`, when given); fails the test when there is not exactly one. */
export function one(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return found[0]!;
}

export function ofKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function containerOf(workload: K8sObject, name: string): any {
  const c = workload.spec.template.spec.containers.find((x: any) => x.name === name);
  if (c === undefined) throw new Error(`no container ${name} in ${workload.kind}/${workload.metadata.name}`);
  return c;
}

export function deploymentOf(objects: readonly K8sObject[]): K8sObject {
  return one(objects, 'Deployment');
}

export function daemonSetOf(objects: readonly K8sObject[]): K8sObject {
  return one(objects, 'DaemonSet');
}

/** The error thrown by `fn`, as a string (fails when nothing is thrown). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected an error, none was thrown');
}

export const CLUSTER_SCOPED_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'CSIDriver', 'StorageClass', 'VolumeSnapshotClass', 'VolumeAttributesClass']);

/** A [Global] section the controller accepts: password auth with user and project domains. */
export const VALID_GLOBAL = {
  authUrl: 'https://keystone.example:5000/v3', username: 'u', password: 'pw', userDomainName: 'Default',
  projectName: 'p', projectDomainName: 'Default', region: 'RegionOne',
} as const;

/** Props that switch every optional component on. */
export const EVERYTHING_ON: CinderCsiProps = {
  snapshots: { enabled: true },
  openshift: { enabled: true },
  volumeAttributesClasses: { enabled: true, classes: [{ name: 'cinder-ssd', parameters: { type: 'ssd' } }] },
  node: { metadataUrl: 'http://169.254.169.254:8775' },
  cloudConfig: {
    mode: CloudConfigMode.SECRET,
    global: VALID_GLOBAL,
    blockStorage: { nodeVolumeAttachLimit: 26, rescanOnResize: true },
    metadata: { searchOrder: 'configDrive,metadataService' },
  },
};
