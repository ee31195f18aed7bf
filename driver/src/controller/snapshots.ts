import type { Snapshot, Volume } from '../cloud/types';
import { isCloudError } from '../cloud/errors';
import type { CallContext } from '../grpc/call-context';
import { aborted, alreadyExists, type CsiError, failedPrecondition, internal, invalidArgument, notFound, resourceExhausted } from '../grpc/errors';
import type {
  CreateSnapshotResponse,
  DeleteSnapshotResponse,
  ListSnapshotsRequest__Output,
  ListSnapshotsResponse,
  Snapshot as CsiSnapshot,
} from '../grpc/services';
import { GiB } from './capacity';
import { PARAM_FORCE_CREATE } from './snapshot-parameters';
import { CLUSTER_METADATA_KEY, ControllerDeps, op } from './deps';
import { toCsiError } from '../grpc/error-mapping';
import { encodeToken } from './page-token';
import { awaitDoubtfulCreate, clearDoubt, doubtKey, isInDoubt, markInDoubt } from './doubtful-creates';

export { PARAM_FORCE_CREATE };
/** Added by the external-snapshotter with --extra-create-metadata; stored as snapshot metadata. */
const SNAPSHOT_METADATA_KEYS: readonly string[] = [
  'csi.storage.k8s.io/volumesnapshot/name',
  'csi.storage.k8s.io/volumesnapshot/namespace',
  'csi.storage.k8s.io/volumesnapshotcontent/name',
];
const CLEANUP_TIMEOUT_MS = 120_000;

export interface SnapshotParameters {
  /** force-create: snapshot an attached (in-use) volume. */
  readonly force: boolean;
  readonly metadata: Record<string, string>;
}

export function parseSnapshotParameters(parameters: Record<string, string>): SnapshotParameters {
  let force = false;
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key === PARAM_FORCE_CREATE) {
      if (!/^(true|false)$/i.test(value)) throw invalidArgument(`parameters.${key}`, `expected "true" or "false", got "${value}"`);
      force = value.toLowerCase() === 'true';
    } else if (SNAPSHOT_METADATA_KEYS.includes(key)) {
      metadata[key] = value;
    } else {
      throw invalidArgument(`parameters.${key}`, `unknown parameter; expected one of ${[PARAM_FORCE_CREATE, ...SNAPSHOT_METADATA_KEYS].join(', ')}`);
    }
  }
  return { force, metadata };
}

export function toCsiSnapshot(snapshot: Snapshot): CsiSnapshot {
  const created = snapshot.createdAt ? Date.parse(snapshot.createdAt.endsWith('Z') ? snapshot.createdAt : `${snapshot.createdAt}Z`) : NaN;
  return {
    snapshotId: snapshot.id,
    sourceVolumeId: snapshot.volumeId,
    sizeBytes: snapshot.size * GiB,
    creationTime: Number.isNaN(created) ? null : { seconds: Math.floor(created / 1000), nanos: (created % 1000) * 1e6 },
    readyToUse: snapshot.status === 'available',
  };
}


/** Deletes other snapshots of this cluster with the same name: products of create requests thought lost. */
async function removeTwinSnapshots(deps: ControllerDeps, name: string, keepId: string, ctx: CallContext): Promise<void> {
  const page = await deps.cloud.listSnapshots({ name }, op(ctx));
  for (const twin of page.items) {
    if (twin.id === keepId || twin.name !== name || twin.metadata[CLUSTER_METADATA_KEY] !== deps.options.clusterId) continue;
    ctx.log.warn({ snapshotId: twin.id, name }, 'deleting a duplicate snapshot left by a create request whose answer was lost');
    await deps.cloud.deleteSnapshot(twin.id, op(ctx)).catch(() => undefined);
  }
}

async function deleteSnapshotAndWait(deps: ControllerDeps, snapshotId: string, ctx: CallContext): Promise<void> {
  try {
    await deps.cloud.deleteSnapshot(snapshotId, op(ctx));
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return;
    // An earlier DELETE whose answer was lost may have started the deletion already: that is success too.
    const current = await deps.cloud.getSnapshot(snapshotId, op(ctx)).catch((lookup: unknown) => {
      if (isCloudError(lookup, 'NotFound')) return undefined;
      throw error;
    });
    if (current === undefined) return;
    if (current.status !== 'deleting') throw error;
  }
  await deps.waits.snapshot(
    snapshotId,
    (s) => {
      if (!s) return true;
      if (s.status === 'error_deleting') throw internal(`Cinder failed to delete snapshot ${snapshotId} (status error_deleting)`);
      return undefined;
    },
    ctx,
    `waiting for snapshot ${snapshotId} to be deleted`,
    { kind: 'snapshot-delete' },
  );
}


