import { type Context, newId, type VolumeTypeRecord } from './context';
import { registerCinderActions } from './cinder-actions';
import { registerCinderAttachments } from './cinder-attachments';
import { registerCinderInfo } from './cinder-info';
import { registerSnapshots } from './cinder-snapshots';
import { CINDER, findVolumeType, getVolume } from './cinder-lookup';
import { badRequest, notFound } from './errors';
import { metadataMatches, paginate, wantsCount } from './listing';
import { checkQuota } from './quota';
import type { ApiRequest, ApiResponse, Router } from './router';
import { cinderTime, type VolumeRecord } from './state';
import type { VolumeStatus } from './types';
import { bodyObject, optBoolean, optMetadata, optPositiveInt, optString } from './validate';
import { volumeJson, volumeSummaryJson } from './views';

/** Statuses from which Cinder lets a volume be deleted. */
const DELETABLE: VolumeStatus[] = ['available', 'error', 'error_extending'];

function matchesFilters(v: VolumeRecord, q: URLSearchParams): boolean {
  const name = q.get('name') ?? q.get('display_name');
  if (name !== null && v.name !== name) return false;
  const status = q.get('status');
  if (status !== null && v.status !== status) return false;
  const az = q.get('availability_zone');
  if (az !== null && v.availabilityZone !== az) return false;
  const bootable = q.get('bootable');
  if (bootable !== null && v.bootable !== /^(t|true|1)$/i.test(bootable)) return false;
  const metadata = q.get('metadata');
  if (metadata !== null && !metadataMatches(v.metadata, metadata)) return false;
  return true;
}

function list(ctx: Context, req: ApiRequest, detail: boolean): ApiResponse {
  const projectId = req.params.project_id as string;
  const items = [...ctx.state.volumes.values()].filter((v) => matchesFilters(v, req.query));
  const pageUrl = `${req.baseUrl}/volume/v3/${projectId}/volumes${detail ? '/detail' : ''}`;
  const withCount = wantsCount(req.query, req.mv);
  const page = paginate(items, req.query, pageUrl, withCount);
  const body: Record<string, unknown> = {
    volumes: page.items.map((v) => (detail ? volumeJson(v, req.mv, req.baseUrl) : volumeSummaryJson(v, req.baseUrl))),
  };
  if (page.next) body.volumes_links = [{ href: page.next, rel: 'next' }];
  if (withCount) body.count = items.length;
  return { status: 200, body };
}

function create(ctx: Context, req: ApiRequest): ApiResponse {
  const spec = bodyObject(req.body, 'volume');
  const name = optString(spec, 'name') ?? optString(spec, 'display_name');
  const description = optString(spec, 'description') ?? optString(spec, 'display_description');
  const metadata = optMetadata(spec) ?? {};
  let size = optPositiveInt(spec, 'size');
  const snapshotId = optString(spec, 'snapshot_id');
  const sourceVolid = optString(spec, 'source_volid');
  if (snapshotId && sourceVolid) throw badRequest('Invalid input received: Cannot specify both snapshot_id and source_volid.');
  let az = optString(spec, 'availability_zone');
  let typeName = optString(spec, 'volume_type');

  let sourceFile: string | undefined;
  let ensureSource = async (): Promise<void> => undefined;
  if (snapshotId) {
    const snap = ctx.state.snapshots.get(snapshotId);
    if (!snap) throw notFound(`Snapshot ${snapshotId} could not be found.`);
    if (snap.status !== 'available') {
      throw badRequest(`Invalid snapshot: Originating snapshot status must be one of 'available' values`);
    }
    const origin = ctx.state.volumes.get(snap.volumeId);
    size ??= snap.size;
    if (size < snap.size) {
      throw badRequest(`Invalid input received: Volume size '${size}'GB cannot be smaller than the snapshot size ${snap.size}GB. They must be >= original snapshot size.`);
    }
    if (origin) {
      if (az && az !== origin.availabilityZone) {
        throw badRequest('Invalid input received: Volume must be in the same availability zone as the snapshot');
      }
      az ??= origin.availabilityZone;
      typeName ??= origin.volumeType;
    }
    sourceFile = ctx.hypervisor.snapshotFile(snap.id);
  } else if (sourceVolid) {
    const src = ctx.state.volumes.get(sourceVolid);
    if (!src) throw notFound(`Volume ${sourceVolid} could not be found.`);
    if (src.status !== 'available' && src.status !== 'in-use') {
      throw badRequest(`Invalid volume: Unable to create a volume from an originating source volume when its status is not 'available' or 'in-use'. The source volume status is ${src.status}.`);
    }
    size ??= src.size;
    if (size < src.size) {
      throw badRequest(`Invalid input received: Volume size '${size}'GB cannot be smaller than original volume size ${src.size}GB. They must be >= original volume size.`);
    }
    if (az && az !== src.availabilityZone) {
      throw badRequest('Invalid input received: Volume must be in the same availability zone as the source volume');
    }
    az ??= src.availabilityZone;
    typeName ??= src.volumeType;
    sourceFile = ctx.hypervisor.volumeFile(src.id);
    const source = src;
    ensureSource = () => ctx.hypervisor.ensureVolumeFile(source.id, source.size);
  }
  if (size === undefined) {
    throw badRequest(
      'Invalid input received: Invalid volume size provided for create request: None (size argument must be an integer (or string representation of an integer) and greater than zero).',
    );
  }
  const type = typeName ? findVolumeType(ctx, typeName) : (ctx.config.volumeTypes[0] as VolumeTypeRecord);
  // Cinder removed the request flag: multiattach comes only from the volume type now.
  if (optBoolean(spec, 'multiattach') === true) {
    throw badRequest(
      'multiattach parameter has been removed. The default behavior is to use multiattach enabled volume types. Contact your administrator to create a multiattach enabled volume type and use it to create multiattach volumes.',
    );
  }
  az ??= ctx.config.availabilityZones[0] as string;
  if (!ctx.config.availabilityZones.includes(az)) throw badRequest(`Availability zone '${az}' is invalid.`);
  checkQuota(ctx, { volumes: 1, gigabytes: size });

  const v: VolumeRecord = {
    id: newId(),
    seq: ctx.state.nextSeq(),
    name,
    description,
    size,
    status: 'creating',
    volumeType: type.name,
    volumeTypeId: type.id,
    availabilityZone: az,
    multiattach: type.multiattach,
    bootable: false,
    metadata,
    snapshotId,
    sourceVolid,
    createdAt: cinderTime(),
    updatedAt: null,
    userId: req.token?.userId ?? ctx.config.mainUser.id,
    projectId: req.params.project_id as string,
    attachments: [],
  };
  ctx.state.volumes.set(v.id, v);
  const fail = ctx.faults.takeCreateFailure(name);
  const finalSize = size;
  ctx.transitions.run('create', async () => {
    if (fail) {
      v.status = 'error';
    } else {
      const file = ctx.hypervisor.volumeFile(v.id);
      try {
        if (sourceFile) {
          await ensureSource();
          await ctx.hypervisor.copy(sourceFile, file, finalSize);
        }
        else await ctx.hypervisor.createVolumeFile(v.id, finalSize);
        v.status = 'available';
      } catch (e) {
        ctx.log(`creating volume ${v.id} failed: ${String(e)}`);
        v.status = 'error';
      }
    }
    ctx.state.touch(v);
  });
  return { status: 202, body: { volume: volumeJson(v, req.mv, req.baseUrl) } };
}

