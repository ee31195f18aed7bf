import type { Cloud } from '../cloud/cloud';
import { isCloudError } from '../cloud/errors';
import type { ListOptions, OpOptions, Page, Snapshot, Volume } from '../cloud/types';
import type { CallContext } from '../grpc/call-context';
import { abortError } from '../grpc/call-abort';
import { durationKeys } from '../util/expected-durations';
import { DEFAULT_STATUS_POLL, StatusBatcher, StatusBatcherOptions, StatusCheck } from '../util/status-batcher';

/**
 * Up to this many due looks are answered one by one (a GET each); more are answered by listings filtered by the
 * status the awaited objects were last seen in (plus this cluster's metadata for volumes that carry it), then a GET
 * of each awaited object that has left that status. Such a listing holds only the objects in that transitional
 * status, so its cost follows the operations in flight, never the project's size.
 */
export const INDIVIDUAL_LOOKUP_LIMIT = 4;

/** Page size of the status-filtered listings (Cinder's default osapi_max_limit). */
const LISTING_PAGE = 1000;

/** Volume statuses an operation passes through: an object last seen in one is listed by it. */
export const VOLUME_TRANSIT_STATUSES: ReadonlySet<string> = new Set([
  'creating', 'downloading', 'reserved', 'attaching', 'detaching', 'extending', 'retyping', 'deleting', 'maintenance',
]);
export const SNAPSHOT_TRANSIT_STATUSES: ReadonlySet<string> = new Set(['creating', 'deleting']);

/** The operation a wait is on, for its expected duration (see util/expected-durations.ts). */
export interface AwaitedOperation {
  readonly kind: string;
  readonly volumeType?: string;
  readonly sizeGiB?: number;
}

interface Listed {
  readonly id: string;
  readonly status: string;
  readonly metadata: Readonly<Record<string, string>>;
}

type Lister<T> = (filter: { status: string; metadata?: Record<string, string> } & ListOptions, op: OpOptions) => Promise<Page<T>>;

/**
 * One kind of awaited object (volumes or snapshots): what each awaited object was last seen as, and how a tick's
 * due looks become Cinder requests.
 */
class LookUps<T extends Listed> {
  private readonly lastSeen = new Map<string, T>();

  constructor(
    private readonly getOne: (id: string, op: OpOptions) => Promise<T>,
    private readonly list: Lister<T>,
    private readonly transit: ReadonlySet<string>,
    /** The metadata filter for objects that carry this cluster's id, undefined when Cinder cannot filter by it. */
    private readonly clusterFilter: Record<string, string> | undefined,
  ) {}

  async fetch(due: ReadonlySet<string>, signal: AbortSignal, awaited: ReadonlySet<string>): Promise<Map<string, T>> {
    for (const id of this.lastSeen.keys()) {
      if (!awaited.has(id)) this.lastSeen.delete(id);
    }
    const result = new Map<string, T>();
    const toGet = new Set<string>();
    if (due.size <= INDIVIDUAL_LOOKUP_LIMIT) {
      for (const id of due) toGet.add(id);
    } else {
      // Group every awaited object by the transitional status it was last seen in (and whether it is this
      // cluster's); list each group that has a due look. An awaited object absent from its group's listing has
      // moved on: it is fetched by id (once per operation, however many waits are on the same tick).
      const groups = new Map<string, { status: string; mine: boolean; ids: Set<string>; due: boolean }>();
      for (const id of awaited) {
        const seen = this.lastSeen.get(id);
        if (!seen || !this.transit.has(seen.status)) {
          if (due.has(id)) toGet.add(id);
          continue;
        }
        const mine = this.clusterFilter !== undefined && Object.entries(this.clusterFilter).every(([k, v]) => seen.metadata[k] === v);
        const key = `${seen.status}|${mine}`;
        const group = groups.get(key) ?? { status: seen.status, mine, ids: new Set<string>(), due: false };
        group.ids.add(id);
        group.due ||= due.has(id);
        groups.set(key, group);
      }
      for (const group of groups.values()) {
        if (!group.due) continue;
        const listed = await this.listAll(group.status, group.mine ? this.clusterFilter : undefined, signal);
        for (const id of group.ids) {
          const item = listed.get(id);
          if (item) result.set(id, item);
          else toGet.add(id);
        }
      }
    }
    const found = await Promise.all(
      [...toGet].map((id) =>
        this.getOne(id, { signal }).then(
          (item): T | undefined => item,
          (error: unknown) => {
            if (isCloudError(error, 'NotFound')) return undefined;
            throw error;
          },
        ),
      ),
    );
    for (const item of found) {
      if (item !== undefined) result.set(item.id, item);
    }
    for (const [id, item] of result) this.lastSeen.set(id, item);
    for (const id of toGet) {
      if (!result.has(id)) this.lastSeen.delete(id);
    }
    return result;
  }

