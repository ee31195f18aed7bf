import type { Kube, KubeObject } from './kube';
import { eventually } from './processes';

/** The parts of core/storage objects the suites read. */
export interface Pvc extends KubeObject {
  spec: { volumeName?: string; storageClassName?: string; volumeAttributesClassName?: string; resources: { requests: { storage: string } } };
  status?: { phase?: string; capacity?: { storage?: string }; conditions?: { type: string }[]; currentVolumeAttributesClassName?: string; modifyVolumeStatus?: unknown };
}
export interface Pv extends KubeObject {
  spec: {
    csi: { driver: string; volumeHandle: string; volumeAttributes?: Record<string, string> };
    capacity: { storage: string };
    nodeAffinity?: { required: { nodeSelectorTerms: { matchExpressions: { key: string; operator: string; values: string[] }[] }[] } };
    volumeAttributesClassName?: string;
    persistentVolumeReclaimPolicy?: string;
  };
  status?: { phase?: string };
}
export interface VolumeAttachment extends KubeObject {
  spec: { attacher: string; nodeName: string; source: { persistentVolumeName?: string } };
  status?: { attached: boolean; attachmentMetadata?: Record<string, string>; attachError?: { message: string } };
}
export interface VolumeSnapshot extends KubeObject {
  status?: { readyToUse?: boolean; boundVolumeSnapshotContentName?: string; restoreSize?: string; error?: { message?: string } };
}
export interface VolumeSnapshotContent extends KubeObject {
  status?: { snapshotHandle?: string; readyToUse?: boolean };
}

export function pvc(name: string, namespace: string, storageClassName: string, size: string, extra: Partial<Pvc['spec']> & { dataSource?: unknown; volumeMode?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: size } }, ...extra },
  };
}

/** A pod that only consumes a claim (it never runs until a kubelet does; the scheduler and controllers act on it). */
export function consumerPod(name: string, namespace: string, claimName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
      terminationGracePeriodSeconds: 0,
    },
  };
}

/** Waits for a claim to be Bound; the error carries its events (what the provisioner said). */
export async function boundClaim(kube: Kube, name: string, namespace: string, timeoutMs = 90_000): Promise<{ pvc: Pvc; pv: Pv }> {
  try {
    const claim = await eventually(`claim ${namespace}/${name} to be Bound`, async () => {
      const c = await kube.get<Pvc>('pvc', name, namespace);
      return c.status?.phase === 'Bound' ? c : undefined;
    }, timeoutMs);
    return { pvc: claim, pv: await kube.get<Pv>('pv', claim.spec.volumeName as string) };
  } catch (e) {
    const events = await kube.events(namespace, name).catch(() => []);
    throw new Error(`${(e as Error).message}\nevents of ${namespace}/${name}:\n  ${events.join('\n  ')}`);
  }
}

/** The VolumeAttachment of a PV on a node, as the attach/detach controller names it (found by its spec). */
export async function attachmentOf(kube: Kube, pvName: string, nodeName: string): Promise<VolumeAttachment | undefined> {
  const all = await kube.list<VolumeAttachment>('volumeattachments');
  return all.find((va) => va.spec.source.persistentVolumeName === pvName && va.spec.nodeName === nodeName);
}

/** Kubernetes quantity of whole GiB ("2Gi") → number of GiB. */
export function gib(quantity: string): number {
  const m = /^(\d+)Gi$/.exec(quantity);
  if (!m) throw new Error(`expected a whole-GiB quantity, got ${quantity}`);
  return Number(m[1]);
}
