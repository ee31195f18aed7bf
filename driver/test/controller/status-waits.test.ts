import { describe, expect, test } from '@jest/globals';
import type { Cloud } from '../../src/cloud/cloud';
import { CloudError } from '../../src/cloud/errors';
import type { ListOptions, Page, Snapshot, SnapshotFilter, Volume, VolumeFilter } from '../../src/cloud/types';
import type { CallContext } from '../../src/grpc/call-context';
import { CLUSTER_METADATA_KEY } from '../../src/controller/deps';
import { INDIVIDUAL_LOOKUP_LIMIT, StatusWaits } from '../../src/controller/status-waits';

const FAST = { poll: { initialMs: 5, maxMs: 20, factor: 1.5, jitter: 0 }, maxConsecutiveFailures: 3 };

/** A Cloud holding volumes and snapshots in memory that records every read it answers. */
function fakeCloud() {
  const volumes = new Map<string, Volume>();
  const snapshots = new Map<string, Snapshot>();
  const reads: string[] = [];
  /** Each GET of a volume with the status it answered. */
  const volumeGets: { readonly id: string; readonly status: string | undefined }[] = [];
  const page = <T>(items: T[]): Page<T> => ({ items });
  const cloud = {
    async getVolume(id: string): Promise<Volume> {
      reads.push(`GET volume ${id}`);
      const v = volumes.get(id);
      volumeGets.push({ id, status: v?.status });
      if (!v) throw new CloudError('NotFound', `volume ${id} not found`);
      return v;
    },
    async listVolumes(filter: VolumeFilter & ListOptions): Promise<Page<Volume>> {
      reads.push(`LIST volumes status=${filter.status ?? '*'} metadata=${JSON.stringify(filter.metadata ?? null)}`);
      return page(
        [...volumes.values()].filter(
          (v) =>
            (filter.status === undefined || v.status === filter.status) &&
            Object.entries(filter.metadata ?? {}).every(([k, val]) => v.metadata[k] === val),
        ),
      );
    },
    async getSnapshot(id: string): Promise<Snapshot> {
      reads.push(`GET snapshot ${id}`);
      const s = snapshots.get(id);
      if (!s) throw new CloudError('NotFound', `snapshot ${id} not found`);
      return s;
    },
    async listSnapshots(filter: SnapshotFilter & ListOptions): Promise<Page<Snapshot>> {
      reads.push(`LIST snapshots status=${filter.status ?? '*'}`);
      return page([...snapshots.values()].filter((s) => filter.status === undefined || s.status === filter.status));
    },
  };
  return { cloud: cloud as unknown as Cloud, volumes, snapshots, reads, volumeGets };
}

function volume(id: string, status: string, mine = true): Volume {
  return { id, name: id, status, size: 1, multiattach: false, metadata: mine ? { [CLUSTER_METADATA_KEY]: 'c1' } : {}, attachments: [] };
}

const ctx = { signal: new AbortController().signal } as unknown as CallContext;
const untilAvailable = (v: Volume | undefined): Volume | undefined => (v?.status === 'available' ? v : undefined);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}

