import type { Volume } from '../cloud/types';
import { isCloudError } from '../cloud/errors';
import type { CallContext } from '../grpc/call-context';
import { failedPrecondition, internal, invalidArgument, notFound } from '../grpc/errors';
import type {
  ControllerExpandVolumeRequest__Output,
  ControllerExpandVolumeResponse,
  ControllerModifyVolumeRequest__Output,
  ControllerModifyVolumeResponse,
} from '../grpc/services';
import { GiB, sizeForRange } from './capacity';
import { PARAM_TYPE } from './create-parameters';
import { ControllerDeps, op, requireField } from './deps';
import { toCsiError } from './error-mapping';
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
 * ControllerExpandVolume: grows the Cinder volume, online (in-use, Cinder 3.42) or offline, and waits until the
 * new size is reported. A filesystem volume then needs the node to grow its filesystem (node_expansion_required).
 */
export async function controllerExpandVolume(
  deps: ControllerDeps,
  req: ControllerExpandVolumeRequest__Output,
  ctx: CallContext,
): Promise<ControllerExpandVolumeResponse> {
  const volumeId = requireField(req.volumeId, 'volume_id');
  if (!req.capacityRange || (Number(req.capacityRange.requiredBytes) <= 0 && Number(req.capacityRange.limitBytes) <= 0)) {
    throw invalidArgument('capacity_range', 'expected required_bytes and/or limit_bytes for the new size');
  }
  const newSizeGiB = sizeForRange(req.capacityRange);
  const nodeExpansionRequired = !req.volumeCapability?.block;
  return deps.guard.run([`volume:${volumeId}`], async () => {
    try {
      const volume = await settledVolume(deps, volumeId, ctx);
      if (volume.size >= newSizeGiB) {
        return { capacityBytes: volume.size * GiB, nodeExpansionRequired };
      }
      if (volume.status !== 'available' && volume.status !== 'in-use') {
        throw failedPrecondition(`volume ${volumeId} is ${volume.status}; it can be expanded only when available or in-use`);
      }
      await deps.cloud.extendVolume(volumeId, newSizeGiB, op(ctx));
      const grown = await deps.waits.volume(
        volumeId,
        (v) => {
          if (!v) throw notFound(`volume ${volumeId} was deleted while being expanded`);
          if (v.status === 'error_extending') throw internal(`Cinder failed to extend volume ${volumeId} (status error_extending)`);
          return v.status !== 'extending' && v.size >= newSizeGiB ? v : undefined;
        },
        ctx,
        `waiting for volume ${volumeId} to grow to ${newSizeGiB} GiB`,
      );
      ctx.log.info({ volumeId, sizeGiB: grown.size, online: volume.status === 'in-use' }, 'volume expanded');
      return { capacityBytes: grown.size * GiB, nodeExpansionRequired };
    } catch (error) {
      throw toCsiError(error);
    }
  });
}

/** ControllerModifyVolume: the one mutable parameter is `type`, applied by a Cinder retype (migrating if needed). */
export async function controllerModifyVolume(
  deps: ControllerDeps,
  req: ControllerModifyVolumeRequest__Output,
  ctx: CallContext,
): Promise<ControllerModifyVolumeResponse> {
  const volumeId = requireField(req.volumeId, 'volume_id');
  if (Object.keys(req.mutableParameters).length === 0) {
    throw invalidArgument('mutable_parameters', `expected at least one parameter to change (${PARAM_TYPE})`);
  }
  for (const key of Object.keys(req.mutableParameters)) {
    if (key !== PARAM_TYPE) throw invalidArgument(`mutable_parameters.${key}`, `unknown mutable parameter; expected ${PARAM_TYPE}`);
  }
  const wanted = req.mutableParameters[PARAM_TYPE];
  if (wanted === undefined) return {};
  if (wanted.trim() === '') throw invalidArgument('mutable_parameters.type', 'expected a Cinder volume type name or id');
  return deps.guard.run([`volume:${volumeId}`], async () => {
    try {
      const volume = await settledVolume(deps, volumeId, ctx);
      const type = await deps.types.resolve(wanted, 'mutable_parameters.type', op(ctx));
      if (volume.volumeType === type.name || volume.volumeType === type.id) return {};
      await deps.cloud.retypeVolume(volumeId, type.name, op(ctx));
      let sawRetyping = false;
      await deps.waits.volume(
        volumeId,
        (v) => {
          if (!v) throw notFound(`volume ${volumeId} was deleted while being retyped`);
          if (v.status.startsWith('error')) throw internal(`Cinder failed to retype volume ${volumeId} (status ${v.status})`);
          if (v.status === 'retyping') {
            sawRetyping = true;
            return undefined;
          }
          if (v.volumeType === type.name || v.volumeType === type.id) return true;
          if (sawRetyping) throw internal(`Cinder did not retype volume ${volumeId}: it is still ${v.volumeType ?? 'untyped'}`);
          return undefined;
        },
        ctx,
        `waiting for volume ${volumeId} to become type ${type.name}`,
      );
      return {};
    } catch (error) {
      throw toCsiError(error);
    }
  });
}
