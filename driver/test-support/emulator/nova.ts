import { type Context, newId } from './context';
import { ApiError, badRequest, notFound } from './errors';
import { COMPUTE_VERSIONS } from './microversion';
import type { ApiRequest, ApiResponse, Router } from './router';
import { cinderTime, type AttachmentRecord, type ServerRecord, type VolumeRecord } from './state';
import { bodyObject, optBoolean, optString } from './validate';

const NOVA = '/compute/v2.1';
/** Nova's bookmark links are unversioned (the endpoint without /v2.1). */
const NOVA_BOOKMARK = '/compute';
/** Attaching an in-use multiattach volume to a second server needs compute 2.60. */
const MULTIATTACH_MV = 60;

type Json = Record<string, unknown>;

function getServer(ctx: Context, id: string): ServerRecord {
  const s = ctx.state.servers.get(id);
  if (!s) throw notFound(`Instance ${id} could not be found.`);
  return s;
}

function nextDevice(server: ServerRecord): string {
  for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const dev = `/dev/vd${String.fromCharCode(c)}`;
    if (!server.devices.has(dev)) return dev;
  }
  throw new ApiError(400, 'No free disk device names for prefix \'vd\'');
}

function attachmentsOf(ctx: Context, serverId: string): Array<{ v: VolumeRecord; a: AttachmentRecord }> {
  const out: Array<{ v: VolumeRecord; a: AttachmentRecord }> = [];
  for (const v of ctx.state.volumes.values()) {
    for (const a of v.attachments) if (a.serverId === serverId) out.push({ v, a });
  }
  return out;
}

function attachmentJson(v: VolumeRecord, a: AttachmentRecord, mv: number, withIds: boolean): Json {
  // Nova's volume attachment "id" is the volume id.
  const j: Json = { device: a.device, id: v.id, serverId: a.serverId, volumeId: v.id };
  if (mv >= 70) j.tag = null;
  if (mv >= 79) j.delete_on_termination = false;
  if (withIds && mv >= 89) {
    j.attachment_id = a.attachmentId;
    j.bdm_uuid = a.attachmentId;
    delete j.id;
  }
  return j;
}

function serverJson(ctx: Context, s: ServerRecord, req: ApiRequest): Json {
  const cfg = ctx.config;
  const volumes = attachmentsOf(ctx, s.id).map(({ v }) =>
    req.mv >= 3 ? { id: v.id, delete_on_termination: false } : { id: v.id },
  );
  return {
    id: s.id,
    name: s.name,
    status: 'ACTIVE',
    tenant_id: cfg.projectId,
    user_id: cfg.mainUser.id,
    metadata: {},
    hostId: 'a7c8f3e1b2d94f6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b',
    image: '',
    flavor: req.mv >= 47 ? { vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} } : { id: '1', links: [{ rel: 'bookmark', href: `${req.baseUrl}${NOVA_BOOKMARK}/flavors/1` }] },
    created: s.createdAt,
    updated: s.createdAt,
    addresses: {},
    accessIPv4: '',
    accessIPv6: '',
    links: [
      { rel: 'self', href: `${req.baseUrl}${NOVA}/servers/${s.id}` },
      { rel: 'bookmark', href: `${req.baseUrl}${NOVA_BOOKMARK}/servers/${s.id}` },
    ],
    'OS-DCF:diskConfig': 'MANUAL',
    progress: 0,
    'OS-EXT-AZ:availability_zone': s.availabilityZone,
    config_drive: '',
    key_name: null,
    'OS-SRV-USG:launched_at': s.createdAt.replace('Z', '.000000'),
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-SRV-ATTR:host': s.hostname,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${s.id.slice(0, 8)}`,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': s.hostname,
    'OS-EXT-STS:task_state': null,
    'OS-EXT-STS:vm_state': 'active',
    'OS-EXT-STS:power_state': 1,
    'os-extended-volumes:volumes_attached': volumes,
  };
}

