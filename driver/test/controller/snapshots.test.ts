import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { cutWaitMs, SNAPSHOT_CUT_WAIT_MS } from '../../src/controller/snapshots';
import { CLUSTER, ControllerHarness, failure, GiB, mountCap } from './harness';

const MISSING = '00000000-0000-0000-0000-000000000000';

describe('snapshots', () => {
  let h: ControllerHarness;
  let volumeA: string;
  let volumeB: string;
  let node: string;
  beforeAll(async () => {
    h = await ControllerHarness.start({ quotas: { snapshots: 50, volumes: 50, gigabytes: 500 } });
    node = h.emu.addServer().id;
    volumeA = (await h.controller.createVolume({ name: 'snap-vol-a', capacityRange: { requiredBytes: 2 * GiB }, volumeCapabilities: [mountCap()] })).volume!.volumeId;
    volumeB = (await h.controller.createVolume({ name: 'snap-vol-b', volumeCapabilities: [mountCap()] })).volume!.volumeId;
  });
  afterAll(async () => h.close());
  beforeEach(() => h.emu.faults.clear());

  const storedSnaps = (name: string) => h.emu.snapshots().filter((s) => s.name === name);

  test('CreateSnapshot returns a ready snapshot; the same request is idempotent; the name on another volume is ALREADY_EXISTS', async () => {
    const first = await h.controller.createSnapshot({
      name: 'snap-1', sourceVolumeId: volumeA, parameters: { 'csi.storage.k8s.io/volumesnapshot/name': 'backup' },
    });
    const snap = first.snapshot!;
    expect(snap.readyToUse).toBe(true);
    expect(snap.sourceVolumeId).toBe(volumeA);
    expect(snap.sizeBytes).toBe(2 * GiB);
    expect(Number(snap.creationTime?.seconds)).toBeGreaterThan(0);
    expect(storedSnaps('snap-1').map((s) => s.status)).toEqual(['available']);
    expect(storedSnaps('snap-1')[0]?.metadata).toMatchObject({ 'csi.storage.k8s.io/volumesnapshot/name': 'backup', 'cinder.csi.openstack.org/cluster': CLUSTER });
    const again = await h.controller.createSnapshot({ name: 'snap-1', sourceVolumeId: volumeA });
    expect(again.snapshot!.snapshotId).toBe(snap.snapshotId);
    const clash = await failure(h.controller.createSnapshot({ name: 'snap-1', sourceVolumeId: volumeB }));
    expect(clash.code).toBe(status.ALREADY_EXISTS);
    expect(storedSnaps('snap-1')).toHaveLength(1);
  });

  test('CreateSnapshot errors: missing name/source INVALID_ARGUMENT, missing volume NOT_FOUND, unknown parameter named', async () => {
    expect((await failure(h.controller.createSnapshot({ sourceVolumeId: volumeA }))).message).toContain('name');
    expect((await failure(h.controller.createSnapshot({ name: 'snap-x' }))).message).toContain('source_volume_id');
    expect((await failure(h.controller.createSnapshot({ name: 'snap-x', sourceVolumeId: MISSING }))).code).toBe(status.NOT_FOUND);
    const bad = await failure(h.controller.createSnapshot({ name: 'snap-x', sourceVolumeId: volumeA, parameters: { speed: 'fast' } }));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.message).toContain('parameters.speed');
    const badForce = await failure(h.controller.createSnapshot({ name: 'snap-x', sourceVolumeId: volumeA, parameters: { 'force-create': 'maybe' } }));
    expect(badForce.message).toContain('parameters.force-create');
    expect(storedSnaps('snap-x')).toHaveLength(0);
  });

  test('an in-use volume is refused by default and with force-create "false", snapshotted with force-create "true"', async () => {
    await h.controller.controllerPublishVolume({ volumeId: volumeB, nodeId: node, volumeCapability: mountCap() });
    try {
      const refusedByDefault = await failure(h.controller.createSnapshot({ name: 'snap-inuse-default', sourceVolumeId: volumeB }));
      expect(refusedByDefault.code).toBe(status.FAILED_PRECONDITION);
      expect(refusedByDefault.message).toContain('force-create');
      expect(storedSnaps('snap-inuse-default')).toHaveLength(0);
      const refused = await failure(h.controller.createSnapshot({ name: 'snap-inuse-no', sourceVolumeId: volumeB, parameters: { 'force-create': 'false' } }));
      expect(refused.code).toBe(status.FAILED_PRECONDITION);
      expect(storedSnaps('snap-inuse-no')).toHaveLength(0);
      const ok = await h.controller.createSnapshot({ name: 'snap-inuse', sourceVolumeId: volumeB, parameters: { 'force-create': 'true' } });
      expect(ok.snapshot!.readyToUse).toBe(true);
    } finally {
      await h.controller.controllerUnpublishVolume({ volumeId: volumeB, nodeId: node });
    }
  });

  // Real Cinder (test/openstack): a forced snapshot of an attached localfs volume stays `creating`. The wait is bounded
  // (cutWaitMs: part of the call's time), so the driver answers before the CO's deadline.
  test('a snapshot Cinder keeps creating is ABORTED before the deadline, DeleteSnapshot too; the retry returns the same snapshot', async () => {
    h.emu.faults.pauseTransitions(['snapshot']);
    const slow = await failure(h.controller.createSnapshot({ name: 'snap-slow', sourceVolumeId: volumeA }, { deadlineMs: 2000 }));
    const [stuck] = storedSnaps('snap-slow');
    expect(stuck?.status).toBe('creating');
    expect(slow).toEqual({
      code: status.ABORTED,
      message: `snapshot ${stuck!.id} of volume ${volumeA} is still being cut by Cinder (status creating); retry to wait for it again`,
    });
    const again = await failure(h.controller.createSnapshot({ name: 'snap-slow', sourceVolumeId: volumeA }, { deadlineMs: 2000 }));
    expect(again).toEqual(slow);
    const deleting = await failure(h.controller.deleteSnapshot({ snapshotId: stuck!.id }, { deadlineMs: 2000 }));
    expect(deleting).toEqual(slow);
    h.emu.faults.resumeTransitions(['snapshot']);
    const retried = await h.controller.createSnapshot({ name: 'snap-slow', sourceVolumeId: volumeA });
    expect(retried.snapshot!.readyToUse).toBe(true);
    expect(storedSnaps('snap-slow').map((s) => s.id)).toEqual([retried.snapshot!.snapshotId]);
  });

  test('cutWaitMs bounds the wait to 80 % of the time left, at most SNAPSHOT_CUT_WAIT_MS, and never below 0', () => {
    expect(cutWaitMs(undefined, 1000)).toBe(SNAPSHOT_CUT_WAIT_MS);
    expect(cutWaitMs(11_000, 1000)).toBe(8000);
    expect(cutWaitMs(1000 + 10 * SNAPSHOT_CUT_WAIT_MS, 1000)).toBe(SNAPSHOT_CUT_WAIT_MS);
    expect(cutWaitMs(500, 1000)).toBe(0);
  });

  test('DeleteSnapshot removes it and is idempotent; an empty id is INVALID_ARGUMENT', async () => {
    const snap = (await h.controller.createSnapshot({ name: 'snap-del', sourceVolumeId: volumeA })).snapshot!;
    await h.controller.deleteSnapshot({ snapshotId: snap.snapshotId });
    expect(storedSnaps('snap-del')).toHaveLength(0);
    await h.controller.deleteSnapshot({ snapshotId: snap.snapshotId });
    await h.controller.deleteSnapshot({ snapshotId: MISSING });
    expect((await failure(h.controller.deleteSnapshot({ snapshotId: '' }))).code).toBe(status.INVALID_ARGUMENT);
  });

  test('ListSnapshots pages with max_entries/starting_token, filters by id and source volume, ABORTED for a bad token', async () => {
    for (let i = 0; i < 5; i++) await h.controller.createSnapshot({ name: `snap-page-${i}`, sourceVolumeId: volumeB });
    const all = new Set(h.emu.snapshots().map((s) => s.id));
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = await h.controller.listSnapshots({ maxEntries: 2, startingToken: token });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.snapshot!.snapshotId));
      token = page.nextToken;
      pages++;
    } while (token !== '' && pages < 50);
    expect(new Set(seen)).toEqual(all);
    expect(seen).toHaveLength(all.size);

    const ofB = await h.controller.listSnapshots({ sourceVolumeId: volumeB });
    expect(ofB.entries.length).toBeGreaterThanOrEqual(5);
    expect(ofB.entries.every((e) => e.snapshot!.sourceVolumeId === volumeB)).toBe(true);

    const one = [...all][0] as string;
    const byId = await h.controller.listSnapshots({ snapshotId: one });
    expect(byId.entries.map((e) => e.snapshot!.snapshotId)).toEqual([one]);
    expect((await h.controller.listSnapshots({ snapshotId: MISSING })).entries).toEqual([]);

    expect((await failure(h.controller.listSnapshots({ startingToken: 'garbage!' }))).code).toBe(status.ABORTED);
    expect((await failure(h.controller.listSnapshots({ startingToken: `s1.${MISSING}` }))).code).toBe(status.ABORTED);
  });
});