/**
 * How long one CreateSnapshot (or DeleteSnapshot) call waits for Cinder to finish cutting a snapshot (status
 * `creating`) at most. Some backends keep a snapshot `creating` for minutes or for good (a forced snapshot of an
 * attached NFS/localfs volume); the call must not just burn the CO's deadline.
 */
export const SNAPSHOT_CUT_WAIT_MS = 60_000;

/**
 * The bound for one call: SNAPSHOT_CUT_WAIT_MS, and at most 80 % of the time left before the call's deadline, so
 * the CO gets the driver's answer rather than its own DEADLINE_EXCEEDED.
 */
export function cutWaitMs(deadline: number | undefined, now: number): number {
  if (deadline === undefined) return SNAPSHOT_CUT_WAIT_MS;
  return Math.max(0, Math.min(SNAPSHOT_CUT_WAIT_MS, (deadline - now) * 0.8));
}

/**
 * ABORTED (the spec's "operation pending for snapshot": the CO retries with back-off, and the external-snapshotter
 * keeps the snapshot marked as being created): the snapshot is kept, and the retry, found by name, waits again.
 */
function stillBeingCut(snapshotId: string, volumeId: string): CsiError {
  return aborted(`snapshot ${snapshotId} of volume ${volumeId} is still being cut by Cinder (status creating); retry to wait for it again`);
}

