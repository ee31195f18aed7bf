import { type Context, newId } from './context';
import { CINDER, getVolume } from './cinder-lookup';
import { badRequest, notFound } from './errors';
import { metadataMatches, paginate, wantsCount } from './listing';
import { checkQuota } from './quota';
import type { ApiRequest, ApiResponse, Router } from './router';
import { cinderTime, type SnapshotRecord } from './state';
import { bodyObject, optBoolean, optMetadata, optString } from './validate';
import { snapshotJson } from './views';

/** From 3.66 an in-use volume can be snapshotted without force (and force=false is refused). */
const IN_USE_WITHOUT_FORCE_MV = 66;

function getSnapshot(ctx: Context, id: string): SnapshotRecord {
  const s = ctx.state.snapshots.get(id);
  if (!s) throw notFound(`Snapshot ${id} could not be found.`);
  return s;
}

/** Snapshot lists honour the metadata filter from 3.22. */
const SNAPSHOT_METADATA_FILTER_MV = 22;

function matches(s: SnapshotRecord, q: URLSearchParams, mv: number): boolean {
  const volumeId = q.get('volume_id');
  if (volumeId !== null && s.volumeId !== volumeId) return false;
  const name = q.get('name') ?? q.get('display_name');
  if (name !== null && s.name !== name) return false;
  const status = q.get('status');
  if (status !== null && s.status !== status) return false;
  const metadata = q.get('metadata');
  if (metadata !== null && mv >= SNAPSHOT_METADATA_FILTER_MV && !metadataMatches(s.metadata, metadata)) return false;
  return true;
}

function list(ctx: Context, req: ApiRequest, detail: boolean): ApiResponse {
  const projectId = req.params.project_id as string;
  const items = [...ctx.state.snapshots.values()].filter((s) => matches(s, req.query, req.mv));
  const withCount = wantsCount(req.query, req.mv);
  const page = paginate(items, req.query, `${req.baseUrl}/volume/v3/${projectId}/snapshots${detail ? '/detail' : ''}`, withCount, 'Snapshot');
  // Cinder's snapshot summary view is the full view without the extended attributes.
  const body: Record<string, unknown> = {
    snapshots: page.items.map((s) => {
      const j = snapshotJson(s, req.mv);
      if (!detail) {
        delete j['os-extended-snapshot-attributes:progress'];
        delete j['os-extended-snapshot-attributes:project_id'];
      }
      return j;
    }),
  };
  if (page.next) body.snapshots_links = [{ href: page.next, rel: 'next' }];
  if (withCount) body.count = items.length;
  return { status: 200, body };
}

function create(ctx: Context, req: ApiRequest): ApiResponse {
  const spec = bodyObject(req.body, 'snapshot');
  const volumeId = optString(spec, 'volume_id');
  if (!volumeId) throw badRequest("Invalid input for field/attribute volume_id. Value: None. 'volume_id' is a required property");
  const v = getVolume(ctx, volumeId);
  const force = optBoolean(spec, 'force');
  if (v.status === 'in-use') {
    if (req.mv >= IN_USE_WITHOUT_FORCE_MV) {
      if (force === false) {
        throw badRequest(`Invalid input received: Since microversion 3.66 the 'force' flag is invalid for this request. For backward compatability, however, when the 'force' flag is passed with a value evaluating to True, it is silently ignored.`);
      }
    } else if (force !== true) {
      throw badRequest(`Invalid volume: Volume ${v.id} status must be available, but current status is: in-use.`);
    }
  } else if (v.status !== 'available') {
    throw badRequest(`Invalid volume: Volume ${v.id} status must be available, but current status is: ${v.status}.`);
  }
  checkQuota(ctx, { snapshots: 1, gigabytes: v.size });
  const s: SnapshotRecord = {
    id: newId(),
    seq: ctx.state.nextSeq(),
    volumeId: v.id,
    name: optString(spec, 'name') ?? optString(spec, 'display_name'),
    description: optString(spec, 'description') ?? optString(spec, 'display_description'),
    size: v.size,
    status: 'creating',
    metadata: optMetadata(spec) ?? {},
    createdAt: cinderTime(),
    updatedAt: null,
    userId: req.token?.userId ?? ctx.config.mainUser.id,
    projectId: req.params.project_id as string,
  };
  ctx.state.snapshots.set(s.id, s);
  ctx.transitions.run('snapshot', async () => {
    try {
      await ctx.hypervisor.ensureVolumeFile(v.id, v.size);
      await ctx.hypervisor.copy(ctx.hypervisor.volumeFile(v.id), ctx.hypervisor.snapshotFile(s.id));
      s.status = 'available';
    } catch (e) {
      ctx.log(`creating snapshot ${s.id} failed: ${String(e)}`);
      s.status = 'error';
    }
    ctx.state.touch(s);
  });
  return { status: 202, body: { snapshot: snapshotJson(s, req.mv) } };
}

function remove(ctx: Context, req: ApiRequest): ApiResponse {
  const s = getSnapshot(ctx, req.params.snapshot_id as string);
  if (s.status !== 'available' && s.status !== 'error') {
    throw badRequest('Invalid snapshot: Volume Snapshot status must be available or error');
  }
  s.status = 'deleting';
  ctx.state.touch(s);
  ctx.transitions.run('delete', async () => {
    try {
      await ctx.hypervisor.removeFile(ctx.hypervisor.snapshotFile(s.id));
      ctx.state.snapshots.delete(s.id);
    } catch (e) {
      ctx.log(`deleting snapshot ${s.id} failed: ${String(e)}`);
      s.status = 'error_deleting';
    }
  });
  return { status: 202 };
}

export function registerSnapshots(router: Router, ctx: Context): void {
  router.add('POST', `${CINDER}/snapshots`, (req) => create(ctx, req));
  router.add('GET', `${CINDER}/snapshots`, (req) => list(ctx, req, false));
  router.add('GET', `${CINDER}/snapshots/detail`, (req) => list(ctx, req, true));
  router.add('GET', `${CINDER}/snapshots/{snapshot_id}`, (req) => ({
    status: 200,
    body: { snapshot: snapshotJson(getSnapshot(ctx, req.params.snapshot_id as string), req.mv) },
  }));
  router.add('PUT', `${CINDER}/snapshots/{snapshot_id}`, (req) => {
    const s = getSnapshot(ctx, req.params.snapshot_id as string);
    const spec = bodyObject(req.body, 'snapshot');
    if ('name' in spec) s.name = optString(spec, 'name');
    if ('description' in spec) s.description = optString(spec, 'description');
    ctx.state.touch(s);
    return { status: 200, body: { snapshot: snapshotJson(s, req.mv) } };
  });
  router.add('DELETE', `${CINDER}/snapshots/{snapshot_id}`, (req) => remove(ctx, req));
}