function remove(ctx: Context, req: ApiRequest): ApiResponse {
  const v = getVolume(ctx, req.params.volume_id as string);
  const cascade = /^(t|true|1|yes)$/i.test(req.query.get('cascade') ?? '');
  const snaps = [...ctx.state.snapshots.values()].filter((s) => s.volumeId === v.id);
  const snapshotsBlock = cascade
    ? snaps.some((s) => s.status !== 'available' && s.status !== 'error')
    : snaps.length > 0;
  // Cinder's single conditional update: one message whatever condition failed.
  if (!DELETABLE.includes(v.status) || v.attachments.length > 0 || snapshotsBlock) {
    throw badRequest(
      'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.',
    );
  }
  v.status = 'deleting';
  ctx.state.touch(v);
  for (const s of snaps) s.status = 'deleting';
  ctx.transitions.run('delete', async () => {
    try {
      for (const s of snaps) {
        await ctx.hypervisor.removeFile(ctx.hypervisor.snapshotFile(s.id));
        ctx.state.snapshots.delete(s.id);
      }
      await ctx.hypervisor.removeFile(ctx.hypervisor.volumeFile(v.id));
      ctx.state.volumes.delete(v.id);
    } catch (e) {
      ctx.log(`deleting volume ${v.id} failed: ${String(e)}`);
      v.status = 'error_deleting';
    }
  });
  return { status: 202 };
}

function update(ctx: Context, req: ApiRequest): ApiResponse {
  const v = getVolume(ctx, req.params.volume_id as string);
  const spec = bodyObject(req.body, 'volume');
  if ('name' in spec) v.name = optString(spec, 'name');
  if ('description' in spec) v.description = optString(spec, 'description');
  const md = optMetadata(spec);
  if (md) v.metadata = md;
  ctx.state.touch(v);
  return { status: 200, body: { volume: volumeJson(v, req.mv, req.baseUrl) } };
}

export function registerCinder(router: Router, ctx: Context): void {
  registerCinderInfo(router, ctx);
  router.add('POST', `${CINDER}/volumes`, (req) => create(ctx, req));
  router.add('GET', `${CINDER}/volumes`, (req) => list(ctx, req, false));
  router.add('GET', `${CINDER}/volumes/detail`, (req) => list(ctx, req, true));
  router.add('GET', `${CINDER}/volumes/{volume_id}`, (req) => ({
    status: 200,
    body: { volume: volumeJson(getVolume(ctx, req.params.volume_id as string), req.mv, req.baseUrl) },
  }));
  router.add('PUT', `${CINDER}/volumes/{volume_id}`, (req) => update(ctx, req));
  router.add('DELETE', `${CINDER}/volumes/{volume_id}`, (req) => remove(ctx, req));
  registerCinderActions(router, ctx);
  registerSnapshots(router, ctx);
  registerCinderAttachments(router, ctx);
}
