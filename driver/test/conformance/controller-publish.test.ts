import type { ControllerRpcType__Output } from '../../src/grpc/csi-types';
import type { ControllerClient } from '../helpers/csi-client';
import { DriverUnderTest } from './driver-under-test';
import { blockCapability, Cleanup, createVolume, failure, GiB, MISSING_NODE_ID, MISSING_VOLUME_ID, mountCapability, outcome } from './spec-support';

describe('CSI conformance: Controller service (publishing, listing, getting volumes)', () => {
  let driver: DriverUnderTest;
  const cleanup = new Cleanup(() => driver);
  let capabilities: ControllerRpcType__Output[];
  let nodeId: string;
  beforeAll(async () => {
    driver = await DriverUnderTest.start();
    capabilities = (await driver.controller.controllerGetCapabilities({})).capabilities.map((c) => c.rpc?.type ?? 'UNKNOWN');
    // spec.md ControllerPublishVolumeRequest.node_id: "The CO SHALL set this field to match the node ID returned by
    // NodeGetInfo", so that is the id this suite publishes to.
    nodeId = (await driver.node.nodeGetInfo({})).nodeId;
  });
  afterEach(async () => cleanup.run());
  afterAll(async () => driver?.close());

  const c = (): ControllerClient => driver.controller;
  const attachedTo = (volumeId: string): string[] =>
    driver.emu.volumes().find((v) => v.id === volumeId)?.attachments.map((a) => a.serverId) ?? [];

  describe('ControllerPublishVolume', () => {
    // spec.md ControllerPublishVolumeRequest: volume_id, node_id and volume_capability are REQUIRED.
    it('rejects a request missing volume_id, node_id or volume_capability with INVALID_ARGUMENT', async () => {
      const volume = await createVolume(driver, cleanup);
      const full = { volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false };
      expect(await outcome(c().controllerPublishVolume({ ...full, volumeId: '' }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(c().controllerPublishVolume({ ...full, nodeId: '' }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(c().controllerPublishVolume({ ...full, volumeCapability: null }))).toBe('INVALID_ARGUMENT');
      expect(attachedTo(volume.volumeId)).toEqual([]);
    });

    // spec.md ControllerPublishVolume Errors: "Volume does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a volume that does not exist', async () => {
      const call = c().controllerPublishVolume({ volumeId: MISSING_VOLUME_ID, nodeId, volumeCapability: mountCapability(), readonly: false });
      expect(await outcome(call)).toBe('NOT_FOUND');
    });

    // spec.md ControllerPublishVolume Errors: "Node does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a node that does not exist', async () => {
      const volume = await createVolume(driver, cleanup);
      const call = c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId: MISSING_NODE_ID, volumeCapability: mountCapability(), readonly: false });
      expect(await outcome(call)).toBe('NOT_FOUND');
      expect(attachedTo(volume.volumeId)).toEqual([]);
    });

    // spec.md ControllerPublishVolume: "This operation MUST be idempotent. If the volume ... has already been
    // published at the node ... and is compatible ..., the Plugin MUST reply 0 OK." publish_context is opaque and
    // SHALL NOT be mutable.
    it('attaches the volume to the node and answers OK with the same publish_context when repeated', async () => {
      const volume = await createVolume(driver, cleanup);
      const request = { volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false, volumeContext: volume.volumeContext };
      const first = await c().controllerPublishVolume(request);
      expect(attachedTo(volume.volumeId)).toEqual([nodeId]);
      const second = await c().controllerPublishVolume(request);
      expect(second.publishContext).toEqual(first.publishContext);
      expect(attachedTo(volume.volumeId)).toEqual([nodeId]);
    });

    // spec.md ControllerPublishVolume Errors: "Volume published to another node | 9 FAILED_PRECONDITION" for a
    // volume without MULTI_NODE capability; the Plugin SHOULD name the node it is published at.
    it('answers FAILED_PRECONDITION for a single-node volume already published at another node, naming that node', async () => {
      const volume = await createVolume(driver, cleanup);
      await c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
      const elsewhere = c().controllerPublishVolume({
        volumeId: volume.volumeId,
        nodeId: driver.otherServer.id,
        volumeCapability: mountCapability(),
        readonly: false,
      });
      const { code, message } = await failure(elsewhere);
      expect(code).toBe('FAILED_PRECONDITION');
      expect(message).toContain(nodeId);
      expect(attachedTo(volume.volumeId)).toEqual([nodeId]);
    });

    // spec.md ControllerPublishVolume: "The CO MAY call this RPC for publishing a volume to multiple nodes if the
    // volume has MULTI_NODE capability"; the FAILED_PRECONDITION row applies only to volumes without it.
    it('publishes a MULTI_NODE volume (a multiattach volume type) at two nodes', async () => {
      const cap = blockCapability('MULTI_NODE_MULTI_WRITER');
      const volume = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [cap],
        capacityRange: { requiredBytes: GiB },
        parameters: { type: 'multiattach' },
      })).volume!;
      cleanup.volume(volume.volumeId);
      for (const node of [nodeId, driver.otherServer.id]) {
        expect(await outcome(c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId: node, volumeCapability: cap, readonly: false }))).toBe('OK');
      }
      expect(attachedTo(volume.volumeId).sort()).toEqual([nodeId, driver.otherServer.id].sort());
    });
  });

  describe('ControllerUnpublishVolume', () => {
    // spec.md ControllerUnpublishVolumeRequest.volume_id: "This field is REQUIRED."
    it('rejects a request without volume_id with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().controllerUnpublishVolume({ nodeId }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md ControllerUnpublishVolume: "If the volume corresponding to the volume_id is not attached to the node
    // corresponding to the node_id, the Plugin MUST reply 0 OK."
    it('answers OK for a volume that is not attached to the node', async () => {
      const volume = await createVolume(driver, cleanup);
      expect(await outcome(c().controllerUnpublishVolume({ volumeId: volume.volumeId, nodeId }))).toBe('OK');
    });

    // spec.md ControllerUnpublishVolume: "This operation MUST be idempotent."
    it('detaches the volume and answers OK again when repeated', async () => {
      const volume = await createVolume(driver, cleanup);
      await c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
      expect(await outcome(c().controllerUnpublishVolume({ volumeId: volume.volumeId, nodeId }))).toBe('OK');
      expect(attachedTo(volume.volumeId)).toEqual([]);
      expect(await outcome(c().controllerUnpublishVolume({ volumeId: volume.volumeId, nodeId }))).toBe('OK');
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.status).toBe('available');
    });

    // spec.md ControllerUnpublishVolumeRequest.node_id: "If the value is unset, the SP MUST unpublish the volume
    // from all nodes it is published to."
    it('unpublishes from every node when node_id is unset', async () => {
      const volume = await createVolume(driver, cleanup);
      await c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
      expect(await outcome(c().controllerUnpublishVolume({ volumeId: volume.volumeId }))).toBe('OK');
      expect(attachedTo(volume.volumeId)).toEqual([]);
    });

    // spec.md ControllerUnpublishVolumeRequest.node_id: "If the value is set, the SP MUST unpublish the volume from
    // the specified node" — from that node only.
    it('unpublishes a MULTI_NODE volume from the named node only', async () => {
      const cap = blockCapability('MULTI_NODE_MULTI_WRITER');
      const volume = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [cap],
        capacityRange: { requiredBytes: GiB },
        parameters: { type: 'multiattach' },
      })).volume!;
      cleanup.volume(volume.volumeId);
      for (const node of [nodeId, driver.otherServer.id]) {
        await c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId: node, volumeCapability: cap, readonly: false });
      }
      expect(await outcome(c().controllerUnpublishVolume({ volumeId: volume.volumeId, nodeId }))).toBe('OK');
      expect(attachedTo(volume.volumeId)).toEqual([driver.otherServer.id]);
    });

    // spec.md ControllerUnpublishVolume: a volume or node the Plugin cannot find that "can be safely regarded as
    // ControllerUnpublished" SHOULD give 0 OK; otherwise the table's 5 NOT_FOUND applies. Nothing else is allowed.
    it('answers OK or NOT_FOUND for a volume or node that does not exist', async () => {
      const volume = await createVolume(driver, cleanup);
      expect(['OK', 'NOT_FOUND']).toContain(await outcome(c().controllerUnpublishVolume({ volumeId: MISSING_VOLUME_ID, nodeId })));
      expect(['OK', 'NOT_FOUND']).toContain(await outcome(c().controllerUnpublishVolume({ volumeId: volume.volumeId, nodeId: MISSING_NODE_ID })));
    });
  });

  describe('DeleteVolume of a published volume', () => {
    // spec.md DeleteVolume Errors: "Volume in use | 9 FAILED_PRECONDITION — could not be deleted because it is in
    // use by another resource"; the volume stays as it was.
    it('answers FAILED_PRECONDITION while the volume is published at a node, and leaves it attached', async () => {
      const volume = await createVolume(driver, cleanup);
      await c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
      expect(await outcome(c().deleteVolume({ volumeId: volume.volumeId }))).toBe('FAILED_PRECONDITION');
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.status).toBe('in-use');
      expect(attachedTo(volume.volumeId)).toEqual([nodeId]);
    });
  });

  describe('ListVolumes', () => {
    async function listAll(maxEntries: number): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let token = '';
      let pages = 0;
      do {
        const page = await c().listVolumes({ maxEntries, startingToken: token });
        pages += 1;
        // spec.md ListVolumesRequest.max_entries: "the Plugin MUST NOT return more entries than this number".
        if (maxEntries > 0) expect(page.entries.length).toBeLessThanOrEqual(maxEntries);
        ids.push(...page.entries.map((e) => e.volume!.volumeId));
        token = page.nextToken;
        if (pages > 100) throw new Error('ListVolumes pagination did not end');
      } while (token !== '');
      return { ids, pages };
    }

    // spec.md ListVolumes: "The Plugin SHALL return the information about all the volumes that it knows about."
    it('lists every volume without max_entries', async () => {
      const created = [await createVolume(driver, cleanup), await createVolume(driver, cleanup), await createVolume(driver, cleanup)];
      const res = await c().listVolumes({});
      expect(res.entries.map((e) => e.volume!.volumeId)).toEqual(expect.arrayContaining(created.map((v) => v.volumeId)));
      expect(res.nextToken).toBe('');
      // spec.md ListVolumesResponse.Entry.volume: REQUIRED, with its REQUIRED volume_id and a capacity that MUST
      // NOT be negative; the same volume as CreateVolume described.
      for (const v of created) {
        const listed = res.entries.find((e) => e.volume?.volumeId === v.volumeId)!.volume!;
        expect(listed.capacityBytes).toBe(v.capacityBytes);
        expect(listed.accessibleTopology).toEqual(v.accessibleTopology);
      }
      for (const e of res.entries) expect(e.volume!.capacityBytes).toBeGreaterThanOrEqual(0);
    });

    // spec.md ListVolumesRequest.max_entries: "If the actual number of entries is more than this number, the
    // Plugin MUST set next_token"; starting_token = next_token continues the listing.
    it('pages with max_entries and next_token through every volume exactly once', async () => {
      const created = [await createVolume(driver, cleanup), await createVolume(driver, cleanup), await createVolume(driver, cleanup)];
      const total = (await c().listVolumes({})).entries.length;
      const first = await c().listVolumes({ maxEntries: 1 });
      expect(first.entries).toHaveLength(1);
      expect(first.nextToken).not.toBe('');
      const { ids, pages } = await listAll(2);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(total / 2));
      expect(ids).toEqual(expect.arrayContaining(created.map((v) => v.volumeId)));
      expect(new Set(ids).size).toBe(ids.length);
    });

    // spec.md ListVolumes Errors: "Invalid starting_token | 10 ABORTED".
    it('answers ABORTED for a starting_token it did not issue', async () => {
      expect(await outcome(c().listVolumes({ startingToken: 'not-a-token-this-plugin-issued' }))).toBe('ABORTED');
    });

    // spec.md ListVolumesRequest.max_entries: "The value of this field MUST NOT be negative." (INVALID_ARGUMENT
    // for an invalid field value, Error Scheme).
    it('rejects a negative max_entries with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().listVolumes({ maxEntries: -1 }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md ListVolumesResponse.Entry.status: "MUST be specified if the LIST_VOLUMES_PUBLISHED_NODES controller
    // capability is supported"; VolumeStatus.volume_condition: "MUST be specified if the VOLUME_CONDITION
    // controller capability is supported".
    it('reports published_node_ids (and volume_condition) per entry as its capabilities promise', async () => {
      const volume = await createVolume(driver, cleanup);
      await c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
      const entry = (await c().listVolumes({})).entries.find((e) => e.volume?.volumeId === volume.volumeId);
      // Both capabilities are advertised (test/core/capabilities.test.ts pins the set), so both fields are required.
      expect(capabilities).toEqual(expect.arrayContaining(['LIST_VOLUMES_PUBLISHED_NODES', 'VOLUME_CONDITION']));
      expect(entry?.volume?.volumeId).toBe(volume.volumeId);
      expect(entry!.status!.publishedNodeIds).toEqual([nodeId]);
      expect(entry!.status!.volumeCondition!.message).not.toBe('');
    });
  });

  describe('ControllerGetVolume', () => {
    // spec.md ControllerGetVolumeRequest.volume_id: "This field is REQUIRED."
    it('rejects a request without volume_id with INVALID_ARGUMENT', async () => {
      expect(capabilities).toContain('GET_VOLUME');
      expect(await outcome(c().controllerGetVolume({}))).toBe('INVALID_ARGUMENT');
    });

    // spec.md ControllerGetVolume Errors: "Volume does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a volume that does not exist', async () => {
      expect(capabilities).toContain('GET_VOLUME');
      expect(await outcome(c().controllerGetVolume({ volumeId: MISSING_VOLUME_ID }))).toBe('NOT_FOUND');
    });

    // spec.md ControllerGetVolumeResponse: volume and status are REQUIRED; published_node_ids MUST be specified
    // with LIST_VOLUMES_PUBLISHED_NODES; a non-empty volume_condition MUST be provided with VOLUME_CONDITION.
    it('returns the volume with its published nodes and condition', async () => {
      expect(capabilities).toContain('GET_VOLUME');
      const volume = await createVolume(driver, cleanup);
      await c().controllerPublishVolume({ volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
      const res = await c().controllerGetVolume({ volumeId: volume.volumeId });
      expect(res.volume?.volumeId).toBe(volume.volumeId);
      expect(res.volume?.capacityBytes).toBe(volume.capacityBytes);
      expect(res.status!.publishedNodeIds).toEqual([nodeId]);
      expect(res.status!.volumeCondition!.abnormal).toBe(false);
      expect(res.status!.volumeCondition!.message).not.toBe('');
      await c().controllerUnpublishVolume({ volumeId: volume.volumeId, nodeId });
      expect((await c().controllerGetVolume({ volumeId: volume.volumeId })).status?.publishedNodeIds ?? []).toEqual([]);
    });
  });
});
