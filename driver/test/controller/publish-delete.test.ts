import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { blockCap, ControllerHarness, failure, mountCap } from './harness';

const MISSING = '00000000-0000-0000-0000-000000000000';

describe('ControllerPublish/Unpublish and DeleteVolume', () => {
  let h: ControllerHarness;
  let nodeA: string;
  let nodeB: string;
  beforeAll(async () => {
    h = await ControllerHarness.start();
    nodeA = h.emu.addServer({ name: 'node-a' }).id;
    nodeB = h.emu.addServer({ name: 'node-b' }).id;
  });
  afterAll(async () => h.close());
  beforeEach(() => h.emu.faults.clear());

  const create = async (name: string, type?: string): Promise<string> =>
    (await h.controller.createVolume({ name, volumeCapabilities: [type ? blockCap('MULTI_NODE_MULTI_WRITER') : mountCap()], parameters: type ? { type } : {} }))
      .volume!.volumeId;
  const stored = (id: string) => h.emu.volumes().find((v) => v.id === id);

  test('publish attaches to the node, waits for in-use, and gives the device hint; repeating returns the same', async () => {
    const id = await create('pub-1');
    const res = await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: mountCap() });
    expect(res.publishContext.devicePath).toMatch(/^\/dev\/vd[b-z]$/);
    expect(stored(id)?.status).toBe('in-use');
    expect(stored(id)?.attachments.map((a) => a.serverId)).toEqual([nodeA]);
    expect(stored(id)?.attachments[0]?.loopDevice).toMatch(/^\/dev\/loop\d+$/);
    const again = await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: mountCap() });
    expect(again.publishContext).toEqual(res.publishContext);

    const incompatible = await failure(h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: blockCap('MULTI_NODE_MULTI_WRITER') }));
    expect(incompatible.code).toBe(status.ALREADY_EXISTS);

    const elsewhere = await failure(h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeB, volumeCapability: mountCap() }));
    expect(elsewhere.code).toBe(status.FAILED_PRECONDITION);

    const attached = await failure(h.controller.deleteVolume({ volumeId: id }));
    expect(attached.code).toBe(status.FAILED_PRECONDITION);

    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA });
    expect(stored(id)?.status).toBe('available');
    expect(stored(id)?.attachments).toEqual([]);
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA });

    await h.controller.deleteVolume({ volumeId: id });
    expect(stored(id)).toBeUndefined();
    await h.controller.deleteVolume({ volumeId: id });
  });

  test('publish: NOT_FOUND for a missing volume or node, INVALID_ARGUMENT for missing fields', async () => {
    const id = await create('pub-nf');
    expect((await failure(h.controller.controllerPublishVolume({ volumeId: MISSING, nodeId: nodeA, volumeCapability: mountCap() }))).code).toBe(status.NOT_FOUND);
    expect((await failure(h.controller.controllerPublishVolume({ volumeId: id, nodeId: 'no-such-server', volumeCapability: mountCap() }))).code).toBe(status.NOT_FOUND);
    const noCap = await failure(h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA }));
    expect(noCap.code).toBe(status.INVALID_ARGUMENT);
    expect(noCap.message).toContain('volume_capability');
    const noNode = await failure(h.controller.controllerPublishVolume({ volumeId: id, volumeCapability: mountCap() }));
    expect(noNode.message).toContain('node_id');
    expect((await failure(h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: blockCap('MULTI_NODE_MULTI_WRITER') }))).code).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(stored(id)?.status).toBe('available');
  });

  test('a multiattach volume is published to two nodes and unpublished from each', async () => {
    const id = await create('pub-multi', 'multiattach');
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: blockCap('MULTI_NODE_MULTI_WRITER') });
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeB, volumeCapability: blockCap('MULTI_NODE_MULTI_WRITER') });
    expect(stored(id)?.attachments.map((a) => a.serverId).sort()).toEqual([nodeA, nodeB].sort());
    const listed = await h.controller.controllerGetVolume({ volumeId: id });
    expect([...listed.status!.publishedNodeIds].sort()).toEqual([nodeA, nodeB].sort());
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA });
    expect(stored(id)?.attachments.map((a) => a.serverId)).toEqual([nodeB]);
    expect(stored(id)?.status).toBe('in-use');
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeB });
    expect(stored(id)?.status).toBe('available');
  });

  test('unpublish of a missing volume, an unknown node or an unattached volume succeeds', async () => {
    const id = await create('unpub-noop');
    await h.controller.controllerUnpublishVolume({ volumeId: MISSING, nodeId: nodeA });
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: 'gone-server' });
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA });
    expect((await failure(h.controller.controllerUnpublishVolume({ volumeId: '', nodeId: nodeA }))).code).toBe(status.INVALID_ARGUMENT);
  });

  test('unpublish without node_id detaches from every node', async () => {
    const id = await create('unpub-all', 'multiattach');
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: blockCap('MULTI_NODE_MULTI_WRITER') });
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeB, volumeCapability: blockCap('MULTI_NODE_MULTI_WRITER') });
    await h.controller.controllerUnpublishVolume({ volumeId: id });
    expect(stored(id)?.attachments).toEqual([]);
  });

  test('a delete racing the detach before it waits for the detach and then deletes (no PV stuck Terminating)', async () => {
    const id = await create('del-race');
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: mountCap() });
    h.emu.faults.pauseTransitions(['detach']);
    // The attacher's unpublish is cut short by its deadline while Nova is still detaching...
    const unpublish = await failure(h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA }, { deadlineMs: 300 }));
    expect(unpublish.code).toBe(status.DEADLINE_EXCEEDED);
    expect(stored(id)?.status).toBe('detaching');
    // ...and the provisioner's delete arrives before the detach ends.
    const deleting = h.controller.deleteVolume({ volumeId: id });
    await new Promise((r) => setTimeout(r, 100));
    h.emu.faults.resumeTransitions(['detach']);
    await deleting;
    expect(stored(id)).toBeUndefined();
  });

  test('publish after a deadline during attach: the retry waits for the same attachment', async () => {
    const id = await create('pub-retry');
    h.emu.faults.pauseTransitions(['attach']);
    const first = await failure(h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: mountCap() }, { deadlineMs: 300 }));
    expect(first.code).toBe(status.DEADLINE_EXCEEDED);
    const retry = h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: mountCap() });
    await new Promise((r) => setTimeout(r, 100));
    h.emu.faults.resumeTransitions(['attach']);
    const res = await retry;
    expect(res.publishContext.devicePath).toBeTruthy();
    expect(stored(id)?.attachments).toHaveLength(1);
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA });
  });

  test('after its node was deleted, the volume is unpublished from it (success) and can be published elsewhere', async () => {
    const id = await create('node-gone');
    const doomed = h.emu.addServer({ name: 'doomed' }).id;
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: doomed, volumeCapability: mountCap() });
    await h.emu.removeServer(doomed);
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: doomed });
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeB, volumeCapability: mountCap() });
    expect(stored(id)?.attachments.map((a) => a.serverId)).toEqual([nodeB]);
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeB });
    expect((await failure(h.controller.controllerPublishVolume({ volumeId: id, nodeId: doomed, volumeCapability: mountCap() }))).code).toBe(status.NOT_FOUND);
  });

  test('an attachment Nova no longer knows (404 on detach) is removed on the Cinder side so the volume is not stuck in-use', async () => {
    const id = await create('stale-attach');
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: mountCap() });
    const rule = h.emu.faults.add({
      method: 'DELETE', path: '/compute/v2.1/servers/*/os-volume_attachments/*', count: 1,
      action: { kind: 'status', status: 404, message: `volume_id not found: ${id}` },
    });
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA });
    expect(h.emu.faults.fired[rule]).toBe(1);
    expect(stored(id)).toMatchObject({ status: 'available', attachments: [] });
    await h.controller.deleteVolume({ volumeId: id });
  });

  test('while one call works on a volume, other calls for the same volume id are ABORTED', async () => {
    const id = await create('busy');
    h.emu.faults.pauseTransitions(['attach']);
    const publishing = h.controller.controllerPublishVolume({ volumeId: id, nodeId: nodeA, volumeCapability: mountCap() });
    for (let i = 0; i < 200 && stored(id)?.status === 'available'; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await failure(h.controller.deleteVolume({ volumeId: id }))).code).toBe(status.ABORTED);
    expect((await failure(h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA }))).code).toBe(status.ABORTED);
    expect((await failure(h.controller.controllerExpandVolume({ volumeId: id, capacityRange: { requiredBytes: 2 * 1024 ** 3 } }))).code).toBe(status.ABORTED);
    h.emu.faults.resumeTransitions(['attach']);
    await publishing;
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: nodeA });
  });

  test('DeleteVolume: empty id is INVALID_ARGUMENT; a missing volume is success', async () => {
    expect((await failure(h.controller.deleteVolume({ volumeId: '' }))).code).toBe(status.INVALID_ARGUMENT);
    await h.controller.deleteVolume({ volumeId: MISSING });
  });

  test('DeleteVolume of a volume with snapshots is FAILED_PRECONDITION', async () => {
    const id = await create('del-snap');
    const snap = await h.controller.createSnapshot({ name: 'del-snap-s', sourceVolumeId: id });
    expect((await failure(h.controller.deleteVolume({ volumeId: id }))).code).toBe(status.FAILED_PRECONDITION);
    await h.controller.deleteSnapshot({ snapshotId: snap.snapshot!.snapshotId });
    await h.controller.deleteVolume({ volumeId: id });
    expect(stored(id)).toBeUndefined();
  });
});

