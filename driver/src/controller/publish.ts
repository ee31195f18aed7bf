import type { Volume, VolumeAttachment } from '../cloud/types';
import { isCloudError } from '../cloud/errors';
import type { CallContext } from '../grpc/call-context';
import { alreadyExists, failedPrecondition, invalidArgument, notFound, resourceExhausted, unavailable } from '../grpc/errors';
import type {
  ControllerPublishVolumeRequest__Output,
  ControllerPublishVolumeResponse,
  ControllerUnpublishVolumeResponse,
} from '../grpc/services';
import { ControllerDeps, op } from './deps';
import { toCsiError } from '../grpc/error-mapping';
import { attachedServers, TRANSITIONAL, waitSettled } from './volume-lifecycle';

/** Publish context key: the device name Nova reported (a hint; the node finds the disk by volume id). */
export const PUBLISH_CONTEXT_DEVICE_PATH = 'devicePath';

function missingVolume(volumeId: string) {
  return (error: unknown): never => {
    throw isCloudError(error, 'NotFound') ? notFound(`volume ${volumeId} does not exist`) : error;
  };
}


function publishContext(attachment: VolumeAttachment): Record<string, string> {
  return { [PUBLISH_CONTEXT_DEVICE_PATH]: attachment.device ?? '' };
}

async function waitAttached(deps: ControllerDeps, volume: Volume, nodeId: string, ctx: CallContext): Promise<VolumeAttachment> {
  const volumeId = volume.id;
  let sawProgress = false;
  return deps.waits.volume(
    volumeId,
    (v) => {
      if (!v) throw notFound(`volume ${volumeId} was deleted while being attached`);
      const mine = v.attachments.find((a) => a.serverId === nodeId);
      if (mine && v.status === 'in-use') return mine;
      if (mine || v.status === 'attaching' || v.status === 'reserved') {
        sawProgress = true;
        return undefined;
      }
      if (sawProgress && (v.status === 'available' || v.status === 'in-use')) {
        throw unavailable(`Nova could not attach volume ${volumeId} to server ${nodeId} (the attachment was rolled back); retry`);
      }
      if (v.status.startsWith('error')) throw failedPrecondition(`volume ${volumeId} went to ${v.status} while being attached`);
      return undefined;
    },
    ctx,
    `waiting for volume ${volumeId} to be attached to server ${nodeId}`,
    { kind: 'attach', volumeType: volume.volumeType },
  );
}


async function detach(deps: ControllerDeps, volumeId: string, attachment: VolumeAttachment, ctx: CallContext): Promise<void> {
  try {
    await deps.cloud.detachVolume(attachment.serverId, volumeId, op(ctx));
    return;
  } catch (error) {
    if (!isCloudError(error, 'NotFound')) throw error;
  }
  // Nova no longer knows the server (or the attachment): drop Cinder's stale record of it.
  const serverExists = await deps.cloud.getServer(attachment.serverId, op(ctx)).then(
    () => true,
    (error: unknown) => {
      if (isCloudError(error, 'NotFound')) return false;
      throw error;
    },
  );
  ctx.log.warn({ volumeId, serverId: attachment.serverId, serverExists }, 'Nova has no such attachment; removing it from Cinder');
  if (attachment.attachmentId) {
    await deps.cloud.deleteVolumeAttachment(attachment.attachmentId, op(ctx)).catch((error: unknown) => {
      if (!isCloudError(error, 'NotFound')) throw error;
    });
  }
}

/** Attaches volumes to Nova servers and detaches them: ControllerPublishVolume and ControllerUnpublishVolume. */
export class VolumeAttacher {
  constructor(private readonly deps: ControllerDeps) {}

