/** OpenStack objects as the driver sees them (camelCase, only what the driver uses). */

export interface VolumeAttachment {
  readonly serverId: string;
  readonly attachmentId: string;
  /** Device name Nova reported (e.g. /dev/vdb); a hint only, the node resolves the real device by id. */
  readonly device?: string;
}

export interface Volume {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** GiB */
  readonly size: number;
  readonly volumeType?: string;
  readonly availabilityZone?: string;
  readonly multiattach: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  readonly snapshotId?: string;
  readonly sourceVolid?: string;
  readonly attachments: readonly VolumeAttachment[];
  /** Cinder's migration_status (admins only): `migrating` during a cross-backend retype, `error` when it failed. */
  readonly migrationStatus?: string;
}

export interface Snapshot {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** GiB */
  readonly size: number;
  readonly volumeId: string;
  readonly createdAt?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface Server {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly availabilityZone?: string;
}

export interface VolumeType {
  readonly id: string;
  readonly name: string;
  readonly extraSpecs: Readonly<Record<string, string>>;
  /** True when the type's extra spec multiattach is "<is> True". */
  readonly multiattach: boolean;
}

export interface CreateVolumeInput {
  readonly name: string;
  readonly sizeGiB: number;
  readonly volumeType?: string;
  readonly availabilityZone?: string;
  readonly snapshotId?: string;
  readonly sourceVolumeId?: string;
  readonly description?: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Ask for the microversion that honours a multiattach volume type (Cinder 3.50). */
  readonly multiattach?: boolean;
}

export interface CreateSnapshotInput {
  readonly name: string;
  readonly volumeId: string;
  readonly description?: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Snapshot an in-use volume (Cinder's "force"). */
  readonly force: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Marker for the next page, undefined on the last page. */
  readonly next?: string;
}

/** Volume listing filters Cinder applies at every microversion (exact matches; metadata: every pair). */
export interface VolumeFilter {
  readonly name?: string;
  readonly status?: string;
  readonly metadata?: Record<string, string>;
}

/** Snapshot listing filters Cinder applies at every microversion (exact matches). */
export interface SnapshotFilter {
  readonly name?: string;
  readonly volumeId?: string;
  readonly status?: string;
}

export interface ListOptions {
  readonly limit?: number;
  readonly marker?: string;
}

export interface QuotaUsage {
  /** Gigabytes the project may still allocate; undefined when unlimited. */
  readonly gigabytesFree?: number;
}

/** Cancellation for one cloud operation: pass the CSI call's signal and deadline. */
export interface OpOptions {
  readonly signal?: AbortSignal;
  readonly deadline?: number;
}
