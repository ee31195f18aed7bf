import type { Server, Snapshot, Volume, VolumeAttachment, VolumeType } from './types';

/** Converts OpenStack's JSON (snake_case, nullable) into the driver's types, tolerating absent optional fields. */

type Json = Record<string, unknown>;

export const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const asStringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(v))) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
};

function toAttachment(raw: unknown): VolumeAttachment | undefined {
  const a = asObject(raw);
  const serverId = asString(a.server_id);
  if (!serverId) return undefined;
  return { serverId, attachmentId: asString(a.attachment_id) ?? asString(a.id) ?? '', device: asString(a.device) };
}

export function toVolume(raw: unknown): Volume {
  const v = asObject(raw);
  const attachments = Array.isArray(v.attachments) ? v.attachments.map(toAttachment).filter((a): a is VolumeAttachment => a !== undefined) : [];
  return {
    id: String(v.id),
    name: asString(v.name) ?? '',
    status: asString(v.status) ?? 'unknown',
    size: typeof v.size === 'number' ? v.size : 0,
    volumeType: asString(v.volume_type),
    availabilityZone: asString(v.availability_zone),
    multiattach: v.multiattach === true,
    metadata: asStringMap(v.metadata),
    snapshotId: asString(v.snapshot_id),
    sourceVolid: asString(v.source_volid),
    attachments,
    migrationStatus: asString(v['os-vol-mig-status-attr:migstat']) ?? asString(v.migration_status),
  };
}

export function toSnapshot(raw: unknown): Snapshot {
  const s = asObject(raw);
  return {
    id: String(s.id),
    name: asString(s.name) ?? '',
    status: asString(s.status) ?? 'unknown',
    size: typeof s.size === 'number' ? s.size : 0,
    volumeId: asString(s.volume_id) ?? '',
    createdAt: asString(s.created_at),
    metadata: asStringMap(s.metadata),
  };
}

export function toServer(raw: unknown): Server {
  const s = asObject(raw);
  return {
    id: String(s.id),
    name: asString(s.name) ?? '',
    status: asString(s.status) ?? 'UNKNOWN',
    availabilityZone: asString(s['OS-EXT-AZ:availability_zone']),
  };
}

export function toVolumeType(raw: unknown): VolumeType {
  const t = asObject(raw);
  const extraSpecs = asStringMap(t.extra_specs);
  return {
    id: String(t.id),
    name: asString(t.name) ?? '',
    extraSpecs,
    multiattach: /^\s*<is>\s*true\s*$/i.test(extraSpecs.multiattach ?? ''),
  };
}

export function toAttachmentResponse(raw: unknown): VolumeAttachment {
  const a = asObject(asObject(raw).volumeAttachment);
  return { serverId: asString(a.serverId) ?? '', attachmentId: asString(a.id) ?? '', device: asString(a.device) };
}

/** The marker for the next page when OpenStack says there is one (a "next" link). */
export function nextMarker(links: unknown, items: readonly { id: string }[]): string | undefined {
  const hasNext = Array.isArray(links) && links.some((l) => asObject(l).rel === 'next');
  return hasNext && items.length > 0 ? items[items.length - 1]?.id : undefined;
}

