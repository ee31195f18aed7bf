import type { Context } from './context';
import { CINDER } from './cinder-lookup';
import { ApiError, notFound } from './errors';
import type { ApiRequest, Router } from './router';
import type { AttachmentRecord, VolumeRecord } from './state';

/** The attachments API exists from volume 3.27; below it Cinder answers 404 as for an unknown URL. */
const ATTACHMENTS_MV = 27;

type Json = Record<string, unknown>;

function requireVersion(req: ApiRequest): void {
  if (req.mv < ATTACHMENTS_MV) throw new ApiError(404, 'The resource could not be found.');
}

function all(ctx: Context): Array<{ v: VolumeRecord; a: AttachmentRecord }> {
  const out: Array<{ v: VolumeRecord; a: AttachmentRecord }> = [];
  for (const v of ctx.state.volumes.values()) for (const a of v.attachments) out.push({ v, a });
  return out;
}

function find(ctx: Context, id: string): { v: VolumeRecord; a: AttachmentRecord } {
  const found = all(ctx).find(({ a }) => a.attachmentId === id);
  if (!found) throw notFound(`Volume attachment could not be found with filter: attachment_id = ${id}.`);
  return found;
}

function summary(v: VolumeRecord, a: AttachmentRecord): Json {
  return { id: a.attachmentId, status: a.attachStatus, instance: a.serverId, volume_id: v.id };
}

function detail(v: VolumeRecord, a: AttachmentRecord): Json {
  return {
    ...summary(v, a),
    attached_at: a.attachStatus === 'reserved' ? null : a.attachedAt,
    detached_at: null,
    attach_mode: a.attachStatus === 'reserved' ? 'null' : 'rw',
    connection_info: a.attachStatus === 'reserved' ? {} : { driver_volume_type: 'local', device_path: a.loopDevice ?? null },
  };
}

/** Cinder's attachments API, as far as a CSI controller uses it: list, show and delete (force-clean) attachments. */
export function registerCinderAttachments(router: Router, ctx: Context): void {
  router.add('GET', `${CINDER}/attachments`, (req) => {
    requireVersion(req);
    const volumeId = req.query.get('volume_id');
    const items = all(ctx).filter(({ v }) => volumeId === null || v.id === volumeId);
    return { status: 200, body: { attachments: items.map(({ v, a }) => summary(v, a)) } };
  });
  router.add('GET', `${CINDER}/attachments/detail`, (req) => {
    requireVersion(req);
    const volumeId = req.query.get('volume_id');
    const items = all(ctx).filter(({ v }) => volumeId === null || v.id === volumeId);
    return { status: 200, body: { attachments: items.map(({ v, a }) => detail(v, a)) } };
  });
  router.add('GET', `${CINDER}/attachments/{attachment_id}`, (req) => {
    requireVersion(req);
    const { v, a } = find(ctx, req.params.attachment_id as string);
    return { status: 200, body: { attachment: detail(v, a) } };
  });
  router.add('DELETE', `${CINDER}/attachments/{attachment_id}`, async (req) => {
    requireVersion(req);
    const { v, a } = find(ctx, req.params.attachment_id as string);
    // Synchronous in Cinder too (an RPC call to the volume manager): the target is gone when this returns.
    v.attachments = v.attachments.filter((x) => x !== a);
    ctx.state.servers.get(a.serverId)?.devices.delete(a.device);
    if (v.attachments.length === 0) {
      await ctx.hypervisor.detach(v.id);
      v.status = 'available';
    }
    ctx.state.touch(v);
    return { status: 200, body: { attachments: v.attachments.map((x) => summary(v, x)) } };
  });
}
