import type { Cloud } from '../cloud/cloud';
import { isCloudError } from '../cloud/errors';
import type { Snapshot, Volume } from '../cloud/types';
import type { CallContext } from '../grpc/call-context';
import { abortError } from '../grpc/call-abort';
import { DEFAULT_STATUS_POLL, StatusBatcher, StatusBatcherOptions, StatusCheck } from '../util/status-batcher';

/**
 * Up to this many objects awaited at once are fetched one by one (a GET each); more are answered by one listing of
 * the whole project, which costs the same however many calls wait.
 */
export const INDIVIDUAL_LOOKUP_LIMIT = 4;

async function lookUp<T extends { id: string }>(
  ids: ReadonlySet<string>,
  getOne: (id: string) => Promise<T>,
  listAll: () => Promise<T[]>,
): Promise<Map<string, T>> {
  if (ids.size > INDIVIDUAL_LOOKUP_LIMIT) {
    return new Map((await listAll()).map((item) => [item.id, item]));
  }
  const found = await Promise.all(
    [...ids].map((id) =>
      getOne(id).then(
        (item): T | undefined => item,
        (error: unknown) => {
          if (isCloudError(error, 'NotFound')) return undefined;
          throw error;
        },
      ),
    ),
  );
  const result = new Map<string, T>();
  for (const item of found) {
    if (item !== undefined) result.set(item.id, item);
  }
  return result;
}

/**
 * Waits on Cinder status transitions for all concurrent CSI calls of this process through two shared batchers
 * (per tick: a GET per awaited object when only a few are awaited, else one GET /volumes/detail or /snapshots/detail listing, however many calls wait).
 */
export class StatusWaits {
  readonly volumes: StatusBatcher<Volume>;
  readonly snapshots: StatusBatcher<Snapshot>;

  constructor(cloud: Cloud, options: StatusBatcherOptions = DEFAULT_STATUS_POLL) {
    this.volumes = new StatusBatcher(
      (ids, signal) => lookUp(ids, (id) => cloud.getVolume(id, { signal }), () => cloud.listAllVolumes({ signal })),
      abortError,
      options,
    );
    this.snapshots = new StatusBatcher(
      (ids, signal) => lookUp(ids, (id) => cloud.getSnapshot(id, { signal }), () => cloud.listAllSnapshots({ signal })),
      abortError,
      options,
    );
  }

  volume<R>(id: string, check: StatusCheck<Volume, R>, ctx: CallContext, what: string): Promise<R> {
    return this.volumes.wait(id, check, { signal: ctx.signal, deadline: ctx.deadline, what });
  }

  snapshot<R>(id: string, check: StatusCheck<Snapshot, R>, ctx: CallContext, what: string): Promise<R> {
    return this.snapshots.wait(id, check, { signal: ctx.signal, deadline: ctx.deadline, what });
  }

  close(): void {
    this.volumes.close();
    this.snapshots.close();
  }
}
