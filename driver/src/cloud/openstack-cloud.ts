import type { Cloud } from './cloud';
import type { CloudClientConfig } from './config';
import { CloudError, isCloudError } from './errors';
import { HttpTransport } from './http-transport';
import { Microversions } from './microversions';
import { asObject, nextMarker, toAttachmentResponse, toServer, toSnapshot, toVolume, toVolumeType } from './openstack-json';
import { Session, ServiceRequest } from './session';
import type {
  CreateSnapshotInput,
  CreateVolumeInput,
  ListOptions,
  OpOptions,
  Page,
  QuotaUsage,
  Server,
  Snapshot,
  SnapshotFilter,
  Volume,
  VolumeAttachment,
  VolumeFilter,
  VolumeType,
} from './types';

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * An id as one URL path segment. "." and ".." would be resolved away by URL normalisation (DELETE /volumes/. is
 * DELETE /volumes, and /servers/../x climbs a level), and no OpenStack object has such an id: NotFound, unsent.
 */
const id = (value: string): string => {
  if (value === '.' || value === '..') throw new CloudError('NotFound', `no OpenStack object has the id "${value}"`);
  return encodeURIComponent(value);
};

/** The Cloud on a real OpenStack: Keystone v3, Cinder v3 and Nova v2.1 over HTTP(S) with axios (http-transport.ts). */
export class OpenStackCloud implements Cloud {
  private readonly transport: HttpTransport;
  readonly session: Session;
  /** Negotiated from Cinder's and Nova's version documents (microversions.ts); no fixed numbers. */
  readonly microversions: Microversions;

  constructor(config: CloudClientConfig) {
    this.transport = new HttpTransport({
      caFile: config.caFile,
      tlsInsecure: config.tlsInsecure,
      requestTimeoutMs: config.requestTimeoutMs,
      maxAttempts: config.maxAttempts,
      proxy: config.proxy,
    });
    this.session = new Session(this.transport, config);
    this.microversions = new Microversions((service, op) => this.session.versionDocument(service, op), {
      ignoreVolumeMicroversion: config.ignoreVolumeMicroversion,
    });
  }

  /** Tokens obtained from Keystone by this client (for metrics and tests). */
  get tokensIssued(): number {
    return this.session.tokens.issued;
  }

  close(): void {
    this.transport.close();
  }

  private async call<T>(req: ServiceRequest): Promise<T> {
    return (await this.session.request<T>(req)).data;
  }

  async listVolumes(filter: VolumeFilter & ListOptions, op: OpOptions = {}): Promise<Page<Volume>> {
    const q = query({
      name: filter.name,
      status: filter.status,
      // Cinder parses the metadata filter as a Python literal; JSON objects of strings are valid ones.
      metadata: filter.metadata ? JSON.stringify(filter.metadata) : undefined,
      limit: filter.limit,
      marker: filter.marker,
    });
    const data = await this.call<{ volumes?: unknown[]; volumes_links?: unknown }>({
      ...op, service: 'volume', method: 'GET', path: `/volumes/detail${q}`, retrySafe: true, operation: 'list volumes',
    });
    const items = (data.volumes ?? []).map(toVolume);
    return { items, next: nextMarker(data.volumes_links, items) };
  }

  async getVolume(volumeId: string, op: OpOptions = {}): Promise<Volume> {
    const data = await this.call<{ volume?: unknown }>({
      ...op, service: 'volume', method: 'GET', path: `/volumes/${id(volumeId)}`, retrySafe: true, operation: `get volume ${volumeId}`,
    });
    return toVolume(data.volume);
  }

