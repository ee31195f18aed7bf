import type { SnapshotStatus, VolumeStatus } from './types';

export interface AttachmentRecord {
  attachmentId: string;
  /** Cinder lists only "attached" (and "detaching") attachments on the volume. */
  attachStatus: 'reserved' | 'attached' | 'detaching';
  serverId: string;
  device: string;
  hostName: string;
  attachedAt: string;
  loopDevice?: string;
  byIdPath?: string;
}

export interface VolumeRecord {
  id: string;
  seq: number;
  name: string | null;
  description: string | null;
  size: number;
  status: VolumeStatus;
  volumeType: string;
  volumeTypeId: string;
  availabilityZone: string;
  multiattach: boolean;
  bootable: boolean;
  metadata: Record<string, string>;
  snapshotId: string | null;
  sourceVolid: string | null;
  createdAt: string;
  updatedAt: string | null;
  userId: string;
  projectId: string;
  attachments: AttachmentRecord[];
  /** Status to return to when an in-flight operation finishes (extend of an in-use volume). */
  previousStatus?: VolumeStatus;
  /** Cinder's migration_status: set only by a failing retype (`migrating`, then `error`); null/absent otherwise. */
  migrationStatus?: 'migrating' | 'error' | null;
}

export interface SnapshotRecord {
  id: string;
  seq: number;
  volumeId: string;
  name: string | null;
  description: string | null;
  size: number;
  status: SnapshotStatus;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string | null;
  userId: string;
  projectId: string;
}

export interface ServerRecord {
  id: string;
  name: string;
  availabilityZone: string;
  hostname: string;
  createdAt: string;
  /** Device names in use (/dev/vda is the root disk). */
  devices: Set<string>;
}

export interface TokenRecord {
  id: string;
  userId: string;
  projectId?: string;
  methods: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  applicationCredentialId?: string;
  trustId?: string;
}

/** Cinder's timestamp format: ISO 8601 with microseconds, no zone. */
export function cinderTime(d: Date = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

/** Nova and Keystone: ISO 8601 UTC with a Z. */
export function isoTime(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Keystone's expires_at: microseconds and Z. */
export function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class State {
  readonly volumes = new Map<string, VolumeRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly servers = new Map<string, ServerRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  touch(v: { updatedAt: string | null }): void {
    v.updatedAt = cinderTime();
  }

  /** Usage the quota engine counts: volumes, gigabytes (volumes + snapshots, as Cinder does), snapshots. */
  usage(): { volumes: number; gigabytes: number; snapshots: number } {
    let gigabytes = 0;
    for (const v of this.volumes.values()) gigabytes += v.size;
    for (const s of this.snapshots.values()) gigabytes += s.size;
    return { volumes: this.volumes.size, gigabytes, snapshots: this.snapshots.size };
  }
}
