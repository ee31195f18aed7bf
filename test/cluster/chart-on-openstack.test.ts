/**
 * The shared chart flow (support/chart-flow.ts), with Helm 3 and Helm 4, with the driver in front of the REAL
 * Keystone, Cinder and Nova of driver/test/openstack/harness (jest.config.js's `openstack` project starts them if they
 * are not running, and then stops them). The node is a Nova server booted for the run; what the driver did is
 * checked through the Cinder API. At the end nothing the run created is left in Cinder or Nova.
 */
import { describeChartFlow } from './support/chart-flow';
import { type ClusterWorld, startClusterWorld } from './support/cluster-world';
import { OpenStackCloud } from './support/openstack-cloud';

let world: ClusterWorld;
let cloud: OpenStackCloud;

beforeAll(async () => {
  world = await startClusterWorld('cluster-openstack', async (dir, logs) => {
    cloud = await OpenStackCloud.start(dir, logs);
    return cloud;
  });
}, 20 * 60_000);

afterAll(async () => {
  await world?.stop();
}, 10 * 60_000);

describeChartFlow(() => world);

test('stopping the world deletes the node server and its boot volume: nothing of the run is left in Cinder or Nova', async () => {
  const during = await cloud.remains();
  // While the world runs: the node's server and its boot volume, and nothing the driver created (the flow deleted it).
  expect(during).toEqual([`server/${cloud.server.serverId}`, `volume/${cloud.server.bootVolumeId}`].sort());
  await world.stop();
  expect(await cloud.remains()).toEqual([]);
}, 10 * 60_000);