  async createVolume(input: CreateVolumeInput, op: OpOptions = {}): Promise<Volume> {
    const volume: Record<string, unknown> = { name: input.name, size: input.sizeGiB, metadata: input.metadata };
    if (input.volumeType) volume.volume_type = input.volumeType;
    if (input.availabilityZone) volume.availability_zone = input.availabilityZone;
    if (input.snapshotId) volume.snapshot_id = input.snapshotId;
    if (input.sourceVolumeId) volume.source_volid = input.sourceVolumeId;
    if (input.description) volume.description = input.description;
    // A POST create is not idempotent: never resent automatically (the controller finds it by name instead).
    const data = await this.call<{ volume?: unknown }>({
      ...op, service: 'volume', method: 'POST', path: '/volumes', body: { volume },
      microversion: input.multiattach ? await this.microversions.forFeature('cinderMultiattach', op) : undefined,
      operation: `create volume ${input.name}`,
    });
    return toVolume(data.volume);
  }

  async deleteVolume(volumeId: string, op: OpOptions = {}): Promise<void> {
    await this.call({
      ...op, service: 'volume', method: 'DELETE', path: `/volumes/${id(volumeId)}`, retrySafe: true, operation: `delete volume ${volumeId}`,
    });
  }

  async extendVolume(volumeId: string, newSizeGiB: number, options: { inUse: boolean }, op: OpOptions = {}): Promise<void> {
    await this.call({
      ...op, service: 'volume', method: 'POST', path: `/volumes/${id(volumeId)}/action`, body: { 'os-extend': { new_size: newSizeGiB } },
      // An available volume extends at the base version; an in-use one needs 3.42 (refused clearly when older).
      microversion: options.inUse ? await this.microversions.forFeature('cinderInUseExtend', op) : undefined,
      operation: `extend volume ${volumeId}`,
    });
  }

  async retypeVolume(volumeId: string, volumeType: string, op: OpOptions = {}): Promise<void> {
    await this.call({
      ...op, service: 'volume', method: 'POST', path: `/volumes/${id(volumeId)}/action`,
      body: { 'os-retype': { new_type: volumeType, migration_policy: 'on-demand' } }, operation: `retype volume ${volumeId}`,
    });
  }

  async listSnapshots(filter: SnapshotFilter & ListOptions, op: OpOptions = {}): Promise<Page<Snapshot>> {
    const q = query({ name: filter.name, volume_id: filter.volumeId, status: filter.status, limit: filter.limit, marker: filter.marker });
    const data = await this.call<{ snapshots?: unknown[]; snapshots_links?: unknown }>({
      ...op, service: 'volume', method: 'GET', path: `/snapshots/detail${q}`, retrySafe: true, operation: 'list snapshots',
    });
    const items = (data.snapshots ?? []).map(toSnapshot);
    return { items, next: nextMarker(data.snapshots_links, items) };
  }

  async getSnapshot(snapshotId: string, op: OpOptions = {}): Promise<Snapshot> {
    const data = await this.call<{ snapshot?: unknown }>({
      ...op, service: 'volume', method: 'GET', path: `/snapshots/${id(snapshotId)}`, retrySafe: true, operation: `get snapshot ${snapshotId}`,
    });
    return toSnapshot(data.snapshot);
  }

  async createSnapshot(input: CreateSnapshotInput, op: OpOptions = {}): Promise<Snapshot> {
    const snapshot: Record<string, unknown> = { volume_id: input.volumeId, name: input.name, metadata: input.metadata, force: input.force };
    if (input.description) snapshot.description = input.description;
    const data = await this.call<{ snapshot?: unknown }>({
      ...op, service: 'volume', method: 'POST', path: '/snapshots', body: { snapshot }, operation: `create snapshot ${input.name}`,
    });
    return toSnapshot(data.snapshot);
  }

  async deleteSnapshot(snapshotId: string, op: OpOptions = {}): Promise<void> {
    await this.call({
      ...op, service: 'volume', method: 'DELETE', path: `/snapshots/${id(snapshotId)}`, retrySafe: true, operation: `delete snapshot ${snapshotId}`,
    });
  }

  async listVolumeTypes(op: OpOptions = {}): Promise<VolumeType[]> {
    const data = await this.call<{ volume_types?: unknown[] }>({
      ...op, service: 'volume', method: 'GET', path: '/types', retrySafe: true, operation: 'list volume types',
    });
    return (data.volume_types ?? []).map(toVolumeType);
  }

