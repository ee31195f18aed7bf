import type { Volume } from '../cloud/types';
import { isCloudError } from '../cloud/errors';
import type { CallContext } from '../grpc/call-context';
import { aborted, notFound } from '../grpc/errors';
import type {
  ControllerGetVolumeResponse,
  GetCapacityResponse,
  ListVolumesRequest__Output,
  ListVolumesResponse,
  ValidateVolumeCapabilitiesRequest__Output,
  ValidateVolumeCapabilitiesResponse,
  Volume as CsiVolume,
  VolumeCondition,
} from '../grpc/services';
import { GiB } from './capacity';
import { parseCreateParameters } from './create-parameters';
import { ControllerDeps, op } from './deps';
import { toCsiError } from '../grpc/error-mapping';
import { encodeToken } from './page-token';
import { accessibleTopology } from './topology';
import { isMultiNode, unsupportedReason } from './volume-capabilities';
import { attachedServers } from './volume-lifecycle';

/** Cinder's default osapi_max_limit: no page is larger. */
const LIST_PAGE = 1000;

export function toCsiVolume(volume: Volume, withTopology: boolean): CsiVolume {
  const contentSource = volume.snapshotId
    ? { snapshot: { snapshotId: volume.snapshotId } }
    : volume.sourceVolid
      ? { volume: { volumeId: volume.sourceVolid } }
      : null;
  return {
    volumeId: volume.id,
    capacityBytes: volume.size * GiB,
    volumeContext: {},
    contentSource,
    accessibleTopology: withTopology ? accessibleTopology(volume.availabilityZone) : [],
  };
}

/** Abnormal when Cinder reports an error status; the message says which, so an operator knows what to look at. */
export function conditionOf(volume: Volume): VolumeCondition {
  if (volume.status.startsWith('error')) {
    return { abnormal: true, message: `Cinder reports volume status ${volume.status}` };
  }
  return { abnormal: false, message: `volume is ${volume.status}` };
}

async function getVolumeOrNotFound(deps: ControllerDeps, volumeId: string, ctx: CallContext): Promise<Volume> {
  return deps.cloud.getVolume(volumeId, op(ctx)).catch((error: unknown) => {
    throw isCloudError(error, 'NotFound') ? notFound(`volume ${volumeId} does not exist`) : error;
  });
}

/** Answers questions about volumes: ListVolumes, ControllerGetVolume, ValidateVolumeCapabilities, GetCapacity. */
export class VolumeReader {
  constructor(private readonly deps: ControllerDeps) {}

  /** ListVolumes: every volume of the project, paginated with Cinder markers wrapped in a plugin token. */
  async list(marker: string | undefined, req: ListVolumesRequest__Output, ctx: CallContext): Promise<ListVolumesResponse> {
    const { deps } = this;
    try {
      const volumes: Volume[] = [];
      let next: string | undefined = marker;
      do {
        // One more than wanted: whether it exists tells if a next page has anything (Cinder links a next page
        // whenever a page is full, so trusting its link would hand the CO an empty last page).
        const want = req.maxEntries > 0 ? Math.min(LIST_PAGE, req.maxEntries - volumes.length + 1) : LIST_PAGE;
        const requested = next;
        const page = await deps.cloud.listVolumes({ limit: want, marker: requested }, op(ctx)).catch((error: unknown) => {
          if (requested !== undefined && requested === marker && isCloudError(error, 'NotFound')) {
            throw aborted('starting_token: the volume it points to no longer exists; restart the listing');
          }
          throw error;
        });
        const room = req.maxEntries > 0 ? req.maxEntries - volumes.length : Infinity;
        const taken = page.items.slice(0, room);
        volumes.push(...taken);
        if (taken.length < page.items.length) {
          next = taken[taken.length - 1]?.id;
          break;
        }
        // A page shorter than asked for is the last one, whatever Cinder's link says.
        next = page.items.length < want ? undefined : page.next;
      } while (next !== undefined && (req.maxEntries === 0 || volumes.length < req.maxEntries));
      return {
        entries: volumes.map((v) => ({
          volume: toCsiVolume(v, deps.options.withTopology),
          status: { publishedNodeIds: attachedServers(v), volumeCondition: conditionOf(v) },
        })),
        nextToken: encodeToken('v', next),
      };
    } catch (error) {
      throw toCsiError(error);
    }
  }

  async get(volumeId: string, ctx: CallContext): Promise<ControllerGetVolumeResponse> {
    const { deps } = this;
    try {
      const volume = await getVolumeOrNotFound(deps, volumeId, ctx);
      return {
        volume: toCsiVolume(volume, deps.options.withTopology),
        status: { publishedNodeIds: attachedServers(volume), volumeCondition: conditionOf(volume) },
      };
    } catch (error) {
      throw toCsiError(error);
    }
  }

  /**
   * ValidateVolumeCapabilities: confirms only capabilities this plugin can honour for this volume (multi-node modes
   * only on multiattach volumes); otherwise leaves `confirmed` empty and says why in `message`.
   */
  async validate(volumeId: string, req: ValidateVolumeCapabilitiesRequest__Output, ctx: CallContext): Promise<ValidateVolumeCapabilitiesResponse> {
    const { deps } = this;
    try {
      const volume = await getVolumeOrNotFound(deps, volumeId, ctx);
      try {
        parseCreateParameters(req.parameters, req.mutableParameters);
      } catch (error) {
        return { message: error instanceof Error ? error.message : String(error) };
      }
      for (const capability of req.volumeCapabilities) {
        const reason = unsupportedReason(capability);
        if (reason) return { message: reason };
        if (isMultiNode(capability.accessMode?.mode ?? 'UNKNOWN') && !volume.multiattach) {
          return { message: `volume ${volumeId} is not multiattach; ${capability.accessMode?.mode} is not supported` };
        }
      }
      return {
        confirmed: {
          volumeContext: req.volumeContext,
          volumeCapabilities: req.volumeCapabilities,
          parameters: req.parameters,
          mutableParameters: req.mutableParameters,
        },
      };
    } catch (error) {
      throw toCsiError(error);
    }
  }

  /** GetCapacity: what the project's Cinder gigabyte quota still allows (unset when the quota is unlimited). */
  async capacity(ctx: CallContext): Promise<GetCapacityResponse> {
    const { deps } = this;
    try {
      const usage = await deps.cloud.getQuotaUsage(op(ctx));
      return usage.gigabytesFree === undefined ? {} : { availableCapacity: usage.gigabytesFree * GiB };
    } catch (error) {
      throw toCsiError(error);
    }
  }
}
