import { readAt } from '../helpers/fs';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { type Emulator, startEmulator, type Server } from '../../test-support/emulator';
import { type ApiClient, createVolume, deleteEverything, http, login, until, volumeStatus, waitSnapshot, waitVolume } from './helpers';

const GIB = 1024 * 1024 * 1024;

function deviceSize(dev: string): number {
  return Number(execFileSync('blockdev', ['--getsize64', dev], { encoding: 'utf8' }).trim());
}

function loopsBackedBy(file: string): string {
  return execFileSync('losetup', ['-j', file], { encoding: 'utf8' }).trim();
}

async function writeAt(dev: string, offset: number, data: Buffer): Promise<void> {
  const h = await fs.open(dev, 'r+');
  try {
    await h.write(data, 0, data.length, offset);
    await h.sync();
  } finally {
    await h.close();
  }
}

describe('emulator Nova attachments with real loop devices', () => {
  let emu: Emulator;
  let c: ApiClient;
  let node1: Server;
  let node2: Server;
  beforeAll(async () => {
    emu = await startEmulator({ availabilityZones: ['nova', 'az2'] });
    node1 = emu.addServer({ name: 'node-1' });
    node2 = emu.addServer({ name: 'node-2', availabilityZone: 'az2' });
    c = await login(emu);
  });
  afterEach(async () => deleteEverything(c, emu));
  afterAll(async () => emu.close());

  async function attach(server: Server, volumeId: string, mv?: string): Promise<{ device: string; loop: string; link: string }> {
    const r = await c.nova('POST', `/servers/${server.id}/os-volume_attachments`, { volumeAttachment: { volumeId } }, mv);
    if (r.status !== 200) throw new Error(`attach: ${r.status} ${JSON.stringify(r.data)}`);
    await until('in-use', async () => {
      const v = emu.volumes().find((x) => x.id === volumeId);
      return v?.status === 'in-use' && v.attachments.some((a) => a.serverId === server.id && a.loopDevice) ? true : undefined;
    });
    const link = `${emu.byIdDir}/virtio-${volumeId.slice(0, 20)}`;
    return { device: r.data.volumeAttachment.device as string, loop: await fs.readlink(link), link };
  }

  it('serves a server with its availability zone and ACTIVE status; 404 itemNotFound for an unknown one', async () => {
    const r = await c.nova('GET', `/servers/${node2.id}`);
    expect(r.status).toBe(200);
    expect(r.data.server).toMatchObject({ id: node2.id, name: 'node-2', status: 'ACTIVE', 'OS-EXT-AZ:availability_zone': 'az2' });
    expect(r.headers['openstack-api-version']).toBe('compute 2.79');
    expect(r.headers['x-openstack-nova-api-version']).toBe('2.79');
    const missing = await c.nova('GET', '/servers/does-not-exist');
    expect(missing.status).toBe(404);
    expect(missing.data.itemNotFound).toEqual({ code: 404, message: 'Instance does-not-exist could not be found.' });
    expect((await c.nova('GET', '/servers', undefined, '2.999')).status).toBe(406);
  });

  it('honours the legacy X-OpenStack-Nova-API-Version header and defaults to 2.1 without any', async () => {
    const legacy = await http.get(`${c.computeUrl}/servers/${node1.id}`, {
      headers: { 'X-Auth-Token': c.token, 'X-OpenStack-Nova-API-Version': '2.60' },
    });
    expect(legacy.headers['x-openstack-nova-api-version']).toBe('2.60');
    expect(legacy.headers['openstack-api-version']).toBe('compute 2.60');
    const none = await http.get(`${c.computeUrl}/servers/${node1.id}`, { headers: { 'X-Auth-Token': c.token } });
    expect(none.headers['openstack-api-version']).toBe('compute 2.1');
    expect(none.data.server['os-extended-volumes:volumes_attached']).toEqual([]);
  });

  it('attaches: 200 volumeAttachment, volume reserved → in-use, a loop device of the volume size behind byIdDir/virtio-<id20>', async () => {
    const id = await createVolume(c, { size: 2 });
    const r = await c.nova('POST', `/servers/${node1.id}/os-volume_attachments`, { volumeAttachment: { volumeId: id } });
    expect(r.status).toBe(200);
    expect(r.data.volumeAttachment).toEqual({ device: '/dev/vdb', id, serverId: node1.id, volumeId: id, tag: null, delete_on_termination: false });
    expect(['reserved', 'attaching', 'in-use']).toContain(await volumeStatus(c, id));

    await waitVolume(c, id, 'in-use');
    const link = `${emu.byIdDir}/virtio-${id.slice(0, 20)}`;
    const loop = await fs.readlink(link);
    expect(loop).toMatch(/^\/dev\/loop\d+$/);
    expect(deviceSize(loop)).toBe(2 * GIB);
    const v = (await c.cinder('GET', `/volumes/${id}`)).data.volume;
    expect(v.attachments).toEqual([
      { id, attachment_id: expect.any(String), volume_id: id, server_id: node1.id, host_name: 'node-1', device: '/dev/vdb', attached_at: expect.any(String) },
    ]);
    const server = (await c.nova('GET', `/servers/${node1.id}`)).data.server;
    expect(server['os-extended-volumes:volumes_attached']).toEqual([{ id, delete_on_termination: false }]);
    const list = (await c.nova('GET', `/servers/${node1.id}/os-volume_attachments`)).data.volumeAttachments;
    expect(list).toEqual([expect.objectContaining({ volumeId: id, serverId: node1.id, device: '/dev/vdb' })]);
    const one = await c.nova('GET', `/servers/${node1.id}/os-volume_attachments/${id}`);
    expect(one.data.volumeAttachment.volumeId).toBe(id);
  });

  it('detaches: 202, detaching → available, link and loop device gone', async () => {
    const id = await createVolume(c);
    const { link } = await attach(node1, id);
    const file = emu.volumes().find((v) => v.id === id)?.file as string;
    expect(loopsBackedBy(file)).not.toBe('');
    const r = await c.nova('DELETE', `/servers/${node1.id}/os-volume_attachments/${id}`);
    expect(r.status).toBe(202);
    await waitVolume(c, id, 'available');
    await expect(fs.lstat(link)).rejects.toThrow();
    expect(loopsBackedBy(file)).toBe('');
    const again = await c.nova('DELETE', `/servers/${node1.id}/os-volume_attachments/${id}`);
    expect(again.status).toBe(404);
  });

  it('refuses attaching a missing volume (404), to a missing server (404), or a volume in use elsewhere (400)', async () => {
    const missingVol = await c.nova('POST', `/servers/${node1.id}/os-volume_attachments`, { volumeAttachment: { volumeId: 'nope' } });
    expect(missingVol.status).toBe(404);
    expect(missingVol.data.itemNotFound.message).toBe('Volume nope could not be found.');
    const id = await createVolume(c);
    const missingSrv = await c.nova('POST', '/servers/nope/os-volume_attachments', { volumeAttachment: { volumeId: id } });
    expect(missingSrv.status).toBe(404);
    await attach(node1, id);
    const busy = await c.nova('POST', `/servers/${node2.id}/os-volume_attachments`, { volumeAttachment: { volumeId: id } });
    expect(busy.status).toBe(400);
    expect(busy.data.badRequest.message).toContain('in-use');
    const noBody = await c.nova('POST', `/servers/${node2.id}/os-volume_attachments`, {});
    expect(noBody.status).toBe(400);
  });

  it('attaches a multiattach volume to a second server only with compute ≥ 2.60, sharing one device', async () => {
    const id = await createVolume(c, { volume_type: 'multiattach' });
    const first = await attach(node1, id, '2.60');
    const old = await c.nova('POST', `/servers/${node2.id}/os-volume_attachments`, { volumeAttachment: { volumeId: id } }, '2.59');
    expect(old.status).toBe(400);
    expect(old.data.badRequest.message).toContain('2.60');
    const second = await attach(node2, id, '2.60');
    expect(second.loop).toBe(first.loop);
    expect((await c.cinder('GET', `/volumes/${id}`)).data.volume.attachments).toHaveLength(2);
    await c.nova('DELETE', `/servers/${node1.id}/os-volume_attachments/${id}`, undefined, '2.60');
    await until('one attachment left', async () => (emu.volumes()[0]?.attachments.length === 1 ? true : undefined));
    expect(await volumeStatus(c, id)).toBe('in-use');
    expect(deviceSize(second.loop)).toBe(GIB);
  });

  it('extends an attached volume only with volume ≥ 3.42, growing the loop device', async () => {
    const id = await createVolume(c);
    const { loop } = await attach(node1, id);
    const old = await c.cinder('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 2 } }, '3.41');
    expect(old.status).toBe(400);
    expect(old.data.badRequest.message).toContain('in-use');
    const r = await c.cinder('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 3 } }, '3.42');
    expect(r.status).toBe(202);
    await until('extended', async () => {
      const v = (await c.cinder('GET', `/volumes/${id}`)).data.volume;
      return v.status === 'in-use' && v.size === 3 ? true : undefined;
    });
    expect(deviceSize(loop)).toBe(3 * GIB);
  });

  it('refuses a snapshot of an in-use volume without force before 3.66, allows it with force or from 3.66', async () => {
    const id = await createVolume(c);
    await attach(node1, id);
    const noForce = await c.cinder('POST', '/snapshots', { snapshot: { volume_id: id } }, '3.60');
    expect(noForce.status).toBe(400);
    expect(noForce.data.badRequest.message).toContain('must be available');
    const forced = await c.cinder('POST', '/snapshots', { snapshot: { volume_id: id, force: true } }, '3.60');
    expect(forced.status).toBe(202);
    const newer = await c.cinder('POST', '/snapshots', { snapshot: { volume_id: id } }, '3.66');
    expect(newer.status).toBe(202);
    await waitSnapshot(c, forced.data.snapshot.id, 'available');
    await waitSnapshot(c, newer.data.snapshot.id, 'available');
  });

  it('preserves written bytes through snapshot → new volume (grown), and through a clone', async () => {
    const id = await createVolume(c);
    const { loop } = await attach(node1, id);
    const marker = Buffer.from(`cinder-emulator ${id}`);
    await writeAt(loop, 5 * 1024 * 1024, marker);
    const snap = (await c.cinder('POST', '/snapshots', { snapshot: { volume_id: id, force: true, name: 's' } })).data.snapshot.id as string;
    await waitSnapshot(c, snap, 'available');
    const snapFile = emu.snapshots().find((s) => s.id === snap)?.file as string;
    expect((await fs.stat(snapFile)).size).toBe(GIB);

    const restored = (await c.cinder('POST', '/volumes', { volume: { snapshot_id: snap, size: 2 } })).data.volume;
    expect(restored.snapshot_id).toBe(snap);
    await waitVolume(c, restored.id, 'available');
    const r = await attach(node2, restored.id);
    expect(deviceSize(r.loop)).toBe(2 * GIB);
    expect((await readAt(r.loop, 5 * 1024 * 1024, marker.length)).toString()).toBe(marker.toString());

    const tooSmall = await c.cinder('POST', '/volumes', { volume: { source_volid: restored.id, size: 1 } });
    expect(tooSmall.status).toBe(400);
    const clone = (await c.cinder('POST', '/volumes', { volume: { source_volid: id } })).data.volume;
    await waitVolume(c, clone.id, 'available');
    expect(clone.source_volid).toBe(id);
    const cl = await attach(node2, clone.id);
    expect((await readAt(cl.loop, 5 * 1024 * 1024, marker.length)).toString()).toBe(marker.toString());
  });

  it('attaches many volumes at once, each to its own loop device and device name', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => createVolume(c)));
    const results = await Promise.all(ids.map((id) => attach(node1, id)));
    expect(new Set(results.map((r) => r.loop)).size).toBe(6);
    expect(new Set(results.map((r) => r.device)).size).toBe(6);
  });

  it('attaches one multiattach volume to two servers concurrently through a single loop device', async () => {
    const id = await createVolume(c, { volume_type: 'multiattach' });
    const [a, b] = await Promise.all([attach(node1, id, '2.60'), attach(node2, id, '2.60')]);
    expect(a.loop).toBe(b.loop);
    const file = emu.volumes().find((v) => v.id === id)?.file as string;
    expect(loopsBackedBy(file).split('\n')).toHaveLength(1);
  });

  it('deletes a Cinder attachment with the attachments API (≥ 3.27): volume available, loop device gone', async () => {
    const id = await createVolume(c);
    const { link } = await attach(node1, id);
    const file = emu.volumes().find((v) => v.id === id)?.file as string;
    const attachmentId = (await c.cinder('GET', `/volumes/${id}`)).data.volume.attachments[0].attachment_id as string;
    expect((await c.cinder('GET', `/attachments/${attachmentId}`, undefined, '3.26')).status).toBe(404);
    const shown = await c.cinder('GET', `/attachments/${attachmentId}`, undefined, '3.27');
    expect(shown.data.attachment).toMatchObject({ id: attachmentId, status: 'attached', instance: node1.id, volume_id: id });
    const listed = await c.cinder('GET', `/attachments?volume_id=${id}`, undefined, '3.27');
    expect(listed.data.attachments).toHaveLength(1);
    const del = await c.cinder('DELETE', `/attachments/${attachmentId}`, undefined, '3.27');
    expect(del.status).toBe(200);
    expect(del.data.attachments).toEqual([]);
    expect(await volumeStatus(c, id)).toBe('available');
    expect(loopsBackedBy(file)).toBe('');
    await expect(fs.lstat(link)).rejects.toThrow();
    expect((await c.cinder('DELETE', `/attachments/${attachmentId}`, undefined, '3.27')).status).toBe(404);
  });

  it('keeps a paused attach "reserved": Nova lists the attachment, Cinder shows none until it completes', async () => {
    const id = await createVolume(c);
    emu.faults.pauseTransitions(['attach']);
    const r = await c.nova('POST', `/servers/${node1.id}/os-volume_attachments`, { volumeAttachment: { volumeId: id } });
    expect(r.status).toBe(200);
    const vol = (await c.cinder('GET', `/volumes/${id}`)).data.volume;
    expect(vol.status).toBe('reserved');
    expect(vol.attachments).toEqual([]);
    const nova = (await c.nova('GET', `/servers/${node1.id}/os-volume_attachments`)).data.volumeAttachments;
    expect(nova.map((a: { volumeId: string }) => a.volumeId)).toEqual([id]);
    expect(await fs.lstat(`${emu.byIdDir}/virtio-${id.slice(0, 20)}`).catch(() => undefined)).toBeUndefined();
    emu.faults.resumeTransitions(['attach']);
    await waitVolume(c, id, 'in-use');
    expect((await c.cinder('GET', `/volumes/${id}`)).data.volume.attachments).toHaveLength(1);
  });

  it('removeServer detaches its volumes (loop device gone, volume available) and the server becomes 404', async () => {
    const gone = emu.addServer({ name: 'doomed-node' });
    const id = await createVolume(c);
    const { link } = await attach(gone, id);
    const file = emu.volumes().find((v) => v.id === id)?.file as string;
    await emu.removeServer(gone.id);
    expect(await volumeStatus(c, id)).toBe('available');
    expect(loopsBackedBy(file)).toBe('');
    await expect(fs.lstat(link)).rejects.toThrow();
    expect((await c.nova('GET', `/servers/${gone.id}`)).status).toBe(404);
    const detach = await c.nova('DELETE', `/servers/${gone.id}/os-volume_attachments/${id}`);
    expect(detach.status).toBe(404);
  });

  it('attaches a volume forced from "error" to "available" with os-reset_status, as an empty disk of its size', async () => {
    emu.faults.failVolumeCreate();
    const id = (await c.cinder('POST', '/volumes', { volume: { size: 1 } })).data.volume.id as string;
    await until('error', async () => ((await volumeStatus(c, id)) === 'error' ? true : undefined));
    await c.cinder('POST', `/volumes/${id}/action`, { 'os-reset_status': { status: 'available' } });
    const { loop } = await attach(node1, id);
    expect(deviceSize(loop)).toBe(GIB);
  });
});

