import { status } from '@grpc/grpc-js';
import type { Volume } from '../cloud/types';
import { isCloudError } from '../cloud/errors';
import type { CallContext } from '../grpc/call-context';
import { alreadyExists, CsiError, invalidArgument, notFound, resourceExhausted } from '../grpc/errors';
import type { CreateVolumeRequest__Output, CreateVolumeResponse, VolumeContentSource__Output } from '../grpc/services';
import { DEFAULT_SIZE_GIB, GiB, sizeFitsRange, sizeForRange } from './capacity';
import type { CreateParameters } from './create-parameters';
import { CLUSTER_METADATA_KEY, ControllerDeps, op } from './deps';
import { toCsiError } from '../grpc/error-mapping';
import { requireName } from '../grpc/request-validation';
import { requestedZones, zoneFromRequirements } from './topology';
import { topologyFor } from './volume-zones';
import type { CapabilityNeeds } from './volume-capabilities';
import { deleteAndWaitGone, STILL_CREATING } from './volume-lifecycle';
import { awaitDoubtfulCreate, clearDoubt, doubtKey, isInDoubt, markInDoubt } from './doubtful-creates';

interface ResolvedSource {
  readonly snapshotId?: string;
  readonly sourceVolumeId?: string;
  readonly minimumGiB: number;
  readonly zone?: string;
}


/** Snapshot statuses that end (deleted, or never restorable) rather than turn `available`. */
const SNAPSHOT_GONE = new Set(['deleting', 'deleted', 'error', 'error_deleting', 'unmanaging']);

/**
 * The answer for a source snapshot that is not `available`. The spec's CreateVolume table has no row for it: a
 * snapshot being deleted, deleted, or in error cannot ever be a source, which is the spec's "source does not
 * exist" (NOT_FOUND); one still being created (or backed up, restored) will be, so UNAVAILABLE, as upstream
 * cinder-csi answers, and the CO's retry succeeds once Cinder finishes.
 */
function unusableSnapshot(snapshotId: string, snapshotStatus: string): CsiError {
  if (SNAPSHOT_GONE.has(snapshotStatus)) {
    return notFound(
      `volume_content_source.snapshot.snapshot_id: snapshot ${snapshotId} is ${snapshotStatus}; ` +
        'it is going away or holds no data, so no volume can be restored from it',
    );
  }
  return new CsiError(status.UNAVAILABLE, `snapshot ${snapshotId} is ${snapshotStatus}, not available yet; retry once it is ready`);
}

async function resolveSource(deps: ControllerDeps, source: VolumeContentSource__Output | null, ctx: CallContext): Promise<ResolvedSource | undefined> {
  if (!source) return undefined;
  if (source.snapshot) {
    const snapshotId = requireName('volume_content_source.snapshot.snapshot_id', source.snapshot.snapshotId);
    const snapshot = await deps.cloud.getSnapshot(snapshotId, op(ctx)).catch((error: unknown) => {
      throw isCloudError(error, 'NotFound') ? notFound(`volume_content_source.snapshot.snapshot_id: snapshot ${snapshotId} does not exist`) : error;
    });
    if (snapshot.status !== 'available') throw unusableSnapshot(snapshotId, snapshot.status);
    return { snapshotId, minimumGiB: Math.max(DEFAULT_SIZE_GIB, snapshot.size) };
  }
  if (source.volume) {
    const volumeId = requireName('volume_content_source.volume.volume_id', source.volume.volumeId);
    const volume = await deps.cloud.getVolume(volumeId, op(ctx)).catch((error: unknown) => {
      throw isCloudError(error, 'NotFound') ? notFound(`volume_content_source.volume.volume_id: volume ${volumeId} does not exist`) : error;
    });
    // As for snapshots: a source still being created will do once ready (UNAVAILABLE), one going away never will.
    if (STILL_CREATING.has(volume.status)) {
      throw new CsiError(status.UNAVAILABLE, `source volume ${volumeId} is ${volume.status}, not ready yet; retry once it is`);
    }
    if (volume.status.startsWith('error') || volume.status === 'deleting') {
      throw notFound(`volume_content_source.volume.volume_id: volume ${volumeId} is ${volume.status}; it is going away or holds no data, so it cannot be cloned`);
    }
    return { sourceVolumeId: volumeId, minimumGiB: Math.max(DEFAULT_SIZE_GIB, volume.size), zone: volume.availabilityZone };
  }
  throw invalidArgument('volume_content_source', 'expected a snapshot or a volume source');
}

