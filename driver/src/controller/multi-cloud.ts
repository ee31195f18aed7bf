import { status } from '@grpc/grpc-js';
import type { CallContext } from '../grpc/call-context';
import { aborted, CsiError, invalidArgument } from '../grpc/errors';
import type {
  ControllerGetCapabilitiesResponse,
  ControllerGetVolumeRequest__Output,
  ControllerGetVolumeResponse,
  ControllerService,
  GetCapacityRequest__Output,
  GetCapacityResponse,
  ListVolumesRequest__Output,
  ListVolumesResponse,
} from '../grpc/services';

/** The key of a CSI request's secrets that names the cloud (upstream's: the StorageClass's secret holds `cloud`). */
export const CLOUD_SECRET_KEY = 'cloud';

/** One controller per cloud, as --cloud-name lists them ('' = [Global]); the first is the default. */
export interface NamedController {
  readonly name: string;
  readonly service: ControllerService & { close(): void };
}

type Routed = keyof Pick<
  ControllerService,
  | 'createVolume'
  | 'deleteVolume'
  | 'controllerPublishVolume'
  | 'controllerUnpublishVolume'
  | 'validateVolumeCapabilities'
  | 'createSnapshot'
  | 'deleteSnapshot'
  | 'listSnapshots'
  | 'controllerExpandVolume'
  | 'controllerModifyVolume'
>;

/**
 * The Controller service of a driver serving several clouds (regions), as upstream's multi-region setup: every
 * RPC whose request carries secrets goes to the cloud its `cloud` secret names (absent = '', the [Global] cloud),
 * and a cloud not served is INVALID_ARGUMENT naming the secret and the clouds there are. The StorageClass and
 * VolumeSnapshotClass point the sidecars at a Secret per region holding `cloud: <name>`.
 *
 * The RPCs without secrets: ListVolumes walks the clouds in --cloud-name order (its token names the cloud);
 * ControllerGetVolume asks each cloud until one has the volume; GetCapacity and ControllerGetCapabilities answer
 * for the first (default) cloud.
 */
export class MultiCloudControllerService implements ControllerService {
  private readonly byName: ReadonlyMap<string, NamedController['service']>;

  readonly createVolume = this.routed('createVolume');
  readonly deleteVolume = this.routed('deleteVolume');
  readonly controllerPublishVolume = this.routed('controllerPublishVolume');
  readonly controllerUnpublishVolume = this.routed('controllerUnpublishVolume');
  readonly validateVolumeCapabilities = this.routed('validateVolumeCapabilities');
  readonly createSnapshot = this.routed('createSnapshot');
  readonly deleteSnapshot = this.routed('deleteSnapshot');
  readonly listSnapshots = this.routed('listSnapshots');
  readonly controllerExpandVolume = this.routed('controllerExpandVolume');
  readonly controllerModifyVolume = this.routed('controllerModifyVolume');

  constructor(private readonly clouds: readonly NamedController[]) {
    if (clouds.length === 0) throw new Error('MultiCloudControllerService needs at least one cloud');
    this.byName = new Map(clouds.map((c) => [c.name, c.service]));
  }

  private get first(): NamedController {
    return this.clouds[0] as NamedController;
  }

  close(): void {
    for (const cloud of this.clouds) cloud.service.close();
  }

  /** The controller for a request's secrets. */
  serviceFor(secrets: Readonly<Record<string, string>> | null | undefined): NamedController['service'] {
    const name = secrets?.[CLOUD_SECRET_KEY] ?? '';
    const service = this.byName.get(name);
    if (service) return service;
    const served = this.clouds.map((c) => (c.name === '' ? '"" ([Global])' : c.name)).join(', ');
    const given = name === '' ? 'none given, and the default [Global] cloud is not served' : `${JSON.stringify(name)} is not served (no --cloud-name ${name})`;
    throw invalidArgument(`secrets.${CLOUD_SECRET_KEY}`, `expected one of this controller's clouds: ${served}; ${given}`);
  }

  private routed<K extends Routed>(method: K): ControllerService[K] {
    const handler = (req: { secrets?: Record<string, string> | null }, ctx: CallContext): Promise<unknown> => {
      const service = this.serviceFor(req.secrets);
      return (service[method] as (r: unknown, c: CallContext) => Promise<unknown>).call(service, req, ctx);
    };
    return handler as unknown as ControllerService[K];
  }

  async controllerGetCapabilities(req: unknown, ctx: CallContext): Promise<ControllerGetCapabilitiesResponse> {
    return this.first.service.controllerGetCapabilities(req as never, ctx);
  }

  async getCapacity(req: GetCapacityRequest__Output, ctx: CallContext): Promise<GetCapacityResponse> {
    return this.first.service.getCapacity(req, ctx);
  }

  /** The first cloud that has the volume answers; NOT_FOUND only when none has it. */
  async controllerGetVolume(req: ControllerGetVolumeRequest__Output, ctx: CallContext): Promise<ControllerGetVolumeResponse> {
    let notFound: unknown;
    for (const cloud of this.clouds) {
      try {
        return await cloud.service.controllerGetVolume(req, ctx);
      } catch (error) {
        if (!(error instanceof CsiError) || error.code !== status.NOT_FOUND) throw error;
        notFound ??= error;
      }
    }
    throw notFound;
  }

  /**
   * Walks the clouds in order. The token is `<cloud index>:<that cloud's own token>`, so a page never mixes
   * clouds and a token from elsewhere (or a cloud index out of range) is ABORTED like any foreign token.
   */
  async listVolumes(req: ListVolumesRequest__Output, ctx: CallContext): Promise<ListVolumesResponse> {
    let index = 0;
    let inner = '';
    if (req.startingToken !== '') {
      const match = /^(\d{1,3}):(.*)$/s.exec(req.startingToken);
      index = match ? Number(match[1]) : -1;
      if (!match || index >= this.clouds.length) throw aborted(`starting_token: "${req.startingToken}" is not a token this plugin issued`);
      inner = match[2] as string;
    }
    const page = await (this.clouds[index] as NamedController).service.listVolumes({ ...req, startingToken: inner }, ctx);
    if (page.nextToken) return { ...page, nextToken: `${index}:${page.nextToken}` };
    if (index + 1 < this.clouds.length) return { ...page, nextToken: `${index + 1}:` };
    return page;
  }
}