function attach(ctx: Context, req: ApiRequest): ApiResponse {
  const server = getServer(ctx, req.params.server_id as string);
  const spec = bodyObject(req.body, 'volumeAttachment');
  const volumeId = optString(spec, 'volumeId');
  if (!volumeId) throw badRequest("Invalid input for field/attribute volumeId. Value: None. 'volumeId' is a required property");
  if (spec.device !== undefined && spec.device !== null && typeof spec.device !== 'string') {
    throw badRequest("Invalid input for field/attribute device. Value must be a string or null");
  }
  if (spec.delete_on_termination !== undefined) optBoolean(spec, 'delete_on_termination');
  const v = ctx.state.volumes.get(volumeId);
  if (!v) throw notFound(`Volume ${volumeId} could not be found.`);
  if (v.multiattach && req.mv < MULTIATTACH_MV) {
    throw badRequest(`Multiattach volumes are only supported starting with compute API version 2.${MULTIATTACH_MV}.`);
  }
  if (v.attachments.some((a) => a.serverId === server.id)) {
    // Nova's wording (compute/api.py _check_attach_and_reserve_volume); lists every server holding the volume.
    throw badRequest(`Invalid volume: volume ${v.id} is already attached to instances: ${v.attachments.map((x) => x.serverId).join(' ')}`);
  }
  const max = ctx.config.maxDiskDevicesToAttach;
  if (max >= 0 && server.devices.size >= max) {
    // Nova's TooManyDiskDevices, raised while reserving the device name (before Cinder reserves the volume), as 403.
    throw new ApiError(403, `The maximum allowed number of disk devices (${max}) to attach to a single instance has been exceeded.`);
  }
  const canAttach = v.status === 'available' || (v.multiattach && (v.status === 'in-use' || v.status === 'reserved'));
  if (!canAttach) {
    // Nova relays Cinder's refusal of the attachment reservation as an InvalidInput 400.
    throw badRequest(
      `Invalid input received: Invalid volume: Volume ${v.id} status must be available or downloading to reserve, but the current status is ${v.status}. (HTTP 400)`,
    );
  }
  const device = nextDevice(server);
  server.devices.add(device);
  const a: AttachmentRecord = {
    attachmentId: newId(),
    attachStatus: 'reserved',
    serverId: server.id,
    device,
    hostName: server.hostname,
    attachedAt: cinderTime(),
  };
  v.attachments.push(a);
  v.status = 'reserved';
  ctx.state.touch(v);
  ctx.transitions.run('attach', async () => {
    if (!v.attachments.includes(a)) return;
    v.status = 'attaching';
    let dev: { loopDevice: string; byIdPath: string };
    try {
      dev = await ctx.hypervisor.attach(v.id, v.size);
    } catch (e) {
      // Like a failed attach in Nova: the attachment is rolled back and the volume is usable again.
      ctx.log(`attaching volume ${v.id} to ${server.id} failed: ${String(e)}`);
      v.attachments = v.attachments.filter((x) => x !== a);
      server.devices.delete(a.device);
      v.status = v.attachments.length > 0 ? 'in-use' : 'available';
      ctx.state.touch(v);
      return;
    }
    a.loopDevice = dev.loopDevice;
    a.byIdPath = dev.byIdPath;
    a.attachStatus = 'attached';
    a.attachedAt = cinderTime();
    v.status = 'in-use';
    ctx.state.touch(v);
  });
  return { status: 200, body: { volumeAttachment: attachmentJson(v, a, req.mv, false) } };
}

function detach(ctx: Context, req: ApiRequest): ApiResponse {
  const server = getServer(ctx, req.params.server_id as string);
  const volumeId = req.params.volume_id as string;
  const v = ctx.state.volumes.get(volumeId);
  if (!v) throw notFound(`Volume ${volumeId} could not be found.`);
  const a = v.attachments.find((x) => x.serverId === server.id);
  if (!a) throw notFound(`Instance ${server.id} is not attached to volume ${volumeId}`);
  if (a.attachStatus !== 'attached') {
    throw new ApiError(409, `Cannot 'detach_volume' volume ${volumeId} while it is in attach_status ${a.attachStatus}`);
  }
  a.attachStatus = 'detaching';
  v.status = 'detaching';
  ctx.state.touch(v);
  ctx.transitions.run('detach', async () => {
    const others = v.attachments.filter((x) => x !== a);
    if (others.length === 0) {
      try {
        await ctx.hypervisor.detach(v.id);
      } catch (e) {
        ctx.log(`detaching volume ${v.id} from ${server.id} failed: ${String(e)}`);
        a.attachStatus = 'attached';
        v.status = 'in-use';
        ctx.state.touch(v);
        return;
      }
    }
    v.attachments = others;
    server.devices.delete(a.device);
    v.status = others.length > 0 ? 'in-use' : 'available';
    ctx.state.touch(v);
  });
  return { status: 202 };
}