async function findByName(deps: ControllerDeps, name: string, ctx: CallContext): Promise<Volume | undefined> {
  const page = await deps.cloud.listVolumes({ name }, op(ctx));
  const exact = page.items.filter((v) => v.name === name);
  // Prefer the one this cluster created when another cluster happened to use the same name.
  return exact.find((v) => v.metadata[CLUSTER_METADATA_KEY] === deps.options.clusterId) ?? exact[0];
}

function incompatibility(
  volume: Volume,
  req: CreateVolumeRequest__Output,
  typeName: string,
  typeId: string,
  zone: string | undefined,
  source: ResolvedSource | undefined,
  clusterId: string,
): string | undefined {
  const owner = volume.metadata[CLUSTER_METADATA_KEY];
  if (owner !== undefined && owner !== clusterId) {
    return `it belongs to cluster "${owner}"`;
  }
  if (!sizeFitsRange(volume.size, req.capacityRange)) {
    return `its size ${volume.size} GiB does not fit the requested capacity range`;
  }
  if (volume.volumeType !== undefined && volume.volumeType !== typeName && volume.volumeType !== typeId) {
    return `its volume type is ${volume.volumeType}, not ${typeName}`;
  }
  if (zone !== undefined && volume.availabilityZone !== undefined && volume.availabilityZone !== zone) {
    return `it is in availability zone ${volume.availabilityZone}, not ${zone}`;
  }
  if ((source?.snapshotId ?? undefined) !== (volume.snapshotId ?? undefined)) {
    return `it was created from ${volume.snapshotId ? `snapshot ${volume.snapshotId}` : 'no snapshot'}`;
  }
  if ((source?.sourceVolumeId ?? undefined) !== (volume.sourceVolid ?? undefined)) {
    return `it was cloned from ${volume.sourceVolid ? `volume ${volume.sourceVolid}` : 'no volume'}`;
  }
  return undefined;
}

async function requestCreate(deps: ControllerDeps, ctx: CallContext, input: Parameters<ControllerDeps['cloud']['createVolume']>[0]): Promise<Volume> {
  try {
    return await deps.cloud.createVolume(input, op(ctx));
  } catch (error) {
    // The POST may have reached Cinder even though we saw no answer: look before reporting a failure, so the
    // volume is adopted now instead of being left for a retry to find.
    if (isCloudError(error, 'Network') || isCloudError(error, 'Timeout') || isCloudError(error, 'Unavailable')) {
      const found = await findByName(deps, input.name, ctx).catch(() => undefined);
      if (found) return found;
      if (error.outcomeUnknown) {
        // Cinder may still be processing it: the retry must look for this volume before asking for another.
        markInDoubt(deps, doubtKey('volume', input.name));
      }
    }
    throw error;
  }
}

/** Deletes other unattached volumes of this cluster with the same name: products of requests thought lost. */
async function removeTwins(deps: ControllerDeps, name: string, keepId: string, ctx: CallContext): Promise<void> {
  const page = await deps.cloud.listVolumes({ name }, op(ctx));
  for (const twin of page.items) {
    if (twin.id === keepId || twin.name !== name || twin.metadata[CLUSTER_METADATA_KEY] !== deps.options.clusterId || twin.attachments.length > 0) {
      continue;
    }
    ctx.log.warn({ volumeId: twin.id, name }, 'deleting a duplicate volume left by a create request whose answer was lost');
    await deps.cloud.deleteVolume(twin.id, op(ctx)).catch(() => undefined);
  }
}