describe('StatusWaits look-ups', () => {
  test(`up to ${INDIVIDUAL_LOOKUP_LIMIT} due looks are GETs by id, never a listing`, async () => {
    const f = fakeCloud();
    const waits = new StatusWaits(f.cloud, FAST, { [CLUSTER_METADATA_KEY]: 'c1' });
    for (const id of ['a', 'b', 'c']) f.volumes.set(id, volume(id, 'creating'));
    const done = ['a', 'b', 'c'].map((id) => waits.volume(id, untilAvailable, ctx, `waiting for ${id}`));
    await until(() => f.reads.length >= 3);
    for (const id of ['a', 'b', 'c']) f.volumes.set(id, volume(id, 'available'));
    await Promise.all(done);
    expect(f.reads.every((r) => r.startsWith('GET volume '))).toBe(true);
  });

  test('many waits are answered by listings filtered by status and this cluster, then a GET of each volume that moved on', async () => {
    const f = fakeCloud();
    const waits = new StatusWaits(f.cloud, FAST, { [CLUSTER_METADATA_KEY]: 'c1' });
    const ids = [...Array(10).keys()].map((i) => `v${i}`);
    for (const id of ids) f.volumes.set(id, volume(id, 'creating'));
    // 10,000 unrelated volumes in the project: no look-up may read them.
    for (let i = 0; i < 10_000; i++) f.volumes.set(`other-${i}`, volume(`other-${i}`, 'available', false));
    const done = ids.map((id) => waits.volume(id, untilAvailable, ctx, `waiting for ${id}`));
    // The first looks know no status yet: by id. Then the listing of this cluster's `creating` volumes.
    await until(() => f.reads.some((r) => r.startsWith('LIST')));
    for (const id of ids.slice(0, 5)) f.volumes.set(id, volume(id, 'available'));
    await until(() => waits.volumes.pendingWaits === 5);
    for (const id of ids.slice(5)) f.volumes.set(id, volume(id, 'available'));
    await Promise.all(done);
    const lists = f.reads.filter((r) => r.startsWith('LIST'));
    expect(new Set(lists)).toEqual(new Set([`LIST volumes status=creating metadata={"${CLUSTER_METADATA_KEY}":"c1"}`]));
    // Once a volume left `creating`, the listing no longer shows it and it is read by id exactly once, which ends its
    // wait. (While it is `creating`, a tick with at most INDIVIDUAL_LOOKUP_LIMIT due looks reads by id by design, so
    // how often depends on how the waits' looks fall into ticks.) The unrelated volumes are never read.
    for (const id of ids) {
      expect(f.volumeGets.filter((g) => g.id === id && g.status === 'available')).toHaveLength(1);
    }
    expect(f.reads.some((r) => r.includes('other-'))).toBe(false);
  });

  test('volumes without this cluster\'s metadata are listed by status alone; a volume gone from Cinder ends its wait as undefined', async () => {
    const f = fakeCloud();
    const waits = new StatusWaits(f.cloud, FAST, { [CLUSTER_METADATA_KEY]: 'c1' });
    const ids = [...Array(6).keys()].map((i) => `s${i}`);
    for (const id of ids) f.volumes.set(id, volume(id, 'deleting', false));
    const done = ids.map((id) => waits.volume(id, (v) => (v === undefined ? 'gone' : undefined), ctx, `waiting for ${id}`));
    await until(() => f.reads.some((r) => r.startsWith('LIST')));
    for (const id of ids) f.volumes.delete(id);
    await expect(Promise.all(done)).resolves.toEqual(ids.map(() => 'gone'));
    expect(new Set(f.reads.filter((r) => r.startsWith('LIST')))).toEqual(new Set(['LIST volumes status=deleting metadata=null']));
  });

  test('many snapshot waits are answered by a status-filtered snapshot listing', async () => {
    const f = fakeCloud();
    const waits = new StatusWaits(f.cloud, FAST, { [CLUSTER_METADATA_KEY]: 'c1' });
    const ids = [...Array(6).keys()].map((i) => `snap${i}`);
    const snap = (id: string, status: string): Snapshot => ({ id, name: id, status, size: 1, volumeId: 'v', metadata: {} });
    for (const id of ids) f.snapshots.set(id, snap(id, 'creating'));
    const done = ids.map((id) => waits.snapshot(id, (s) => (s?.status === 'available' ? s.id : undefined), ctx, `waiting for ${id}`));
    await until(() => f.reads.some((r) => r.startsWith('LIST')));
    for (const id of ids) f.snapshots.set(id, snap(id, 'available'));
    await expect(Promise.all(done)).resolves.toEqual(ids);
    expect(new Set(f.reads.filter((r) => r.startsWith('LIST')))).toEqual(new Set(['LIST snapshots status=creating']));
  });
});
