import { describe, expect, test } from '@jest/globals';
import { CinderControllerService } from '../../src/controller/controller-service';
import type { Cloud } from '../../src/cloud/cloud';
import type { CallContext } from '../../src/grpc/call-context';
import { CinderIdentityService } from '../../src/identity/identity-service';
import { CinderNodeService } from '../../src/node/node-service';
import { resolveNodeServiceConfig } from '../../src/node/node-config';
import type { Mounter } from '../../src/mounter/mounter';
import {
  CONTROLLER_RPC_CAPABILITIES,
  IDENTITY_CAPABILITIES_WITH_TOPOLOGY,
  IDENTITY_CAPABILITIES_WITHOUT_TOPOLOGY,
  NODE_RPC_CAPABILITIES,
} from '../helpers/capabilities';

// Capability RPCs touch neither the cloud nor the machine: no cloud, no mounter behind these services.
const noCloud = {} as Cloud;
const noMounter = {} as Mounter;
const ctx = {} as CallContext;

describe('every service advertises exactly its fixed set of capabilities (one dropped or added fails)', () => {
  test.each([
    [true, IDENTITY_CAPABILITIES_WITH_TOPOLOGY],
    [false, IDENTITY_CAPABILITIES_WITHOUT_TOPOLOGY],
  ])('Identity GetPluginCapabilities with --with-topology=%s', async (withTopology, expected) => {
    const identity = new CinderIdentityService({ driverName: 'cinder.csi.openstack.org', vendorVersion: 'test', withTopology });
    expect((await identity.getPluginCapabilities()).capabilities).toEqual(expected);
  });

  test.each([true, false])('Controller ControllerGetCapabilities with --with-topology=%s', async (withTopology) => {
    const controller = new CinderControllerService(noCloud, { clusterId: 'c', withTopology });
    try {
      expect((await controller.controllerGetCapabilities()).capabilities).toEqual(CONTROLLER_RPC_CAPABILITIES.map((type) => ({ rpc: { type } })));
    } finally {
      controller.close();
    }
  });

  test('Node NodeGetCapabilities', async () => {
    const node = new CinderNodeService(resolveNodeServiceConfig(), noMounter);
    expect((await node.nodeGetCapabilities()).capabilities).toEqual(NODE_RPC_CAPABILITIES.map((type) => ({ rpc: { type } })));
  });

  test.each([
    [true, { segments: { 'topology.kubernetes.io/region': 'r1', 'topology.cinder.csi.openstack.org/zone': 'az-1' } }],
    [false, null],
  ])('Node NodeGetInfo with --with-topology=%s reports accessible topology %j', async (withTopology, accessibleTopology) => {
    const config = resolveNodeServiceConfig({
      nodeIdOverride: 'node-1',
      availabilityZoneOverride: 'az-1',
      additionalTopology: { 'topology.kubernetes.io/region': 'r1' },
      maxVolumesPerNode: 7,
      withTopology,
    });
    const node = new CinderNodeService(config, noMounter);
    expect(await node.nodeGetInfo({}, ctx)).toEqual({ nodeId: 'node-1', maxVolumesPerNode: 7, accessibleTopology });
  });
});