export function registerNova(router: Router, ctx: Context): void {
  // As Nova (Zed): the root lists the legacy v2.0 (no microversions) and v2.1; GET /v2.1/ adds describedby and media-types.
  const versionDoc = (baseUrl: string): Json => ({
    id: 'v2.1',
    status: 'CURRENT',
    version: `2.${COMPUTE_VERSIONS.maxMinor}`,
    min_version: '2.1',
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${baseUrl}${NOVA}/` }],
  });
  const legacyDoc = (baseUrl: string): Json => ({
    id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z',
    links: [{ rel: 'self', href: `${baseUrl}/compute/v2/` }],
  });
  router.add('GET', '/compute', (req) => ({ status: 200, body: { versions: [legacyDoc(req.baseUrl), versionDoc(req.baseUrl)] } }));
  router.add('GET', NOVA, (req) => {
    const doc = versionDoc(req.baseUrl);
    return {
      status: 200,
      body: {
        version: {
          ...doc,
          links: [...(doc.links as Json[]), { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
        },
      },
    };
  });
  router.add('GET', `${NOVA}/servers/detail`, (req) => ({
    status: 200,
    body: { servers: [...ctx.state.servers.values()].map((s) => serverJson(ctx, s, req)) },
  }));
  router.add('GET', `${NOVA}/servers`, (req) => ({
    status: 200,
    body: {
      servers: [...ctx.state.servers.values()].map((s) => ({
        id: s.id,
        name: s.name,
        links: [
          { rel: 'self', href: `${req.baseUrl}${NOVA}/servers/${s.id}` },
          { rel: 'bookmark', href: `${req.baseUrl}${NOVA_BOOKMARK}/servers/${s.id}` },
        ],
      })),
    },
  }));
  router.add('GET', `${NOVA}/servers/{server_id}`, (req) => ({
    status: 200,
    body: { server: serverJson(ctx, getServer(ctx, req.params.server_id as string), req) },
  }));
  router.add('POST', `${NOVA}/servers/{server_id}/os-volume_attachments`, (req) => attach(ctx, req));
  router.add('GET', `${NOVA}/servers/{server_id}/os-volume_attachments`, (req) => {
    const server = getServer(ctx, req.params.server_id as string);
    return {
      status: 200,
      body: { volumeAttachments: attachmentsOf(ctx, server.id).map(({ v, a }) => attachmentJson(v, a, req.mv, true)) },
    };
  });
  router.add('GET', `${NOVA}/servers/{server_id}/os-volume_attachments/{volume_id}`, (req) => {
    const server = getServer(ctx, req.params.server_id as string);
    const volumeId = req.params.volume_id as string;
    const found = attachmentsOf(ctx, server.id).find(({ v }) => v.id === volumeId);
    if (!found) throw notFound(`Instance ${server.id} is not attached to volume ${volumeId}`);
    return { status: 200, body: { volumeAttachment: attachmentJson(found.v, found.a, req.mv, true) } };
  });
  router.add('DELETE', `${NOVA}/servers/{server_id}/os-volume_attachments/{volume_id}`, (req) => detach(ctx, req));
  router.add('GET', `${NOVA}/os-availability-zone`, () => ({
    status: 200,
    body: {
      availabilityZoneInfo: ctx.config.availabilityZones.map((z) => ({ zoneName: z, zoneState: { available: true }, hosts: null })),
    },
  }));
}