  async getDefaultVolumeType(op: OpOptions = {}): Promise<VolumeType> {
    const data = await this.call<{ volume_type?: unknown }>({
      ...op, service: 'volume', method: 'GET', path: '/types/default', retrySafe: true, operation: 'get default volume type',
    });
    return toVolumeType(data.volume_type);
  }

  async getQuotaUsage(op: OpOptions = {}): Promise<QuotaUsage> {
    // /limits reports the project's absolute limits and usage without needing the admin-only quota API.
    const data = await this.call<{ limits?: unknown }>({
      ...op, service: 'volume', method: 'GET', path: '/limits', retrySafe: true, operation: 'get volume limits',
    });
    const absolute = asObject(asObject(data.limits).absolute);
    const limit = typeof absolute.maxTotalVolumeGigabytes === 'number' ? absolute.maxTotalVolumeGigabytes : -1;
    const used = typeof absolute.totalGigabytesUsed === 'number' ? absolute.totalGigabytesUsed : 0;
    return { gigabytesFree: limit < 0 ? undefined : Math.max(0, limit - used) };
  }

  async listVolumeAvailabilityZones(op: OpOptions = {}): Promise<string[]> {
    const data = await this.call<{ availabilityZoneInfo?: unknown[] }>({
      ...op, service: 'volume', method: 'GET', path: '/os-availability-zone', retrySafe: true, operation: 'list volume availability zones',
    });
    return (data.availabilityZoneInfo ?? [])
      .map(asObject)
      .filter((zone) => asObject(zone.zoneState).available !== false && typeof zone.zoneName === 'string')
      .map((zone) => zone.zoneName as string);
  }

  async getServer(serverId: string, op: OpOptions = {}): Promise<Server> {
    const data = await this.call<{ server?: unknown }>({
      ...op, service: 'compute', method: 'GET', path: `/servers/${id(serverId)}`, retrySafe: true, operation: `get server ${serverId}`,
    });
    if (!data.server) throw new CloudError('Unexpected', `get server ${serverId}: response has no server`);
    return toServer(data.server);
  }

  async attachVolume(serverId: string, volumeId: string, options: { multiattach: boolean }, op: OpOptions = {}): Promise<VolumeAttachment> {
    const data = await this.call<unknown>({
      ...op, service: 'compute', method: 'POST', path: `/servers/${id(serverId)}/os-volume_attachments`,
      body: { volumeAttachment: { volumeId } },
      microversion: options.multiattach ? await this.microversions.forFeature('novaMultiattach', op) : undefined,
      operation: `attach volume ${volumeId} to server ${serverId}`,
    });
    return toAttachmentResponse(data);
  }

  async getServerAttachment(serverId: string, volumeId: string, op: OpOptions = {}): Promise<VolumeAttachment | undefined> {
    try {
      const data = await this.call<unknown>({
        ...op, service: 'compute', method: 'GET', path: `/servers/${id(serverId)}/os-volume_attachments/${id(volumeId)}`,
        retrySafe: true, operation: `get attachment of volume ${volumeId} on server ${serverId}`,
      });
      return toAttachmentResponse(data);
    } catch (error) {
      if (isCloudError(error, 'NotFound')) return undefined;
      throw error;
    }
  }

  async detachVolume(serverId: string, volumeId: string, op: OpOptions = {}): Promise<void> {
    await this.call({
      ...op, service: 'compute', method: 'DELETE', path: `/servers/${id(serverId)}/os-volume_attachments/${id(volumeId)}`,
      operation: `detach volume ${volumeId} from server ${serverId}`,
    });
  }

  async deleteVolumeAttachment(attachmentId: string, op: OpOptions = {}): Promise<void> {
    await this.call({
      ...op, service: 'volume', method: 'DELETE', path: `/attachments/${id(attachmentId)}`,
      microversion: await this.microversions.forFeature('cinderAttachments', op),
      retrySafe: true, operation: `delete volume attachment ${attachmentId}`,
    });
  }
}
