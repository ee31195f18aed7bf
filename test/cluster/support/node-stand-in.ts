import type { Kube, KubeObject } from './kube';
import { sleep } from './processes';

export interface NodeRegistration {
  readonly nodeName: string;
  readonly driverName: string;
  readonly nodeId: string;
  /** NodeGetInfo's accessible_topology segments. */
  readonly topology: Readonly<Record<string, string>>;
  readonly maxVolumes: number;
}

interface Pod extends KubeObject {
  metadata: KubeObject['metadata'] & { deletionTimestamp?: string };
  spec: { nodeName?: string; volumes?: { persistentVolumeClaim?: { claimName: string } }[] };
}

/**
 * Until a real kubelet runs (the next issue), this does the kubelet's API-side part for one node: it registers the
 * Node and the driver's CSINode entry exactly as kubelet and the node-driver-registrar would (topology labels, the
 * node-id annotation, attach/detach managed by the controller), renews the node's Lease and reports it Ready (so the
 * node lifecycle controller lifts the not-ready taint and keeps it off), reports the CSI volumes of its pods in
 * status.volumesInUse (what the attach/detach controller reads before detaching), and confirms the deletion of its
 * terminating pods (kubelet's job once containers are gone). It never mounts anything.
 */
export class NodeStandIn {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private lastInUse = '';
  private lastRenew = 0;

  constructor(
    private readonly kube: Kube,
    readonly registration: NodeRegistration,
  ) {}

  get name(): string {
    return this.registration.nodeName;
  }

  async register(): Promise<void> {
    const r = this.registration;
    await this.kube.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: r.nodeName,
        labels: { 'kubernetes.io/hostname': r.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...r.topology },
        annotations: {
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
          'csi.volume.kubernetes.io/nodeid': JSON.stringify({ [r.driverName]: r.nodeId }),
        },
      },
    });
    await this.heartbeat([]);
    await this.renewLease();
    const node = await this.kube.get('node', r.nodeName);
    await this.kube.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSINode',
      metadata: { name: r.nodeName, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: r.nodeName, uid: node.metadata.uid as string }] } as KubeObject['metadata'],
      spec: { drivers: [{ name: r.driverName, nodeID: r.nodeId, topologyKeys: Object.keys(r.topology), allocatable: { count: r.maxVolumes } }] },
    });
    this.loop = this.run();
  }

  private async heartbeat(volumesInUse: string[]): Promise<void> {
    const now = new Date().toISOString();
    await this.kube.patch(
      'node',
      this.name,
      {
        status: {
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'stand-in for kubelet', lastHeartbeatTime: now, lastTransitionTime: now }],
          capacity: { cpu: '8', memory: '16Gi', pods: '110' },
          allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
          volumesInUse,
        },
      },
      undefined,
      'status',
    );
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.tick();
      } catch {
        // The API server may be going away at the end of the run; the next tick retries.
      }
      await sleep(500);
    }
  }

  /** kube-node-lease/<node>, renewed as kubelet does (every 10 s of a 40 s lease). */
  private async renewLease(): Promise<void> {
    if (Date.now() - this.lastRenew < 5_000) return;
    const now = new Date().toISOString().replace('Z', '000Z');
    await this.kube.apply({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: this.name, leaseDurationSeconds: 40, renewTime: now },
    });
    this.lastRenew = Date.now();
  }

  private async tick(): Promise<void> {
    await this.renewLease();
    const pods = (await this.kube.list<Pod>('pods', 'all')).filter((p) => p.spec.nodeName === this.name);
    const inUse = new Set<string>();
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) {
        await this.kube.run(['delete', 'pod', pod.metadata.name, '-n', pod.metadata.namespace ?? 'default', '--grace-period=0', '--force', '--ignore-not-found']);
        continue;
      }
      for (const v of pod.spec.volumes ?? []) {
        const claim = v.persistentVolumeClaim?.claimName;
        if (!claim) continue;
        const pvc = await this.kube.find('pvc', claim, pod.metadata.namespace);
        const pvName = (pvc?.spec as { volumeName?: string } | undefined)?.volumeName;
        if (!pvName) continue;
        const pv = await this.kube.find('pv', pvName);
        const csi = (pv?.spec as { csi?: { driver: string; volumeHandle: string } } | undefined)?.csi;
        if (csi) inUse.add(`kubernetes.io/csi/${csi.driver}^${csi.volumeHandle}`);
      }
    }
    const key = [...inUse].sort().join(',');
    if (key !== this.lastInUse) {
      await this.heartbeat([...inUse].sort());
      this.lastInUse = key;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
