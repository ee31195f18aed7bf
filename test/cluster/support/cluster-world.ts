import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectCsi } from '../../../driver/test/helpers/csi-client';
import { type ControlPlane, startControlPlane } from './control-plane';
import type { DriverCloud } from './cloud';
import { NodeStandIn } from './node-stand-in';
import { eventually, killLeftovers, type ManagedProcess } from './processes';
import { ROOT, snapshotCrdDir } from './referees';
import { runSnapshotController } from './sidecars';

/** Where a world keeps its files and its programs' logs (one world at a time per name: the next run wipes them). */
export function worldDirs(name: string): { work: string; logs: string } {
  return { work: join(ROOT, '.tmp', name), logs: join(ROOT, '.tmp', `${name}-logs`) };
}

export const DRIVER_NAME = 'cinder.csi.openstack.org';
export const NODE_NAME = 'cinder-csi-node-1';

/** Everything a cluster suite shares: the control plane, the driver and the cloud behind it, the node, the CRDs. */
export interface ClusterWorld {
  readonly work: string;
  readonly logs: string;
  readonly cluster: ControlPlane;
  readonly cloud: DriverCloud;
  readonly node: NodeStandIn;
  readonly snapshotController: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts the driver (controller + node services) in front of a cloud, its socket and files under `dir`. */
export type CloudStarter = (dir: string, logDir: string) => Promise<DriverCloud>;

/**
 * Starts a real control plane, the driver in front of a cloud (`startCloud`: the emulator or a real OpenStack),
 * installs the external-snapshotter CRDs and runs the snapshot-controller, and registers one node with the driver's
 * NodeGetInfo. `name` names the world's folders under .tmp/.
 */
export async function startClusterWorld(name: string, startCloud: CloudStarter): Promise<ClusterWorld> {
  const { work, logs } = worldDirs(name);
  killLeftovers(logs);
  rmSync(logs, { recursive: true, force: true });
  const cluster = await startControlPlane({ dir: work, logDir: logs });
  const stops: (() => Promise<void>)[] = [() => cluster.stop()];
  // Once, in reverse order of start; a second call waits for the first (a test may stop the world before afterAll).
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const s of [...stops].reverse()) await s();
    })());
  try {
    const cloud = await startCloud(join(work, 'cloud'), logs);
    stops.push(() => cloud.stop());

    const crds = snapshotCrdDir();
    for (const f of readdirSync(crds).filter((n) => n.startsWith('snapshot.storage.k8s.io_'))) {
      await cluster.admin.run(['apply', '--server-side', '-f', join(crds, f)]);
    }
    for (const crd of ['volumesnapshotclasses', 'volumesnapshots', 'volumesnapshotcontents']) {
      await cluster.admin.run(['wait', '--for=condition=Established', `crd/${crd}.snapshot.storage.k8s.io`, '--timeout=60s']);
    }
    const snapshotController = runSnapshotController(cluster, logs);
    stops.push(() => snapshotController.stop());

    // What the node-driver-registrar asks the driver and kubelet then records: node id, topology, attach limit.
    const csi = await connectCsi(cloud.socket);
    const info = await csi.node.nodeGetInfo({}).finally(() => csi.close());
    const node = new NodeStandIn(cluster.admin, {
      nodeName: NODE_NAME,
      driverName: DRIVER_NAME,
      nodeId: info.nodeId,
      topology: info.accessibleTopology?.segments ?? {},
      maxVolumes: Number(info.maxVolumesPerNode),
    });
    await node.register();
    stops.push(() => node.stop());
    await eventually('the node to be schedulable', async () => ((await cluster.admin.get('node', NODE_NAME)).spec?.taints ? undefined : true), 30_000);
    return { work, logs, cluster, cloud, node, snapshotController, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