  private async listAll(status: string, metadata: Record<string, string> | undefined, signal: AbortSignal): Promise<Map<string, T>> {
    const all = new Map<string, T>();
    let marker: string | undefined;
    do {
      const page = await this.list({ status, metadata, limit: LISTING_PAGE, marker }, { signal });
      for (const item of page.items) all.set(item.id, item);
      // A full page may be followed by an empty one (Cinder links a next page whenever a page is full).
      marker = page.items.length < LISTING_PAGE ? undefined : page.next;
    } while (marker !== undefined);
    return all;
  }
}

function keysOf(operation: AwaitedOperation | undefined): string[] {
  return operation ? durationKeys(operation.kind, operation.volumeType, operation.sizeGiB) : [];
}

/**
 * Waits on Cinder status transitions for all concurrent CSI calls of this process through two shared batchers
 * (per tick: a GET per due object when only a few looks are due, else status-filtered listings plus a GET per
 * object that left its status), each wait looking when operations like its own ended before.
 */
export class StatusWaits {
  readonly volumes: StatusBatcher<Volume>;
  readonly snapshots: StatusBatcher<Snapshot>;

  /** `clusterMetadata`: the metadata this cluster's volumes carry (listings of many waits filter by it). */
  constructor(cloud: Cloud, options: StatusBatcherOptions = DEFAULT_STATUS_POLL, clusterMetadata?: Record<string, string>) {
    const volumeLookUps = new LookUps<Volume>(
      (id, op) => cloud.getVolume(id, op),
      (filter, op) => cloud.listVolumes(filter, op),
      VOLUME_TRANSIT_STATUSES,
      clusterMetadata,
    );
    // Snapshot listings filter by metadata only from microversion 3.22: by status alone.
    const snapshotLookUps = new LookUps<Snapshot>(
      (id, op) => cloud.getSnapshot(id, op),
      (filter, op) => cloud.listSnapshots({ status: filter.status, limit: filter.limit, marker: filter.marker }, op),
      SNAPSHOT_TRANSIT_STATUSES,
      undefined,
    );
    this.volumes = new StatusBatcher((due, signal, awaited) => volumeLookUps.fetch(due, signal, awaited), abortError, options);
    this.snapshots = new StatusBatcher((due, signal, awaited) => snapshotLookUps.fetch(due, signal, awaited), abortError, options);
  }

  volume<R>(id: string, check: StatusCheck<Volume, R>, ctx: CallContext, what: string, operation?: AwaitedOperation): Promise<R> {
    return this.volumes.wait(id, check, { signal: ctx.signal, deadline: ctx.deadline, what, durationKeys: keysOf(operation) });
  }

  snapshot<R>(id: string, check: StatusCheck<Snapshot, R>, ctx: CallContext, what: string, operation?: AwaitedOperation): Promise<R> {
    return this.snapshots.wait(id, check, { signal: ctx.signal, deadline: ctx.deadline, what, durationKeys: keysOf(operation) });
  }

  close(): void {
    this.volumes.close();
    this.snapshots.close();
  }
}
