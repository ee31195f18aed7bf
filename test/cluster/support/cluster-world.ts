import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectCsi } from '../../../driver/test/helpers/csi-client';
import { type ControlPlane, startControlPlane } from './control-plane';
import { EmulatedCloud } from './emulated-cloud';
import { NodeStandIn } from './node-stand-in';
import { eventually, killLeftovers, type ManagedProcess } from './processes';
import { ROOT, snapshotCrdDir } from './referees';
import { runSnapshotController } from './sidecars';

export const WORK = join(ROOT, '.tmp/cluster');
export const LOGS = join(WORK, '..', 'cluster-logs');
export const DRIVER_NAME = 'cinder.csi.openstack.org';
export const NODE_NAME = 'cinder-csi-node-1';

/** Everything a cluster suite shares: the control plane, the emulated cloud behind the driver, the node, the CRDs. */
export interface ClusterWorld {
  readonly cluster: ControlPlane;
  readonly cloud: EmulatedCloud;
  readonly node: NodeStandIn;
  readonly snapshotController: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Starts a real control plane, the driver (controller + node services) in front of the OpenStack emulator, installs
 * the external-snapshotter CRDs and runs the snapshot-controller, and registers one node with the driver's NodeGetInfo.
 * `driverArgs` are passed to the driver (e.g. the chart's own driver flags).
 */
export async function startClusterWorld(driverArgs: readonly string[] = []): Promise<ClusterWorld> {
  killLeftovers(LOGS);
  rmSync(LOGS, { recursive: true, force: true });
  const cluster = await startControlPlane({ dir: WORK, logDir: LOGS });
  const stops: (() => Promise<void>)[] = [() => cluster.stop()];
  const stopAll = async (): Promise<void> => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const cloud = await EmulatedCloud.start(join(WORK, 'cloud'), LOGS, driverArgs);
    stops.push(() => cloud.stop());

    const crds = snapshotCrdDir();
    for (const f of readdirSync(crds).filter((n) => n.startsWith('snapshot.storage.k8s.io_'))) {
      await cluster.admin.run(['apply', '--server-side', '-f', join(crds, f)]);
    }
    for (const crd of ['volumesnapshotclasses', 'volumesnapshots', 'volumesnapshotcontents']) {
      await cluster.admin.run(['wait', '--for=condition=Established', `crd/${crd}.snapshot.storage.k8s.io`, '--timeout=60s']);
    }
    const snapshotController = runSnapshotController(cluster, LOGS);
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
    return { cluster, cloud, node, snapshotController, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