  /**
   * ControllerPublishVolume: attaches the Cinder volume to the Nova server named by node_id and returns once Cinder
   * reports it in-use there. Repeating the call for an attached volume returns the same context.
   */
  async publish(volumeId: string, nodeId: string, multiNode: boolean, req: ControllerPublishVolumeRequest__Output, ctx: CallContext): Promise<ControllerPublishVolumeResponse> {
    const { deps } = this;
    try {
      let volume: Volume | undefined = await deps.cloud.getVolume(volumeId, op(ctx)).catch(missingVolume(volumeId));
      const serverMustExist = (): Promise<unknown> =>
        deps.cloud.getServer(nodeId, op(ctx)).catch((error: unknown) => {
          throw isCloudError(error, 'NotFound') ? notFound(`node_id: server ${nodeId} does not exist`) : error;
        });
      // The plain case (an available volume, a mode it supports) needs no look at the server first: Nova's attach
      // answers 404 for an unknown server, checked then. Every other path checks first, as its answer depends on it.
      if (volume.status !== 'available' || (multiNode && !volume.multiattach)) await serverMustExist();
      if (multiNode && !volume.multiattach) {
        if (volume.attachments.some((a) => a.serverId === nodeId)) {
          // The spec's "published but incompatible": already on this node, now asked for a mode it cannot have.
          throw alreadyExists(`volume ${volumeId} is already published to ${nodeId} and is not multiattach; ${req.volumeCapability?.accessMode?.mode} is incompatible`);
        }
        throw invalidArgument('volume_capability', `volume ${volumeId} is not multiattach; a multi-node access mode cannot be granted`);
      }
      if (TRANSITIONAL.has(volume.status)) {
        volume = await waitSettled(deps, volumeId, ctx);
        if (!volume) throw notFound(`volume ${volumeId} does not exist`);
      }
      const mine = volume.attachments.find((a) => a.serverId === nodeId);
      if (mine && volume.status === 'in-use') {
        return { publishContext: publishContext(mine) };
      }
      // Cinder lists an attachment only once it is attached; Nova knows a reservation from the request on.
      const underway = mine ?? (volume.status !== 'available' ? await deps.cloud.getServerAttachment(nodeId, volumeId, op(ctx)) : undefined);
      if (underway) {
        // An attach to this node is already under way (an earlier call ran out of time): finish waiting for it.
        return { publishContext: publishContext(await waitAttached(deps, volume, nodeId, ctx)) };
      }
      const others = attachedServers(volume).filter((server) => server !== nodeId);
      if (others.length > 0 && !volume.multiattach) {
        throw failedPrecondition(`volume ${volumeId} is attached to server ${others.join(', ')} and does not support multiattach`);
      }
      if (volume.status !== 'available' && !(volume.multiattach && (volume.status === 'in-use' || volume.status === 'reserved'))) {
        throw failedPrecondition(`volume ${volumeId} is ${volume.status}; it can be attached only when available`);
      }
      await deps.cloud.attachVolume(nodeId, volumeId, { multiattach: volume.multiattach }, op(ctx)).catch(async (error: unknown) => {
        // Nova answers 403 when the server has no free device slot left.
        if (isCloudError(error, 'Forbidden') && /maximum|limit/i.test(error.message)) {
          throw resourceExhausted(error.message);
        }
        if (isCloudError(error, 'NotFound')) await serverMustExist();
        throw error;
      });
      const attachment = await waitAttached(deps, volume, nodeId, ctx);
      ctx.log.info({ volumeId, nodeId, device: attachment.device }, 'volume attached');
      return { publishContext: publishContext(attachment) };
    } catch (error) {
      throw toCsiError(error);
    }
  }

  /**
   * ControllerUnpublishVolume: detaches from node_id (or from every server when node_id is empty) and waits until
   * Cinder no longer lists the attachment. A vanished volume or server counts as unpublished; an attachment left
   * behind by a deleted server is removed on the Cinder side so the volume does not stay stuck in-use.
   */
  async unpublish(volumeId: string, nodeId: string, ctx: CallContext): Promise<ControllerUnpublishVolumeResponse> {
    const { deps } = this;
    try {
      let volume: Volume | undefined = await deps.cloud.getVolume(volumeId, op(ctx)).catch((error: unknown) => {
        if (isCloudError(error, 'NotFound')) return undefined;
        throw error;
      });
      if (volume && (TRANSITIONAL.has(volume.status) || volume.status === 'reserved')) {
        // Nova refuses to detach an attachment that is still being set up; let it finish first.
        volume = await waitSettled(deps, volumeId, ctx, ['reserved']);
      }
      if (!volume) return {};
      const targets = volume.attachments.filter((a) => nodeId === '' || a.serverId === nodeId);
      if (targets.length === 0) return {};
      for (const attachment of targets) {
        await detach(deps, volumeId, attachment, ctx);
      }
      const servers = new Set(targets.map((a) => a.serverId));
      await deps.waits.volume(
        volumeId,
        (v) => {
          if (!v) return true;
          if (v.status === 'detaching') return undefined;
          return v.attachments.some((a) => servers.has(a.serverId)) ? undefined : true;
        },
        ctx,
        `waiting for volume ${volumeId} to be detached`,
        { kind: 'detach', volumeType: volume.volumeType },
      );
      ctx.log.info({ volumeId, nodeIds: [...servers] }, 'volume detached');
      return {};
    } catch (error) {
      throw toCsiError(error);
    }
  }
}
