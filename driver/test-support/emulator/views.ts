import type { Hypervisor } from './hypervisor';
import type { SnapshotRecord, VolumeRecord } from './state';
import type { SnapshotView, VolumeView } from './types';

type Json = Record<string, unknown>;

export function volumeView(v: VolumeRecord, hv: Hypervisor): VolumeView {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    size: v.size,
    status: v.status,
    volumeType: v.volumeType,
    availabilityZone: v.availabilityZone,
    multiattach: v.multiattach,
    metadata: { ...v.metadata },
    snapshotId: v.snapshotId,
    sourceVolid: v.sourceVolid,
    // Cinder lists only attachments whose attach_status is "attached" (a reservation is not shown yet).
    attachments: v.attachments.filter((a) => a.attachStatus !== 'reserved').map((a) => ({
      attachmentId: a.attachmentId,
      serverId: a.serverId,
      device: a.device,
      loopDevice: a.loopDevice,
      byIdPath: a.byIdPath,
    })),
    file: hv.volumeFile(v.id),
  };
}

export function snapshotView(s: SnapshotRecord, hv: Hypervisor): SnapshotView {
  return {
    id: s.id,
    volumeId: s.volumeId,
    name: s.name,
    description: s.description,
    size: s.size,
    status: s.status,
    metadata: { ...s.metadata },
    file: hv.snapshotFile(s.id),
  };
}

export function links(baseUrl: string, projectId: string, collection: string, id: string): Json[] {
  return [
    { rel: 'self', href: `${baseUrl}/volume/v3/${projectId}/${collection}/${id}` },
    { rel: 'bookmark', href: `${baseUrl}/volume/${projectId}/${collection}/${id}` },
  ];
}

/** Cinder's volume detail view, with the fields each microversion adds. */
export function volumeJson(v: VolumeRecord, mv: number, baseUrl: string): Json {
  const body: Json = {
    id: v.id,
    name: v.name,
    description: v.description,
    size: v.size,
    status: v.status,
    availability_zone: v.availabilityZone,
    volume_type: v.volumeType,
    multiattach: v.multiattach,
    // Cinder reports bootable as the strings "true"/"false".
    bootable: v.bootable ? 'true' : 'false',
    encrypted: false,
    // Cinder lists only attachments whose attach_status is "attached" (a reservation is not shown yet).
    attachments: v.attachments.filter((a) => a.attachStatus !== 'reserved').map((a) => ({
      // Cinder's legacy quirk: the attachment's "id" is the volume id; the attachment's own id is attachment_id.
      id: v.id,
      attachment_id: a.attachmentId,
      volume_id: v.id,
      server_id: a.serverId,
      host_name: a.hostName,
      device: a.device,
      attached_at: a.attachedAt,
    })),
    metadata: { ...v.metadata },
    snapshot_id: v.snapshotId,
    source_volid: v.sourceVolid,
    consistencygroup_id: null,
    replication_status: null,
    migration_status: v.migrationStatus ?? null,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    user_id: v.userId,
    'os-vol-tenant-attr:tenant_id': v.projectId,
    'os-vol-host-attr:host': `emulator@${v.volumeType}#${v.volumeType}`,
    'os-vol-mig-status-attr:migstat': v.migrationStatus ?? null,
    'os-vol-mig-status-attr:name_id': null,
    links: links(baseUrl, v.projectId, 'volumes', v.id),
  };
  if (mv >= 13) body.group_id = null;
  if (mv >= 21) body.provider_id = null;
  if (mv >= 48) {
    body.shared_targets = false;
    body.service_uuid = '3c2e9f0a-6b4d-4f8e-9a1b-7c5d2e8f0a11';
  }
  if (mv >= 61) body.cluster_name = null;
  if (mv >= 63) body.volume_type_id = v.volumeTypeId;
  if (mv >= 64) body.encryption_key_id = null;
  if (mv >= 65) body.consumes_quota = true;
  return body;
}

export function volumeSummaryJson(v: VolumeRecord, baseUrl: string): Json {
  return { id: v.id, name: v.name, links: links(baseUrl, v.projectId, 'volumes', v.id) };
}

export function snapshotJson(s: SnapshotRecord, mv: number): Json {
  const body: Json = {
    id: s.id,
    name: s.name,
    description: s.description,
    volume_id: s.volumeId,
    size: s.size,
    status: s.status,
    metadata: { ...s.metadata },
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    'os-extended-snapshot-attributes:progress': s.status === 'available' ? '100%' : '0%',
    'os-extended-snapshot-attributes:project_id': s.projectId,
  };
  if (mv >= 14) body.group_snapshot_id = null;
  if (mv >= 41) body.user_id = s.userId;
  if (mv >= 65) body.consumes_quota = true;
  return body;
}