async function waitUntilCreated(deps: ControllerDeps, volume: Volume, ctx: CallContext): Promise<Volume> {
  const volumeId = volume.id;
  const kind = volume.snapshotId ? 'create-from-snapshot' : volume.sourceVolid ? 'create-from-volume' : 'create';
  let failed: Volume | undefined;
  const ready = await deps.waits.volume(
    volumeId,
    (v) => {
      if (!v) throw new CsiError(status.ABORTED, `volume ${volumeId} disappeared while being created; retry to create it again`);
      if (v.status === 'error') {
        failed = v;
        return v;
      }
      return STILL_CREATING.has(v.status) ? undefined : v;
    },
    ctx,
    `waiting for volume ${volumeId} to become available`,
    { kind, volumeType: volume.volumeType, sizeGiB: volume.size },
  );
  if (failed) {
    ctx.log.warn({ volumeId }, 'Cinder put the new volume in status error; deleting it');
    await deleteAndWaitGone(deps, volumeId, ctx, { ignoreCallSignal: true });
    throw resourceExhausted(
      `Cinder could not create volume ${volumeId} (it went to status error, e.g. no backend with enough capacity); it has been deleted`,
    );
  }
  return ready;
}

/** Creates volumes: CreateVolume after its request is checked. */
export class VolumeCreator {
  constructor(private readonly deps: ControllerDeps) {}

  /**
   * CreateVolume: validates everything up front, then either adopts the volume a previous attempt created under
   * the same name (idempotency, and recovery after a crash mid-create) or creates one, and returns only once Cinder
   * reports it usable. A volume that ends in "error" is deleted before the call fails, so nothing is orphaned.
   */
  async create(name: string, needs: CapabilityNeeds, params: CreateParameters, req: CreateVolumeRequest__Output, ctx: CallContext): Promise<CreateVolumeResponse> {
    const { deps } = this;
    try {
      const volumeType = await deps.types.resolve(params.volumeType, 'parameters.type', op(ctx));
      if (needs.multiNode && !volumeType.multiattach) {
        throw invalidArgument(
          'volume_capabilities',
          `multi-node access modes need a volume type with multiattach="<is> True"; volume type "${volumeType.name}" does not support it`,
        );
      }
      const source = await resolveSource(deps, req.volumeContentSource, ctx);
      const sizeGiB = sizeForRange(req.capacityRange, source?.minimumGiB ?? DEFAULT_SIZE_GIB);
      const choice = await deps.zones.resolve(
        params.availability,
        zoneFromRequirements(req.accessibilityRequirements),
        requestedZones(req.accessibilityRequirements),
        op(ctx),
      );
      const zone = choice.cinderZone ?? (choice.reportZones ? undefined : source?.zone);

      let volume = await findByName(deps, name, ctx);
      const doubt = doubtKey('volume', name);
      const hadDoubt = isInDoubt(deps, doubt);
      if (!volume && hadDoubt) {
        volume = await awaitDoubtfulCreate(deps, doubt, () => findByName(deps, name, ctx), ctx);
      }
      if (volume) {
        const mismatch = incompatibility(volume, req, volumeType.name, volumeType.id, zone, source, deps.options.clusterId);
        if (mismatch) {
          throw alreadyExists(`a volume named ${name} already exists (${volume.id}) but ${mismatch}`);
        }
        if (volume.status === 'error' || volume.status === 'deleting' || volume.status === 'error_deleting') {
          // A failed earlier attempt: clear it away and start over rather than hand out a broken volume.
          await deleteAndWaitGone(deps, volume.id, ctx);
          volume = undefined;
        }
      }
      if (!volume) {
        ctx.log.info({ name, sizeGiB, volumeType: params.volumeType, availabilityZone: zone }, 'requesting a new Cinder volume');
        volume = await requestCreate(deps, ctx, {
          name,
          sizeGiB,
          volumeType: params.volumeType,
          availabilityZone: zone,
          snapshotId: source?.snapshotId,
          sourceVolumeId: source?.sourceVolumeId,
          metadata: { ...params.metadata, [CLUSTER_METADATA_KEY]: deps.options.clusterId },
          multiattach: needs.multiNode,
        });
      }
      clearDoubt(deps, doubt);
      const ready = await waitUntilCreated(deps, volume, ctx);
      if (hadDoubt) {
        await removeTwins(deps, name, ready.id, ctx);
      }
      ctx.log.info({ name, volumeId: ready.id, status: ready.status }, 'volume ready');
      return {
        volume: {
          volumeId: ready.id,
          capacityBytes: ready.size * GiB,
          volumeContext: {},
          contentSource: req.volumeContentSource ?? undefined,
          accessibleTopology: deps.options.withTopology ? topologyFor(choice, ready.availabilityZone) : [],
        },
      };
    } catch (error) {
      throw toCsiError(error);
    }
  }
}
