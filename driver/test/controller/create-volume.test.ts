import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { ZONE_TOPOLOGY_KEY } from '../../src/topology-key';
import { blockCap, CLUSTER, ControllerHarness, failure, GiB, mountCap } from './harness';

describe('CreateVolume', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await ControllerHarness.start({ availabilityZones: ['nova', 'zone-b'], quotas: { gigabytes: 200, volumes: 100 } });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.emu.faults.clear());

  test('creates a volume rounded up to whole GiB and returns only once it is available, with its zone', async () => {
    const res = await h.controller.createVolume({
      name: 'pvc-basic',
      capacityRange: { requiredBytes: 1.5 * GiB },
      volumeCapabilities: [mountCap()],
    });
    const volume = res.volume!;
    expect(volume.capacityBytes).toBe(2 * GiB);
    const [stored] = h.volumesNamed('pvc-basic');
    expect(stored?.id).toBe(volume.volumeId);
    expect(stored?.status).toBe('available');
    expect(stored?.size).toBe(2);
    expect(volume.accessibleTopology).toEqual([{ segments: { [ZONE_TOPOLOGY_KEY]: 'nova' } }]);
  });

  test('the same request again returns the same volume; a different size is ALREADY_EXISTS', async () => {
    const req = { name: 'pvc-idem', capacityRange: { requiredBytes: GiB }, volumeCapabilities: [mountCap()] };
    const first = await h.controller.createVolume(req);
    const second = await h.controller.createVolume(req);
    expect(second.volume!.volumeId).toBe(first.volume!.volumeId);
    expect(h.volumesNamed('pvc-idem')).toHaveLength(1);
    const bigger = await failure(h.controller.createVolume({ ...req, capacityRange: { requiredBytes: 5 * GiB } }));
    expect(bigger.code).toBe(status.ALREADY_EXISTS);
    const otherType = await failure(h.controller.createVolume({ ...req, parameters: { type: 'multiattach' } }));
    expect(otherType.code).toBe(status.ALREADY_EXISTS);
    expect(h.volumesNamed('pvc-idem')).toHaveLength(1);
  });

  test('a volume of the same name created by another cluster is ALREADY_EXISTS, never adopted', async () => {
    await h.cloud.createVolume({ name: 'pvc-foreign', sizeGiB: 1, metadata: { 'cinder.csi.openstack.org/cluster': 'other-cluster' } });
    const result = await failure(h.controller.createVolume({ name: 'pvc-foreign', volumeCapabilities: [mountCap()] }));
    expect(result.code).toBe(status.ALREADY_EXISTS);
    expect(result.message).toContain('other-cluster');
    expect(h.volumesNamed('pvc-foreign')).toHaveLength(1);
  });

  test.each([
    ['name', { volumeCapabilities: [mountCap()] }],
    ['volume_capabilities', { name: 'pvc-nocaps' }],
    ['volume_capabilities[0].access_mode.mode', { name: 'pvc-badmode', volumeCapabilities: [{ mount: {}, accessMode: {} }] }],
    ['volume_capabilities[0].mount.fs_type', { name: 'pvc-badfs', volumeCapabilities: [mountCap('SINGLE_NODE_WRITER', 'ntfs')] }],
    ['parameters.color', { name: 'pvc-badparam', volumeCapabilities: [mountCap()], parameters: { color: 'blue' } }],
    ['parameters.type', { name: 'pvc-badtype', volumeCapabilities: [mountCap()], parameters: { type: 'gold' } }],
    ['mutable_parameters.iops', { name: 'pvc-badmut', volumeCapabilities: [mountCap()], mutableParameters: { iops: '100' } }],
  ])('INVALID_ARGUMENT naming %s', async (field, req) => {
    const result = await failure(h.controller.createVolume(req));
    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.message).toContain(field);
    expect(h.emu.volumes().filter((v) => v.name === (req as { name?: string }).name)).toHaveLength(0);
  });

  test('OUT_OF_RANGE when no whole-GiB size fits the range', async () => {
    const below = await failure(h.controller.createVolume({ name: 'pvc-tiny', capacityRange: { limitBytes: 100 * 1024 * 1024 }, volumeCapabilities: [mountCap()] }));
    expect(below.code).toBe(status.OUT_OF_RANGE);
    const between = await failure(
      h.controller.createVolume({ name: 'pvc-between', capacityRange: { requiredBytes: 1.2 * GiB, limitBytes: 1.8 * GiB }, volumeCapabilities: [mountCap()] }),
    );
    expect(between.code).toBe(status.OUT_OF_RANGE);
    const inverted = await failure(h.controller.createVolume({ name: 'pvc-inv', capacityRange: { requiredBytes: 3 * GiB, limitBytes: 2 * GiB }, volumeCapabilities: [mountCap()] }));
    expect(inverted.code).toBe(status.OUT_OF_RANGE);
  });

  test('topology: the first preferred zone wins, else the first requisite one', async () => {
    const preferred = await h.controller.createVolume({
      name: 'pvc-pref',
      volumeCapabilities: [mountCap()],
      accessibilityRequirements: {
        requisite: [{ segments: { [ZONE_TOPOLOGY_KEY]: 'nova' } }, { segments: { [ZONE_TOPOLOGY_KEY]: 'zone-b' } }],
        preferred: [{ segments: { [ZONE_TOPOLOGY_KEY]: 'zone-b' } }],
      },
    });
    expect(preferred.volume!.accessibleTopology).toEqual([{ segments: { [ZONE_TOPOLOGY_KEY]: 'zone-b' } }]);
    expect(h.volumesNamed('pvc-pref')[0]?.availabilityZone).toBe('zone-b');
    const requisite = await h.controller.createVolume({
      name: 'pvc-req',
      volumeCapabilities: [mountCap()],
      accessibilityRequirements: { requisite: [{ segments: { 'kubernetes.io/hostname': 'n1' } }, { segments: { [ZONE_TOPOLOGY_KEY]: 'zone-b' } }] },
    });
    expect(requisite.volume!.accessibleTopology![0]!.segments).toEqual({ [ZONE_TOPOLOGY_KEY]: 'zone-b' });
  });

  test('a topology zone Cinder does not have (Nova AZs named differently) creates in Cinder\'s default zone, reported as requested', async () => {
    const res = await h.controller.createVolume({
      name: 'pvc-nova-az',
      volumeCapabilities: [mountCap()],
      accessibilityRequirements: {
        requisite: [{ segments: { [ZONE_TOPOLOGY_KEY]: 'compute-az-1' } }],
        preferred: [{ segments: { [ZONE_TOPOLOGY_KEY]: 'compute-az-1' } }],
      },
    });
    expect(res.volume!.accessibleTopology).toEqual([{ segments: { [ZONE_TOPOLOGY_KEY]: 'compute-az-1' } }]);
    expect(h.volumesNamed('pvc-nova-az')[0]?.availabilityZone).toBe('nova');
    const again = await h.controller.createVolume({
      name: 'pvc-nova-az',
      volumeCapabilities: [mountCap()],
      accessibilityRequirements: { requisite: [{ segments: { [ZONE_TOPOLOGY_KEY]: 'compute-az-1' } }] },
    });
    expect(again.volume!.volumeId).toBe(res.volume!.volumeId);
  });

  test('an availability parameter naming no Cinder zone is INVALID_ARGUMENT naming it', async () => {
    const result = await failure(h.controller.createVolume({ name: 'pvc-bad-az', volumeCapabilities: [mountCap()], parameters: { availability: 'atlantis' } }));
    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.message).toContain('parameters.availability');
    expect(h.volumesNamed('pvc-bad-az')).toHaveLength(0);
  });

  test('the availability parameter must be allowed by requisite topology (RESOURCE_EXHAUSTED otherwise)', async () => {
    const result = await failure(
      h.controller.createVolume({
        name: 'pvc-az-conflict',
        volumeCapabilities: [mountCap()],
        parameters: { availability: 'nova' },
        accessibilityRequirements: { requisite: [{ segments: { [ZONE_TOPOLOGY_KEY]: 'zone-b' } }] },
      }),
    );
    expect(result.code).toBe(status.RESOURCE_EXHAUSTED);
  });

  test('PVC/PV names from extra-create-metadata and the cluster id are stored as volume metadata', async () => {
    await h.controller.createVolume({
      name: 'pvc-meta',
      volumeCapabilities: [mountCap()],
      parameters: {
        'csi.storage.k8s.io/pvc/name': 'data',
        'csi.storage.k8s.io/pvc/namespace': 'shop',
        'csi.storage.k8s.io/pv/name': 'pvc-meta',
      },
    });
    expect(h.volumesNamed('pvc-meta')[0]?.metadata).toMatchObject({
      'csi.storage.k8s.io/pvc/name': 'data',
      'csi.storage.k8s.io/pvc/namespace': 'shop',
      'csi.storage.k8s.io/pv/name': 'pvc-meta',
      'cinder.csi.openstack.org/cluster': CLUSTER,
    });
  });

  test('multi-node access needs a multiattach volume type; single-node multi-writer is fine on any type', async () => {
    const refused = await failure(h.controller.createVolume({ name: 'pvc-rwx-std', volumeCapabilities: [blockCap('MULTI_NODE_MULTI_WRITER')] }));
    expect(refused.code).toBe(status.INVALID_ARGUMENT);
    expect(refused.message).toContain('multiattach');
    expect(h.volumesNamed('pvc-rwx-std')).toHaveLength(0);
    const fsShared = await failure(
      h.controller.createVolume({ name: 'pvc-rwx-fs', parameters: { type: 'multiattach' }, volumeCapabilities: [mountCap('MULTI_NODE_MULTI_WRITER')] }),
    );
    expect(fsShared.code).toBe(status.INVALID_ARGUMENT);
    const ok = await h.controller.createVolume({ name: 'pvc-rwx', parameters: { type: 'multiattach' }, volumeCapabilities: [blockCap('MULTI_NODE_MULTI_WRITER')] });
    expect(h.volumesNamed('pvc-rwx')[0]?.multiattach).toBe(true);
    expect(ok.volume!.volumeId).toBeTruthy();
    await h.controller.createVolume({ name: 'pvc-snmw', volumeCapabilities: [mountCap('SINGLE_NODE_MULTI_WRITER')] });
    await h.controller.createVolume({ name: 'pvc-snsw', volumeCapabilities: [mountCap('SINGLE_NODE_SINGLE_WRITER')] });
    await h.controller.createVolume({ name: 'pvc-rox', parameters: { type: 'multiattach' }, volumeCapabilities: [mountCap('MULTI_NODE_READER_ONLY')] });
  });

  test('content sources: a missing snapshot or volume is NOT_FOUND; restore and clone work and are echoed', async () => {
    const missingSnap = await failure(
      h.controller.createVolume({ name: 'pvc-from-nosnap', volumeCapabilities: [mountCap()], volumeContentSource: { snapshot: { snapshotId: '00000000-0000-0000-0000-000000000000' } } }),
    );
    expect(missingSnap.code).toBe(status.NOT_FOUND);
    const missingVol = await failure(
      h.controller.createVolume({ name: 'pvc-from-novol', volumeCapabilities: [mountCap()], volumeContentSource: { volume: { volumeId: '00000000-0000-0000-0000-000000000000' } } }),
    );
    expect(missingVol.code).toBe(status.NOT_FOUND);

    const source = await h.controller.createVolume({ name: 'pvc-src', capacityRange: { requiredBytes: 2 * GiB }, volumeCapabilities: [mountCap()] });
    const sourceId = source.volume!.volumeId;
    const snap = await h.controller.createSnapshot({ name: 'snap-src', sourceVolumeId: sourceId });
    // Asking for less than the snapshot holds still gives a volume big enough for it.
    const restored = await h.controller.createVolume({
      name: 'pvc-restored', capacityRange: { requiredBytes: GiB }, volumeCapabilities: [mountCap()],
      volumeContentSource: { snapshot: { snapshotId: snap.snapshot!.snapshotId } },
    });
    expect(restored.volume!.capacityBytes).toBe(2 * GiB);
    expect(restored.volume!.contentSource?.snapshot?.snapshotId).toBe(snap.snapshot!.snapshotId);
    expect(h.volumesNamed('pvc-restored')[0]?.snapshotId).toBe(snap.snapshot!.snapshotId);
    const clone = await h.controller.createVolume({ name: 'pvc-clone', volumeCapabilities: [mountCap()], volumeContentSource: { volume: { volumeId: sourceId } } });
    expect(h.volumesNamed('pvc-clone')[0]?.sourceVolid).toBe(sourceId);
    expect(clone.volume!.contentSource?.volume?.volumeId).toBe(sourceId);
    const tooSmall = await failure(
      h.controller.createVolume({ name: 'pvc-clone-small', capacityRange: { limitBytes: GiB }, volumeCapabilities: [mountCap()], volumeContentSource: { volume: { volumeId: sourceId } } }),
    );
    expect(tooSmall.code).toBe(status.OUT_OF_RANGE);
  });

  // Upstream cinder-csi answers UNAVAILABLE for any source snapshot that is not available; a snapshot that is going
  // away or in error never will be, which is the spec's "source does not exist" (NOT_FOUND).
  test('a source snapshot still being created is UNAVAILABLE, one being deleted or in error NOT_FOUND, and nothing is created', async () => {
    const source = await h.controller.createVolume({ name: 'pvc-snapstate-src', volumeCapabilities: [mountCap()] });
    const sourceId = source.volume!.volumeId;
    const restoreFrom = (name: string, snapshotId: string) =>
      failure(h.controller.createVolume({ name, volumeCapabilities: [mountCap()], volumeContentSource: { snapshot: { snapshotId } } }));
    h.emu.faults.pauseTransitions(['snapshot']);
    try {
      const cutting = await h.cloud.createSnapshot({ volumeId: sourceId, name: 'snap-cutting', force: false, metadata: {} });
      expect(await restoreFrom('pvc-from-cutting', cutting.id)).toEqual({
        code: status.UNAVAILABLE,
        message: `snapshot ${cutting.id} is creating, not available yet; retry once it is ready`,
      });
    } finally {
      h.emu.faults.resumeTransitions(['snapshot']);
    }
    const ready = await h.controller.createSnapshot({ name: 'snap-going', sourceVolumeId: sourceId });
    const goingId = ready.snapshot!.snapshotId;
    h.emu.faults.pauseTransitions(['delete']);
    try {
      await h.cloud.deleteSnapshot(goingId);
      expect(h.emu.snapshots().find((s) => s.id === goingId)?.status).toBe('deleting');
      expect(await restoreFrom('pvc-from-deleting', goingId)).toEqual({
        code: status.NOT_FOUND,
        message: `volume_content_source.snapshot.snapshot_id: snapshot ${goingId} is deleting; it is going away or holds no data, so no volume can be restored from it`,
      });
    } finally {
      h.emu.faults.resumeTransitions(['delete']);
    }
    expect(h.volumesNamed('pvc-from-cutting')).toEqual([]);
    expect(h.volumesNamed('pvc-from-deleting')).toEqual([]);
  });

  test('quota exceeded is RESOURCE_EXHAUSTED and leaves nothing behind', async () => {
    const result = await failure(h.controller.createVolume({ name: 'pvc-huge', capacityRange: { requiredBytes: 500 * GiB }, volumeCapabilities: [mountCap()] }));
    expect(result.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(h.volumesNamed('pvc-huge')).toHaveLength(0);
  });

  test('a volume that goes to error is deleted and the call fails clearly; a retry then succeeds', async () => {
    h.emu.faults.failVolumeCreate({ name: 'pvc-err' });
    const result = await failure(h.controller.createVolume({ name: 'pvc-err', volumeCapabilities: [mountCap()] }));
    expect(result.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(result.message).toContain('deleted');
    expect(h.volumesNamed('pvc-err')).toHaveLength(0);
    await h.controller.createVolume({ name: 'pvc-err', volumeCapabilities: [mountCap()] });
    expect(h.volumesNamed('pvc-err').map((v) => v.status)).toEqual(['available']);
  });

  test('a deadline passing while Cinder is still creating gives DEADLINE_EXCEEDED; the retry adopts the same volume', async () => {
    h.emu.faults.pauseTransitions(['create']);
    const result = await failure(h.controller.createVolume({ name: 'pvc-slow', volumeCapabilities: [mountCap()] }, { deadlineMs: 400 }));
    expect(result.code).toBe(status.DEADLINE_EXCEEDED);
    expect(h.volumesNamed('pvc-slow').map((v) => v.status)).toEqual(['creating']);
    h.emu.faults.resumeTransitions(['create']);
    const retried = await h.controller.createVolume({ name: 'pvc-slow', volumeCapabilities: [mountCap()] });
    expect(h.volumesNamed('pvc-slow').map((v) => v.id)).toEqual([retried.volume!.volumeId]);
  });

  test('concurrent calls for the same name: the second is ABORTED while the first waits; a cancelled call frees the name', async () => {
    h.emu.faults.pauseTransitions(['create']);
    const controller = new AbortController();
    const first = h.controller.createVolume({ name: 'pvc-race', volumeCapabilities: [mountCap()] }, { signal: controller.signal });
    // Wait until the first call has asked Cinder (the volume exists, creating), so it holds the name.
    for (let i = 0; i < 200 && h.volumesNamed('pvc-race').length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const second = await failure(h.controller.createVolume({ name: 'pvc-race', volumeCapabilities: [mountCap()] }));
    expect(second.code).toBe(status.ABORTED);
    controller.abort();
    expect((await failure(first)).code).toBe(status.CANCELLED);
    h.emu.faults.resumeTransitions(['create']);
    // The server saw the cancel: the name is free again and the retry adopts the volume.
    let adopted: string | undefined;
    for (let i = 0; i < 50 && !adopted; i++) {
      adopted = await h.controller.createVolume({ name: 'pvc-race', volumeCapabilities: [mountCap()] }).then(
        (r) => r.volume!.volumeId,
        (e: { code?: number }) => {
          if (e.code !== status.ABORTED) throw e;
          return new Promise<undefined>((r) => setTimeout(() => r(undefined), 20));
        },
      );
    }
    expect(h.volumesNamed('pvc-race').map((v) => v.id)).toEqual([adopted]);
  });

  test('many concurrent creates share status look-ups instead of polling one loop each', async () => {
    const key = 'GET /volume/v3/{project_id}/volumes/detail';
    const before = h.emu.counters.requests[key] ?? 0;
    const names = [...Array(30).keys()].map((i) => `pvc-many-${i}`);
    h.emu.faults.pauseTransitions(['create']);
    const calls = names.map((name) => h.controller.createVolume({ name, volumeCapabilities: [mountCap()] }));
    for (let i = 0; i < 300 && h.emu.volumes().filter((v) => v.name?.startsWith('pvc-many-')).length < 30; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    h.emu.faults.resumeTransitions(['create']);
    await Promise.all(calls);
    const listings = (h.emu.counters.requests[key] ?? 0) - before;
    // 30 name look-ups (one per call) plus shared status listings; separate poll loops would need 30 more at least.
    expect(listings - 30).toBeLessThan(30);
  });
});

describe('without topology (--with-topology=false)', () => {
  test('volumes are reported with no accessible topology, so a CO does not pin them to an unknown zone label', async () => {
    const h = await ControllerHarness.start({}, {}, { withTopology: false });
    try {
      const res = await h.controller.createVolume({ name: 'pvc-notopo', volumeCapabilities: [mountCap()] });
      expect(res.volume!.accessibleTopology).toEqual([]);
      const got = await h.controller.controllerGetVolume({ volumeId: res.volume!.volumeId });
      expect(got.volume!.accessibleTopology).toEqual([]);
      expect(h.volumesNamed('pvc-notopo')[0]?.availabilityZone).toBe('nova');
    } finally {
      await h.close();
    }
  });
});
