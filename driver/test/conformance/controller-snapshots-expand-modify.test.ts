import type { ControllerRpcType__Output, Snapshot__Output } from '../../src/grpc/csi-types';
import type { ControllerClient } from '../helpers/csi-client';
import { DriverUnderTest } from './driver-under-test';
import { blockCapability, Cleanup, createVolume, GiB, MISSING_SNAPSHOT_ID, MISSING_VOLUME_ID, mountCapability, outcome } from './spec-support';

describe('CSI conformance: Controller service (snapshots, expansion, modification)', () => {
  let driver: DriverUnderTest;
  const cleanup = new Cleanup(() => driver);
  let capabilities: ControllerRpcType__Output[];
  beforeAll(async () => {
    driver = await DriverUnderTest.start({ volumeTypes: [{ name: 'standard' }, { name: 'fast' }, { name: 'multiattach', multiattach: true }] });
    capabilities = (await driver.controller.controllerGetCapabilities({})).capabilities.map((c) => c.rpc?.type ?? 'UNKNOWN');
  });
  afterEach(async () => cleanup.run());
  afterAll(async () => driver?.close());

  const c = (): ControllerClient => driver.controller;

  /** CreateSnapshot, repeated (as the spec tells the CO to) until ready_to_use. */
  async function snapshotOf(volumeId: string, name = DriverUnderTest.name('snapshot')): Promise<Snapshot__Output> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const snapshot = (await c().createSnapshot({ sourceVolumeId: volumeId, name })).snapshot!;
      cleanup.snapshot(snapshot.snapshotId);
      if (snapshot.readyToUse) return snapshot;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`snapshot ${name} never became ready_to_use`);
  }

  describe('CreateSnapshot', () => {
    beforeEach(() => {
      if (!capabilities.includes('CREATE_DELETE_SNAPSHOT')) throw new Error('this suite expects CREATE_DELETE_SNAPSHOT');
    });

    // spec.md CreateSnapshotRequest: source_volume_id is REQUIRED; name is "REQUIRED for idempotency".
    it('rejects a request without source_volume_id or without name with INVALID_ARGUMENT', async () => {
      const volume = await createVolume(driver, cleanup);
      expect(await outcome(c().createSnapshot({ name: DriverUnderTest.name('snapshot') }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(c().createSnapshot({ sourceVolumeId: volume.volumeId }))).toBe('INVALID_ARGUMENT');
      expect(driver.emu.snapshots()).toEqual([]);
    });

    // spec.md CreateSnapshot: "If an error occurs before a snapshot is cut, CreateSnapshot SHOULD return a
    // corresponding gRPC error code"; a missing source can never be cut.
    it('fails for a source volume that does not exist', async () => {
      expect(await outcome(c().createSnapshot({ sourceVolumeId: MISSING_VOLUME_ID, name: DriverUnderTest.name('snapshot') }))).not.toBe('OK');
      expect(driver.emu.snapshots()).toEqual([]);
    });

    // spec.md Snapshot: snapshot_id, source_volume_id, creation_time and ready_to_use are REQUIRED; size_bytes MUST
    // NOT be negative, and a volume made from it MUST NOT be smaller.
    it('cuts a snapshot with id, source, creation_time and eventually ready_to_use', async () => {
      const volume = await createVolume(driver, cleanup);
      const snapshot = await snapshotOf(volume.volumeId);
      expect(snapshot.snapshotId).not.toBe('');
      expect(snapshot.sourceVolumeId).toBe(volume.volumeId);
      expect(snapshot.creationTime).not.toBeNull();
      expect(Number(snapshot.creationTime!.seconds)).toBeGreaterThan(0);
      expect(snapshot.sizeBytes).toBeGreaterThanOrEqual(0);
      expect(snapshot.readyToUse).toBe(true);
    });

    // spec.md CreateSnapshot: "This operation MUST be idempotent." (same name and source: same snapshot).
    it('is idempotent: the same name and source yield the same snapshot, cut once', async () => {
      const volume = await createVolume(driver, cleanup);
      const name = DriverUnderTest.name('snapshot');
      const first = await snapshotOf(volume.volumeId, name);
      const second = (await c().createSnapshot({ sourceVolumeId: volume.volumeId, name })).snapshot!;
      expect(second.snapshotId).toBe(first.snapshotId);
      expect(second.readyToUse).toBe(true);
      expect(driver.emu.snapshots().filter((s) => s.name === name)).toHaveLength(1);
    });

    // spec.md CreateSnapshot Errors: "Snapshot already exists but is incompatible | 6 ALREADY_EXISTS" (another
    // source volume).
    it('answers ALREADY_EXISTS for the same name with another source volume', async () => {
      const a = await createVolume(driver, cleanup);
      const b = await createVolume(driver, cleanup);
      const name = DriverUnderTest.name('snapshot');
      await snapshotOf(a.volumeId, name);
      expect(await outcome(c().createSnapshot({ sourceVolumeId: b.volumeId, name }))).toBe('ALREADY_EXISTS');
      expect(driver.emu.snapshots().filter((s) => s.name === name)).toHaveLength(1);
    });

    // spec.md CREATE_DELETE_SNAPSHOT: "plugins supporting CREATE_DELETE_SNAPSHOT MUST support creating volume from
    // snapshot"; the new volume MUST NOT be smaller than the snapshot.
    it('restores a new volume from a snapshot, at least as large as the snapshot', async () => {
      const volume = await createVolume(driver, cleanup);
      const snapshot = await snapshotOf(volume.volumeId);
      const restored = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [mountCapability()],
        volumeContentSource: { snapshot: { snapshotId: snapshot.snapshotId } },
      })).volume!;
      cleanup.volume(restored.volumeId);
      expect(restored.capacityBytes).toBeGreaterThanOrEqual(snapshot.sizeBytes);
      expect(driver.emu.volumes().find((v) => v.id === restored.volumeId)?.snapshotId).toBe(snapshot.snapshotId);
    });
  });

  describe('CreateVolume from a source', () => {
    // spec.md CreateVolume Errors: "Unsupported capacity_range | 11 OUT_OF_RANGE ... for example when trying to
    // create a volume smaller than the source snapshot"; Snapshot.size_bytes: "The size of the volume MUST NOT be
    // less than the size of the source snapshot."
    it('answers OUT_OF_RANGE for a volume smaller than its source snapshot or source volume', async () => {
      const volume = await createVolume(driver, cleanup, { requiredBytes: 2 * GiB });
      const snapshot = await snapshotOf(volume.volumeId);
      const name = DriverUnderTest.name();
      const fromSnapshot = c().createVolume({
        name,
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: GiB, limitBytes: GiB },
        volumeContentSource: { snapshot: { snapshotId: snapshot.snapshotId } },
      });
      expect(await outcome(fromSnapshot)).toBe('OUT_OF_RANGE');
      const fromVolume = c().createVolume({
        name,
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: GiB, limitBytes: GiB },
        volumeContentSource: { volume: { volumeId: volume.volumeId } },
      });
      expect(await outcome(fromVolume)).toBe('OUT_OF_RANGE');
      expect(driver.emu.volumes().filter((v) => v.name === name)).toEqual([]);
    });
  });

  describe('DeleteSnapshot', () => {
    // spec.md DeleteSnapshotRequest.snapshot_id: "This field is REQUIRED."
    it('rejects a request without snapshot_id with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().deleteSnapshot({}))).toBe('INVALID_ARGUMENT');
    });

    // spec.md DeleteSnapshot: "If a snapshot corresponding to the specified snapshot_id does not exist ..., the
    // Plugin MUST reply 0 OK." and "This operation MUST be idempotent."
    it('answers OK for a snapshot that does not exist, and again after deleting one', async () => {
      expect(await outcome(c().deleteSnapshot({ snapshotId: MISSING_SNAPSHOT_ID }))).toBe('OK');
      const volume = await createVolume(driver, cleanup);
      const snapshot = await snapshotOf(volume.volumeId);
      expect(await outcome(c().deleteSnapshot({ snapshotId: snapshot.snapshotId }))).toBe('OK');
      expect(await outcome(c().deleteSnapshot({ snapshotId: snapshot.snapshotId }))).toBe('OK');
      expect(driver.emu.snapshots().filter((s) => s.id === snapshot.snapshotId)).toEqual([]);
      expect((await c().listSnapshots({ snapshotId: snapshot.snapshotId })).entries).toEqual([]);
    });

    // spec.md DeleteVolume: a plugin that cannot delete a volume without affecting its snapshots MUST NOT alter the
    // volume and MUST answer FAILED_PRECONDITION; one that can MUST keep the snapshots listed and usable.
    // Cinder refuses to delete a volume that has snapshots (the driver does not cascade), so this driver is the first
    // kind: FAILED_PRECONDITION, volume and snapshot untouched.
    it('refuses DeleteVolume of a volume with snapshots with FAILED_PRECONDITION and leaves both as they were', async () => {
      const volume = await createVolume(driver, cleanup);
      const snapshot = await snapshotOf(volume.volumeId);
      expect(await outcome(c().deleteVolume({ volumeId: volume.volumeId }))).toBe('FAILED_PRECONDITION');
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.status).toBe('available');
      expect((await c().listSnapshots({ snapshotId: snapshot.snapshotId })).entries).toHaveLength(1);
    });
  });

  describe('ListSnapshots', () => {
    // spec.md ListSnapshots: "SHALL return the information about all snapshots ... regardless of how they were
    // created"; source_volume_id / snapshot_id narrow the list.
    it('lists every snapshot, or only those of a source_volume_id, or only the one snapshot_id', async () => {
      const a = await createVolume(driver, cleanup);
      const b = await createVolume(driver, cleanup);
      const [a1, a2, b1] = [await snapshotOf(a.volumeId), await snapshotOf(a.volumeId), await snapshotOf(b.volumeId)];
      const all = (await c().listSnapshots({})).entries.map((e) => e.snapshot!.snapshotId);
      expect(all).toEqual(expect.arrayContaining([a1.snapshotId, a2.snapshotId, b1.snapshotId]));
      const ofA = (await c().listSnapshots({ sourceVolumeId: a.volumeId })).entries.map((e) => e.snapshot!);
      expect(ofA.map((s) => s.snapshotId).sort()).toEqual([a1.snapshotId, a2.snapshotId].sort());
      expect(ofA.every((s) => s.sourceVolumeId === a.volumeId)).toBe(true);
      const one = (await c().listSnapshots({ snapshotId: b1.snapshotId })).entries.map((e) => e.snapshot!);
      expect(one.map((s) => [s.snapshotId, s.sourceVolumeId, s.readyToUse])).toEqual([[b1.snapshotId, b.volumeId, true]]);
    });

    // spec.md CreateSnapshot: "CreateSnapshot is a synchronous call and it MUST block until the snapshot is cut";
    // ListSnapshots: "SHALL NOT list a snapshot that is being created but has not been cut successfully yet."
    // Cinder has no post-cut processing: a snapshot still "creating" is not cut.
    it('neither returns nor lists a snapshot before it is cut, and does both once it is', async () => {
      const volume = await createVolume(driver, cleanup);
      const name = DriverUnderTest.name('snapshot');
      driver.emu.faults.pauseTransitions(['snapshot']);
      try {
        // Answered before the deadline: ABORTED (an operation is pending for this snapshot; the CO retries).
        const early = await outcome(c().createSnapshot({ sourceVolumeId: volume.volumeId, name }, { deadlineMs: 2000 }));
        expect(early).toBe('ABORTED');
        const uncut = driver.emu.snapshots().filter((s) => s.name === name);
        expect(uncut.map((s) => s.status)).toEqual(['creating']);
        for (const s of uncut) cleanup.snapshot(s.id);
        const listed = (await c().listSnapshots({})).entries.map((e) => e.snapshot!.snapshotId);
        const bySource = (await c().listSnapshots({ sourceVolumeId: volume.volumeId })).entries;
        const byId = (await c().listSnapshots({ snapshotId: uncut[0]!.id })).entries;
        expect({ listed: listed.includes(uncut[0]!.id), bySource: bySource.length, byId: byId.length }).toEqual({ listed: false, bySource: 0, byId: 0 });
      } finally {
        driver.emu.faults.resumeTransitions(['snapshot']);
      }
      const cut = await snapshotOf(volume.volumeId, name);
      expect((await c().listSnapshots({ sourceVolumeId: volume.volumeId })).entries.map((e) => e.snapshot!.snapshotId)).toEqual([cut.snapshotId]);
    });

    // A filter naming nothing is not an error: there is simply nothing to list.
    it('returns no entries for a snapshot_id or source_volume_id that does not exist', async () => {
      expect((await c().listSnapshots({ snapshotId: MISSING_SNAPSHOT_ID })).entries).toEqual([]);
      expect((await c().listSnapshots({ sourceVolumeId: MISSING_VOLUME_ID })).entries).toEqual([]);
    });

    // spec.md ListSnapshotsRequest.max_entries: the Plugin "MUST NOT return more entries than this number" and
    // "MUST set next_token" when there are more.
    it('pages with max_entries and next_token through every snapshot exactly once', async () => {
      const volume = await createVolume(driver, cleanup);
      const created = [await snapshotOf(volume.volumeId), await snapshotOf(volume.volumeId), await snapshotOf(volume.volumeId)];
      const ids: string[] = [];
      let token = '';
      let pages = 0;
      do {
        const page = await c().listSnapshots({ maxEntries: 1, startingToken: token });
        expect(page.entries.length).toBeLessThanOrEqual(1);
        ids.push(...page.entries.map((e) => e.snapshot!.snapshotId));
        token = page.nextToken;
        pages += 1;
        if (pages > 100) throw new Error('ListSnapshots pagination did not end');
      } while (token !== '');
      expect(ids).toEqual(expect.arrayContaining(created.map((s) => s.snapshotId)));
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    // spec.md ListSnapshots Errors: "Invalid starting_token | 10 ABORTED".
    it('answers ABORTED for a starting_token it did not issue', async () => {
      expect(await outcome(c().listSnapshots({ startingToken: 'not-a-token-this-plugin-issued' }))).toBe('ABORTED');
    });

    // spec.md ListSnapshotsRequest.max_entries: "The value of this field MUST NOT be negative."
    it('rejects a negative max_entries with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().listSnapshots({ maxEntries: -1 }))).toBe('INVALID_ARGUMENT');
    });
  });

  describe('ControllerExpandVolume', () => {
    // spec.md ControllerExpandVolumeRequest: volume_id and capacity_range are REQUIRED.
    it('rejects a request without volume_id or without capacity_range with INVALID_ARGUMENT', async () => {
      const volume = await createVolume(driver, cleanup);
      expect(await outcome(c().controllerExpandVolume({ capacityRange: { requiredBytes: 2 * GiB } }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(c().controllerExpandVolume({ volumeId: volume.volumeId }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md ControllerExpandVolume Errors: "Volume does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a volume that does not exist', async () => {
      expect(await outcome(c().controllerExpandVolume({ volumeId: MISSING_VOLUME_ID, capacityRange: { requiredBytes: 2 * GiB } }))).toBe('NOT_FOUND');
    });

    // spec.md ControllerExpandVolumeResponse.capacity_bytes: REQUIRED; node_expansion_required: "When true the CO
    // MUST make NodeExpandVolume RPC call" — a filesystem only grows on the node, so a mounted volume needs it.
    it('grows the volume to at least the requested size and asks for node expansion of a filesystem volume', async () => {
      const volume = await createVolume(driver, cleanup);
      const res = await c().controllerExpandVolume({
        volumeId: volume.volumeId,
        capacityRange: { requiredBytes: 2 * GiB },
        volumeCapability: mountCapability(),
      });
      expect(res.capacityBytes).toBeGreaterThanOrEqual(2 * GiB);
      expect(res.nodeExpansionRequired).toBe(true);
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.size).toBeGreaterThanOrEqual(2);
      const got = await c().controllerGetVolume({ volumeId: volume.volumeId });
      expect(got.volume?.capacityBytes).toBe(res.capacityBytes);
    });

    // spec.md ControllerExpandVolume: "This operation MUST be idempotent. If a volume ... is already larger than or
    // equal to the target capacity ..., the plugin SHOULD reply 0 OK."
    it('is idempotent: repeating or asking for less answers OK without shrinking', async () => {
      const volume = await createVolume(driver, cleanup, { capability: blockCapability() });
      const request = { volumeId: volume.volumeId, capacityRange: { requiredBytes: 3 * GiB }, volumeCapability: blockCapability() };
      const first = await c().controllerExpandVolume(request);
      const again = await c().controllerExpandVolume(request);
      expect(again.capacityBytes).toBe(first.capacityBytes);
      const smaller = await c().controllerExpandVolume({ ...request, capacityRange: { requiredBytes: 2 * GiB } });
      expect(smaller.capacityBytes).toBeGreaterThanOrEqual(3 * GiB);
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.size).toBe(3);
    });

    // spec.md ControllerExpandVolume Errors: "Unsupported capacity_range | 11 OUT_OF_RANGE".
    it('answers OUT_OF_RANGE for a capacity range no whole-GiB size satisfies', async () => {
      const volume = await createVolume(driver, cleanup);
      const call = c().controllerExpandVolume({ volumeId: volume.volumeId, capacityRange: { requiredBytes: 2.25 * GiB, limitBytes: 2.5 * GiB } });
      expect(await outcome(call)).toBe('OUT_OF_RANGE');
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.size).toBe(1);
    });
  });
  describe('ControllerModifyVolume', () => {
    beforeEach(() => {
      if (!capabilities.includes('MODIFY_VOLUME')) throw new Error('this suite expects MODIFY_VOLUME');
    });

    // spec.md ControllerModifyVolumeRequest.volume_id: "This field is REQUIRED."
    it('rejects a request without volume_id with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().controllerModifyVolume({ mutableParameters: { type: 'fast' } }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md ControllerModifyVolumeRequest.mutable_parameters: "This field is REQUIRED." and "A repeated or map
    // field listed as REQUIRED MUST contain at least 1 element"; Error Scheme: missing required field →
    // 3 INVALID_ARGUMENT.
    it('rejects an empty mutable_parameters map with INVALID_ARGUMENT', async () => {
      const volume = await createVolume(driver, cleanup);
      expect(await outcome(c().controllerModifyVolume({ volumeId: volume.volumeId, mutableParameters: {} }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md ControllerModifyVolume Errors: "Parameters not supported | 3 INVALID_ARGUMENT".
    it('rejects a mutable parameter it does not support with INVALID_ARGUMENT, leaving the volume alone', async () => {
      const volume = await createVolume(driver, cleanup);
      expect(await outcome(c().controllerModifyVolume({ volumeId: volume.volumeId, mutableParameters: { iops: '1000' } }))).toBe('INVALID_ARGUMENT');
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.volumeType).toBe('standard');
    });

    // spec.md ControllerModifyVolume Errors: "Volume does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a volume that does not exist', async () => {
      expect(await outcome(c().controllerModifyVolume({ volumeId: MISSING_VOLUME_ID, mutableParameters: { type: 'fast' } }))).toBe('NOT_FOUND');
    });

    // spec.md CreateVolume: "Values specified in mutable_parameters MUST take precedence over the values from
    // parameters." (mutable_parameters may be sent because MODIFY_VOLUME is advertised).
    it('creates with mutable_parameters, which take precedence over parameters', async () => {
      const alone = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [mountCapability()],
        mutableParameters: { type: 'fast' },
      })).volume!;
      cleanup.volume(alone.volumeId);
      expect(driver.emu.volumes().find((v) => v.id === alone.volumeId)?.volumeType).toBe('fast');
      const both = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [mountCapability()],
        parameters: { type: 'standard' },
        mutableParameters: { type: 'fast' },
      })).volume!;
      cleanup.volume(both.volumeId);
      expect(driver.emu.volumes().find((v) => v.id === both.volumeId)?.volumeType).toBe('fast');
    });

    // spec.md ControllerModifyVolume: "This operation MUST be idempotent."
    it('applies the mutable parameters and answers OK again when repeated', async () => {
      const volume = await createVolume(driver, cleanup);
      const request = { volumeId: volume.volumeId, mutableParameters: { type: 'fast' } };
      expect(await outcome(c().controllerModifyVolume(request))).toBe('OK');
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.volumeType).toBe('fast');
      expect(await outcome(c().controllerModifyVolume(request))).toBe('OK');
      expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.volumeType).toBe('fast');
    });
  });
});
