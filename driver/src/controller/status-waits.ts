import type { Cloud } from '../cloud/cloud';
import type { Snapshot, Volume } from '../cloud/types';
import type { CallContext } from '../grpc/call-context';
import { DEFAULT_STATUS_POLL, StatusBatcher, StatusBatcherOptions, StatusCheck } from '../util/status-batcher';

/**
 * Waits on Cinder status transitions for all concurrent CSI calls of this process through two shared batchers
 * (one GET /volumes/detail and one GET /snapshots/detail per tick, however many calls wait).
 */
export class StatusWaits {
  readonly volumes: StatusBatcher<Volume>;
  readonly snapshots: StatusBatcher<Snapshot>;

  constructor(cloud: Cloud, options: StatusBatcherOptions = DEFAULT_STATUS_POLL) {
    this.volumes = new StatusBatcher(async (signal) => new Map((await cloud.listAllVolumes({ signal })).map((v) => [v.id, v])), options);
    this.snapshots = new StatusBatcher(async (signal) => new Map((await cloud.listAllSnapshots({ signal })).map((s) => [s.id, s])), options);
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