// Nova's [compute] max_disk_devices_to_attach (root disk included): csi-sanity's attach-limit spec needs a cloud
// that refuses the attachment past the node's limit, as a Nova configured this way does.
describe('emulator Nova max_disk_devices_to_attach', () => {
  let emu: Emulator;
  let c: ApiClient;
  let node: Server;
  beforeAll(async () => {
    emu = await startEmulator({ maxDiskDevicesToAttach: 2 });
    node = emu.addServer({ name: 'node-limited' });
    c = await login(emu);
  });
  afterAll(async () => {
    await deleteEverything(c, emu);
    await emu.close();
  });

  it('refuses an attachment past the limit with Nova\'s 403 and leaves the volume available', async () => {
    const first = await createVolume(c);
    const second = await createVolume(c);
    const ok = await c.nova('POST', `/servers/${node.id}/os-volume_attachments`, { volumeAttachment: { volumeId: first } });
    expect(ok.status).toBe(200);
    const refused = await c.nova('POST', `/servers/${node.id}/os-volume_attachments`, { volumeAttachment: { volumeId: second } });
    expect(refused.status).toBe(403);
    expect(refused.data).toEqual({
      forbidden: { code: 403, message: 'The maximum allowed number of disk devices (2) to attach to a single instance has been exceeded.' },
    });
    expect(await volumeStatus(c, second)).toBe('available');
  });

  it.each([0, -2, 1.5])('rejects maxDiskDevicesToAttach %p at start', async (value) => {
    await expect(startEmulator({ maxDiskDevicesToAttach: value })).rejects.toThrow(
      'maxDiskDevicesToAttach: expected an integer >= 1 (the root disk counts), or -1 for unlimited',
    );
  });
});