// spec.md ControllerPublishVolume Errors: "Max volumes attached | 8 RESOURCE_EXHAUSTED". Nova refuses an attachment
// past [compute] max_disk_devices_to_attach with a 403; csi-sanity's attach-limit spec publishes one volume past
// the node's max_volumes_per_node and expects exactly this refusal.
describe('ControllerPublishVolume on a server with no free disk device', () => {
  let h: ControllerHarness;
  let node: string;
  beforeAll(async () => {
    h = await ControllerHarness.start({ maxDiskDevicesToAttach: 2 });
    node = h.emu.addServer({ name: 'node-full' }).id;
  });
  afterAll(async () => h.close());

  test('answers RESOURCE_EXHAUSTED with Nova\'s message, and the volume stays available', async () => {
    const create = async (name: string): Promise<string> =>
      (await h.controller.createVolume({ name, volumeCapabilities: [mountCap()] })).volume!.volumeId;
    const first = await create('full-1');
    const second = await create('full-2');
    await h.controller.controllerPublishVolume({ volumeId: first, nodeId: node, volumeCapability: mountCap() });
    const refused = await failure(h.controller.controllerPublishVolume({ volumeId: second, nodeId: node, volumeCapability: mountCap() }));
    expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused.message.replace(/, request req-[0-9a-f-]+\)$/, ')')).toBe(
      `attach volume ${second} to server ${node}: The maximum allowed number of disk devices (2) to attach to a single ` +
        'instance has been exceeded. (HTTP 403)',
    );
    expect(h.emu.volumes().find((v) => v.id === second)?.status).toBe('available');
    await h.controller.controllerUnpublishVolume({ volumeId: first, nodeId: node });
    await h.controller.controllerPublishVolume({ volumeId: second, nodeId: node, volumeCapability: mountCap() });
    await h.controller.controllerUnpublishVolume({ volumeId: second, nodeId: node });
  });
});