/** Runs `wait` with a context whose signal also fires, with `bound()`'s error as reason, after cutWaitMs. */
async function withCutBound<R>(ctx: CallContext, bound: () => CsiError, wait: (bounded: CallContext) => Promise<R>): Promise<R> {
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(bound()), cutWaitMs(ctx.deadline, Date.now()));
  try {
    return await wait({ ...ctx, signal: AbortSignal.any([ctx.signal, limit.signal]) });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The spec: ListSnapshots SHALL NOT list a snapshot that is being created but not cut yet. Cinder has no post-cut
 * processing state, so a snapshot still "creating" is not cut.
 */
function isCut(snapshot: Snapshot): boolean {
  return snapshot.status !== 'creating';
}

/** Creates, deletes and lists Cinder snapshots: CreateSnapshot, DeleteSnapshot, ListSnapshots. */
export class Snapshotter {
  constructor(private readonly deps: ControllerDeps) {}

  /**
   * CreateSnapshot: idempotent by name (the same name on another source volume is ALREADY_EXISTS); snapshots of
   * attached volumes are refused unless force-create is "true"; returns once the snapshot is available, and
   * deletes one that went to error so nothing is left behind. A snapshot Cinder keeps `creating` longer than
   * cutWaitMs answers ABORTED (kept; the retry finds it by name and waits again).
   */
  async create(name: string, volumeId: string, params: SnapshotParameters, ctx: CallContext): Promise<CreateSnapshotResponse> {
    const { deps } = this;
    try {
      const findExisting = async (): Promise<Snapshot[]> =>
        (await deps.cloud.listSnapshots({ name }, op(ctx))).items.filter((s) => s.name === name);
      let existing = await findExisting();
      const doubt = doubtKey('snapshot', name);
      const hadDoubt = isInDoubt(deps, doubt);
      if (existing.length === 0 && hadDoubt) {
        const appeared = await awaitDoubtfulCreate(
          deps,
          doubt,
          async () => {
            const found = await findExisting();
            return found.length > 0 ? found : undefined;
          },
          ctx,
        );
        existing = appeared ?? [];
      }
      let snapshot = existing.find((s) => s.volumeId === volumeId && s.status !== 'error' && s.status !== 'deleting');
      if (!snapshot && existing.some((s) => s.volumeId !== volumeId)) {
        throw alreadyExists(`a snapshot named ${name} already exists for another source volume`);
      }
      for (const failed of existing.filter((s) => s.status === 'error')) {
        await deleteSnapshotAndWait(deps, failed.id, ctx);
      }
      if (!snapshot) {
        const sourceVolume = (): Promise<Volume> =>
          deps.cloud.getVolume(volumeId, op(ctx)).catch((error: unknown) => {
            throw isCloudError(error, 'NotFound') ? notFound(`source_volume_id: volume ${volumeId} does not exist`) : error;
          });
        const refuseInUse = (volume: Volume): void => {
          if (volume.status === 'in-use' && !params.force) {
            throw failedPrecondition(`volume ${volumeId} is in-use and parameter ${PARAM_FORCE_CREATE} is not "true"; detach it or set ${PARAM_FORCE_CREATE}: "true" in the VolumeSnapshotClass`);
          }
        };
        // Cinder itself refuses an unknown volume (404) and, without force, an in-use one (400): the volume is read
        // only then, to name the reason, instead of before every snapshot.
        snapshot = await deps.cloud.createSnapshot(
          { name, volumeId, force: params.force, metadata: { ...params.metadata, [CLUSTER_METADATA_KEY]: deps.options.clusterId } },
          op(ctx),
        ).catch(async (error: unknown) => {
          if (isCloudError(error, 'NotFound') || isCloudError(error, 'BadRequest')) refuseInUse(await sourceVolume());
          if (isCloudError(error, 'Network') || isCloudError(error, 'Timeout') || isCloudError(error, 'Unavailable')) {
            const found = (await findExisting().catch(() => undefined))?.find((s) => s.volumeId === volumeId);
            if (found) return found;
            // Cinder may still carry the request out: the retry must look for it before asking again.
            if (error.outcomeUnknown) markInDoubt(deps, doubt);
          }
          throw error;
        });
      }
      clearDoubt(deps, doubt);
      const id = snapshot.id;
      const ready = await withCutBound(ctx, () => stillBeingCut(id, volumeId), (bounded) =>
        deps.waits.snapshot(
          id,
          (s) => {
            if (!s) throw notFound(`snapshot ${id} disappeared while being created`);
            return s.status === 'creating' ? undefined : s;
          },
          bounded,
          `waiting for snapshot ${id} to become available`,
          { kind: 'snapshot', volumeType: 'any', sizeGiB: snapshot.size },
        ));
      if (ready.status !== 'available') {
        await deleteSnapshotAndWait(deps, id, { ...ctx, signal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS), deadline: Date.now() + CLEANUP_TIMEOUT_MS });
        throw resourceExhausted(`Cinder could not create snapshot ${id} (status ${ready.status}); it has been deleted`);
      }
      if (hadDoubt) {
        await removeTwinSnapshots(deps, name, ready.id, ctx);
      }
      ctx.log.info({ name, snapshotId: ready.id, volumeId }, 'snapshot ready');
      return { snapshot: toCsiSnapshot(ready) };
    } catch (error) {
      throw toCsiError(error);
    }
  }

  /** DeleteSnapshot: a missing snapshot is already deleted; one still being created is waited for first. */
  async delete(snapshotId: string, ctx: CallContext): Promise<DeleteSnapshotResponse> {
    const { deps } = this;
    try {
      const current = await deps.cloud.getSnapshot(snapshotId, op(ctx)).catch((error: unknown) => {
        if (isCloudError(error, 'NotFound')) return undefined;
        throw error;
      });
      if (!current) return {};
      if (current.status === 'creating') {
        await withCutBound(ctx, () => stillBeingCut(snapshotId, current.volumeId), (bounded) =>
          deps.waits.snapshot(snapshotId, (s) => (s === undefined || s.status !== 'creating' ? true : undefined), bounded, `waiting for snapshot ${snapshotId} to settle`));
      }
      await deleteSnapshotAndWait(deps, snapshotId, ctx);
      return {};
    } catch (error) {
      throw toCsiError(error);
    }
  }

  /** ListSnapshots: by snapshot id, by source volume, or all (cut snapshots only), paginated with Cinder markers. */
  async list(marker: string | undefined, req: ListSnapshotsRequest__Output, ctx: CallContext): Promise<ListSnapshotsResponse> {
    const { deps } = this;
    try {
      if (req.snapshotId !== '') {
        const snapshot = await deps.cloud.getSnapshot(req.snapshotId, op(ctx)).catch((error: unknown) => {
          if (isCloudError(error, 'NotFound')) return undefined;
          throw error;
        });
        const matches = snapshot && isCut(snapshot) && (req.sourceVolumeId === '' || snapshot.volumeId === req.sourceVolumeId);
        return { entries: matches ? [{ snapshot: toCsiSnapshot(snapshot) }] : [], nextToken: '' };
      }
      const filter = { volumeId: req.sourceVolumeId || undefined };
      const snapshots: Snapshot[] = [];
      let next: string | undefined = marker;
      do {
        const want = req.maxEntries > 0 ? req.maxEntries - snapshots.length : undefined;
        const page = await deps.cloud.listSnapshots({ ...filter, limit: want, marker: next }, op(ctx)).catch((error: unknown) => {
          if (next !== undefined && next === marker && isCloudError(error, 'NotFound')) {
            throw aborted(`starting_token: the snapshot it points to no longer exists; restart the listing`);
          }
          throw error;
        });
        snapshots.push(...page.items.filter(isCut));
        next = page.next;
      } while (next !== undefined && (req.maxEntries === 0 || snapshots.length < req.maxEntries));
      return {
        entries: snapshots.map((s) => ({ snapshot: toCsiSnapshot(s) })),
        nextToken: encodeToken('s', next),
      };
    } catch (error) {
      throw toCsiError(error);
    }
  }
}
