import type { Volume } from '../cloud/types';
import { isCloudError } from '../cloud/errors';
import type { CallContext } from '../grpc/call-context';
import { failedPrecondition, internal } from '../grpc/errors';
import type { DeleteVolumeResponse } from '../grpc/services';
import { ControllerDeps, op } from './deps';
import { toCsiError } from '../grpc/error-mapping';

/** Cinder statuses of a volume that is not yet usable. */
export const STILL_CREATING: ReadonlySet<string> = new Set(['creating', 'downloading']);
/** Statuses that end on their own; an operation that needs a settled volume waits them out. */
export const TRANSITIONAL: ReadonlySet<string> = new Set(['creating', 'downloading', 'attaching', 'detaching', 'extending', 'retyping', 'maintenance']);

/** A background clean-up must not be cut short by the CSI call that triggered it. */
const CLEANUP_TIMEOUT_MS = 120_000;

export function attachedServers(volume: Volume): string[] {
  return [...new Set(volume.attachments.map((a) => a.serverId))];
}

/** Waits until the volume leaves every transitional status; undefined when it disappeared meanwhile. */
export async function waitSettled(
  deps: ControllerDeps,
  volumeId: string,
  ctx: CallContext,
  alsoWaitOut: readonly string[] = [],
): Promise<Volume | undefined> {
  const result = await deps.waits.volume(
    volumeId,
    (v) => (v === undefined ? { v } : TRANSITIONAL.has(v.status) || alsoWaitOut.includes(v.status) ? undefined : { v }),
    ctx,
    `waiting for volume ${volumeId} to finish its current operation`,
  );
  return result.v;
}

/**
 * Deletes a volume and waits until Cinder no longer lists it. A missing volume counts as deleted.
 * With ignoreCallSignal, the clean-up runs to completion even if the CSI call is cancelled meanwhile.
 */
export async function deleteAndWaitGone(
  deps: ControllerDeps,
  volumeId: string,
  ctx: CallContext,
  options: { ignoreCallSignal?: boolean } = {},
): Promise<void> {
  const waitCtx: CallContext = options.ignoreCallSignal
    ? { ...ctx, signal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS), deadline: Date.now() + CLEANUP_TIMEOUT_MS }
    : ctx;
  try {
    await deps.cloud.deleteVolume(volumeId, op(waitCtx));
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return;
    // An earlier DELETE whose answer was lost may have started the deletion already: that is success too.
    const current = await deps.cloud.getVolume(volumeId, op(waitCtx)).catch((lookup: unknown) => {
      if (isCloudError(lookup, 'NotFound')) return undefined;
      throw error;
    });
    if (current === undefined) return;
    if (current.status !== 'deleting') throw error;
  }
  await deps.waits.volume(
    volumeId,
    (v) => {
      if (v === undefined) return true;
      if (v.status === 'error_deleting') throw internal(`Cinder failed to delete volume ${volumeId} (status error_deleting)`);
      return undefined;
    },
    waitCtx,
    `waiting for volume ${volumeId} to be deleted`,
    { kind: 'delete' },
  );
}

/** Deletes volumes: DeleteVolume after its request is checked. */
export class VolumeDeleter {
  constructor(private readonly deps: ControllerDeps) {}

  /**
   * DeleteVolume: a missing volume is already deleted (success). A volume still attached is refused with
   * FAILED_PRECONDITION, but one that is only finishing a detach is waited for, so that a delete racing the
   * preceding unpublish does not fail (the cause of PVs stuck in Terminating).
   */
  async delete(volumeId: string, ctx: CallContext): Promise<DeleteVolumeResponse> {
    const { deps } = this;
    try {
      let volume: Volume | undefined = await deps.cloud.getVolume(volumeId, op(ctx)).catch((error: unknown) => {
        if (isCloudError(error, 'NotFound')) return undefined;
        throw error;
      });
      if (volume && TRANSITIONAL.has(volume.status)) {
        volume = await waitSettled(deps, volumeId, ctx);
      }
      if (!volume) return {};
      const servers = attachedServers(volume);
      if (servers.length > 0 || volume.status === 'in-use' || volume.status === 'reserved') {
        throw failedPrecondition(
          `volume ${volumeId} is ${volume.status} (attached to ${servers.join(', ') || 'a server'}); unpublish it before deleting`,
        );
      }
      await deleteAndWaitGone(deps, volumeId, ctx);
      ctx.log.info({ volumeId }, 'volume deleted');
      return {};
    } catch (error) {
      throw toCsiError(error);
    }
  }
}
