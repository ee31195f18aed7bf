import type { Volume } from '../cloud/types';
import { isCloudError } from '../cloud/errors';
import type { CallContext } from '../grpc/call-context';
import { failedPrecondition, internal, notFound } from '../grpc/errors';
import type { ControllerExpandVolumeResponse, ControllerModifyVolumeResponse } from '../grpc/services';
import { GiB } from './capacity';
import { ControllerDeps, op } from './deps';
import { toCsiError } from '../grpc/error-mapping';
import { TRANSITIONAL, waitSettled } from './volume-lifecycle';

async function settledVolume(deps: ControllerDeps, volumeId: string, ctx: CallContext): Promise<Volume> {
  let volume: Volume | undefined = await deps.cloud.getVolume(volumeId, op(ctx)).catch((error: unknown) => {
    throw isCloudError(error, 'NotFound') ? notFound(`volume ${volumeId} does not exist`) : error;
  });
  if (TRANSITIONAL.has(volume.status)) {
    volume = await waitSettled(deps, volumeId, ctx);
    if (!volume) throw notFound(`volume ${volumeId} does not exist`);
  }
  return volume;
}

/**
 * Why a retype ended without the new type: a cross-backend retype migrates the data, and when that migration fails
 * Cinder puts the volume back (`available` or `in-use`) with the OLD type and `migration_status: error` (visible to
 * admins only; others see none). Not retried: the same migration fails again until the backends change.
 */
export function retypeFailure(volumeId: string, wanted: string, v: Volume): string {
  const migration = v.migrationStatus === undefined ? 'Cinder reports no migration status to this account' : `Cinder's migration_status is ${v.migrationStatus}`;
  const failed = v.migrationStatus === 'error' ? ': the migration to the new type\'s backend failed' : '';
  return `volume ${volumeId} was not retyped to ${wanted}: Cinder ended the retype with the volume ${v.status} and still of type ${v.volumeType ?? 'none'} (${migration})${failed}`;
}

/** Changes existing volumes: ControllerExpandVolume and ControllerModifyVolume. */
export class VolumeUpdater {
  constructor(private readonly deps: ControllerDeps) {}

  /**
   * ControllerExpandVolume: grows the Cinder volume, online (in-use, Cinder 3.42) or offline, and waits until the
   * new size is reported. A filesystem volume then needs the node to grow its filesystem (node_expansion_required).
   */
  async expand(volumeId: string, newSizeGiB: number, nodeExpansionRequired: boolean, ctx: CallContext): Promise<ControllerExpandVolumeResponse> {
    const { deps } = this;
    try {
      const volume = await settledVolume(deps, volumeId, ctx);
      if (volume.size >= newSizeGiB) {
        return { capacityBytes: volume.size * GiB, nodeExpansionRequired };
      }
      if (volume.status !== 'available' && volume.status !== 'in-use') {
        throw failedPrecondition(`volume ${volumeId} is ${volume.status}; it can be expanded only when available or in-use`);
      }
      await deps.cloud.extendVolume(volumeId, newSizeGiB, { inUse: volume.status === 'in-use' }, op(ctx));
      const grown = await deps.waits.volume(
        volumeId,
        (v) => {
          if (!v) throw notFound(`volume ${volumeId} was deleted while being expanded`);
          if (v.status === 'error_extending') throw internal(`Cinder failed to extend volume ${volumeId} (status error_extending)`);
          return v.status !== 'extending' && v.size >= newSizeGiB ? v : undefined;
        },
        ctx,
        `waiting for volume ${volumeId} to grow to ${newSizeGiB} GiB`,
        { kind: volume.status === 'in-use' ? 'extend-online' : 'extend', volumeType: volume.volumeType, sizeGiB: newSizeGiB },
      );
      ctx.log.info({ volumeId, sizeGiB: grown.size, online: volume.status === 'in-use' }, 'volume expanded');
      return { capacityBytes: grown.size * GiB, nodeExpansionRequired };
    } catch (error) {
      throw toCsiError(error);
    }
  }

  /** ControllerModifyVolume: the one mutable parameter is `type`, applied by a Cinder retype (migrating if needed). */
  async modify(volumeId: string, wanted: string, ctx: CallContext): Promise<ControllerModifyVolumeResponse> {
    const { deps } = this;
    try {
      const volume = await settledVolume(deps, volumeId, ctx);
      const type = await deps.types.resolve(wanted, 'mutable_parameters.type', op(ctx));
      if (volume.volumeType === type.name || volume.volumeType === type.id) return {};
      await deps.cloud.retypeVolume(volumeId, type.name, op(ctx));
      await deps.waits.volume(
        volumeId,
        (v) => {
          if (!v) throw notFound(`volume ${volumeId} was deleted while being retyped`);
          if (v.status.startsWith('error')) throw internal(`Cinder failed to retype volume ${volumeId} (status ${v.status})`);
          if (v.status === 'retyping') return undefined;
          if (v.volumeType === type.name || v.volumeType === type.id) return true;
          // Cinder marks the volume `retyping` before it answers 202 (and only listings started after that answer
          // count), so a settled volume of the old type is a retype Cinder gave up, typically a failed migration.
          throw failedPrecondition(retypeFailure(volumeId, type.name, v));
        },
        ctx,
        `waiting for volume ${volumeId} to become type ${type.name}`,
        { kind: 'retype', volumeType: type.name, sizeGiB: volume.size },
      );
      return {};
    } catch (error) {
      throw toCsiError(error);
    }
  }
}
