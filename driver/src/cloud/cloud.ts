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

/**
 * Everything the controller needs from OpenStack. Methods throw CloudError (typed by kind) for OpenStack
 * failures and CsiError CANCELLED/DEADLINE_EXCEEDED when the operation's signal fires.
 */
export interface Cloud {
  /**
   * One page of volumes, optionally filtered by exact name, status and/or metadata key/values (a status-filtered
   * listing answers many status waits at a cost that follows the volumes in that status, not the project's size).
   */
  listVolumes(filter: VolumeFilter & ListOptions, op?: OpOptions): Promise<Page<Volume>>;
  /** Throws CloudError NotFound when missing. */
  getVolume(id: string, op?: OpOptions): Promise<Volume>;
  createVolume(input: CreateVolumeInput, op?: OpOptions): Promise<Volume>;
  deleteVolume(id: string, op?: OpOptions): Promise<void>;
  /** `inUse`: online extend, which needs Cinder microversion 3.42 (refused as Configuration when the cloud is older). */
  extendVolume(id: string, newSizeGiB: number, options: { inUse: boolean }, op?: OpOptions): Promise<void>;
  /** Changes the volume type, migrating the data when the backend needs to ("on-demand" policy). */
  retypeVolume(id: string, volumeType: string, op?: OpOptions): Promise<void>;

  /** One page of snapshots, optionally filtered by exact name, volume and/or status. */
  listSnapshots(filter: SnapshotFilter & ListOptions, op?: OpOptions): Promise<Page<Snapshot>>;
  getSnapshot(id: string, op?: OpOptions): Promise<Snapshot>;
  createSnapshot(input: CreateSnapshotInput, op?: OpOptions): Promise<Snapshot>;
  deleteSnapshot(id: string, op?: OpOptions): Promise<void>;

  listVolumeTypes(op?: OpOptions): Promise<VolumeType[]>;
  getDefaultVolumeType(op?: OpOptions): Promise<VolumeType>;
  getQuotaUsage(op?: OpOptions): Promise<QuotaUsage>;
  /** Cinder's availability zones that are currently available. */
  listVolumeAvailabilityZones(op?: OpOptions): Promise<string[]>;

  /** Throws CloudError NotFound when the server does not exist. */
  getServer(id: string, op?: OpOptions): Promise<Server>;
  /** Nova volume attachment; `multiattach` requests the compute microversion that allows shared volumes (2.60, negotiated). */
  attachVolume(serverId: string, volumeId: string, options: { multiattach: boolean }, op?: OpOptions): Promise<VolumeAttachment>;
  detachVolume(serverId: string, volumeId: string, op?: OpOptions): Promise<void>;
  /** Nova's record of the volume on the server (present from the attach request on); undefined when none. */
  getServerAttachment(serverId: string, volumeId: string, op?: OpOptions): Promise<VolumeAttachment | undefined>;
  /**
   * Removes an attachment on the Cinder side only (attachments API, microversion 3.27, negotiated): the way out when the
   * server it points to no longer exists in Nova, so Nova cannot detach it.
   */
  deleteVolumeAttachment(attachmentId: string, op?: OpOptions): Promise<void>;

  /** Releases keep-alive connections. */
  close(): void;
}
