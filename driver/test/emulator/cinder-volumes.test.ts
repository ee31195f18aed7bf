import { type Emulator, startEmulator } from '../../test-support/emulator';
import { type ApiClient, createVolume, deleteEverything, http, login, until, volumeStatus, waitVolume } from './helpers';

describe('emulator Cinder v3 volumes', () => {
  let emu: Emulator;
  let c: ApiClient;
  beforeAll(async () => {
    emu = await startEmulator({ availabilityZones: ['nova', 'zone-b'], quotas: { volumes: 50, gigabytes: 100, snapshots: 10 } });
    c = await login(emu);
  });
  afterAll(async () => emu.close());
  afterEach(async () => deleteEverything(c, emu));

  it('creates a volume: 202 "creating", then "available" with every documented field', async () => {
    const r = await c.cinder('POST', '/volumes', {
      volume: { size: 2, name: 'pvc-1', description: 'd', metadata: { 'cinder.csi.openstack.org/cluster': 'k' }, availability_zone: 'zone-b' },
    });
    expect(r.status).toBe(202);
    expect(r.data.volume.status).toBe('creating');
    const id = r.data.volume.id as string;
    await waitVolume(c, id, 'available');
    const v = (await c.cinder('GET', `/volumes/${id}`)).data.volume;
    expect(v).toMatchObject({
      id,
      name: 'pvc-1',
      description: 'd',
      size: 2,
      status: 'available',
      availability_zone: 'zone-b',
      volume_type: 'standard',
      multiattach: false,
      bootable: 'false',
      encrypted: false,
      attachments: [],
      metadata: { 'cinder.csi.openstack.org/cluster': 'k' },
      snapshot_id: null,
      source_volid: null,
      user_id: emu.userId,
      'os-vol-tenant-attr:tenant_id': emu.projectId,
    });
    expect(v.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(v.updated_at).not.toBeNull();
  });

  it('echoes the OpenStack-API-Version header and rejects an unsupported microversion with 406', async () => {
    const ok = await c.cinder('GET', '/volumes', undefined, '3.42');
    expect(ok.headers['openstack-api-version']).toBe('volume 3.42');
    const latest = await c.cinder('GET', '/volumes', undefined, 'latest');
    expect(latest.headers['openstack-api-version']).toBe('volume 3.70');
    const bad = await c.cinder('GET', '/volumes', undefined, '3.99');
    expect(bad.status).toBe(406);
    expect(bad.data.computeFault.message).toContain('3.99');
    const wrongMajor = await c.cinder('GET', '/volumes', undefined, '4.0');
    expect(wrongMajor.status).toBe(406);
  });

  it('answers 404 itemNotFound for an unknown volume', async () => {
    const r = await c.cinder('GET', '/volumes/00000000-0000-0000-0000-000000000000');
    expect(r.status).toBe(404);
    expect(r.data).toEqual({ itemNotFound: { code: 404, message: 'Volume 00000000-0000-0000-0000-000000000000 could not be found.' } });
  });

  it('validates create input: size, volume type (404), availability zone (400)', async () => {
    const noSize = await c.cinder('POST', '/volumes', { volume: { name: 'x' } });
    expect(noSize.status).toBe(400);
    expect(noSize.data.badRequest.message).toContain('size');
    const badSize = await c.cinder('POST', '/volumes', { volume: { size: -1 } });
    expect(badSize.status).toBe(400);
    const noBody = await c.cinder('POST', '/volumes', { size: 1 });
    expect(noBody.status).toBe(400);
    expect(noBody.data.badRequest.message).toContain("'volume' is a required property");
    const badType = await c.cinder('POST', '/volumes', { volume: { size: 1, volume_type: 'gold' } });
    expect(badType.status).toBe(404);
    expect(badType.data.itemNotFound.message).toBe('Volume type with name gold could not be found.');
    const badAz = await c.cinder('POST', '/volumes', { volume: { size: 1, availability_zone: 'mars' } });
    expect(badAz.status).toBe(400);
    expect(badAz.data.badRequest.message).toContain("'mars'");
    const badJson = await http.post(`${c.volumeUrl}/volumes`, '{not json', {
      headers: { 'X-Auth-Token': c.token, 'Content-Type': 'application/json' },
      transformRequest: (d: unknown) => d,
    });
    expect(badJson.status).toBe(400);
  });

  it('makes volumes of the multiattach type multiattach', async () => {
    const id = await createVolume(c, { volume_type: 'multiattach' });
    const v = (await c.cinder('GET', `/volumes/${id}`)).data.volume;
    expect(v.multiattach).toBe(true);
    expect(v.volume_type).toBe('multiattach');
    const types = (await c.cinder('GET', '/types')).data.volume_types as Array<{ name: string; extra_specs: Record<string, string> }>;
    expect(types.find((t) => t.name === 'multiattach')?.extra_specs.multiattach).toBe('<is> True');
  });

  it('deletes: 202, "deleting", then 404; the backing file is gone', async () => {
    const id = await createVolume(c);
    const file = emu.volumes().find((v) => v.id === id)?.file as string;
    const r = await c.cinder('DELETE', `/volumes/${id}`);
    expect(r.status).toBe(202);
    expect(['deleting', 'deleted']).toContain(await volumeStatus(c, id));
    await waitVolume(c, id, 'deleted');
    await expect(import('node:fs').then((fs) => fs.promises.stat(file))).rejects.toThrow();
  });

  it('refuses to delete a volume that is still creating or has snapshots (400)', async () => {
    emu.faults.pauseTransitions(['create']);
    const r = await c.cinder('POST', '/volumes', { volume: { size: 1 } });
    const creating = r.data.volume.id as string;
    const d1 = await c.cinder('DELETE', `/volumes/${creating}`);
    expect(d1.status).toBe(400);
    expect(d1.data.badRequest.message).toMatch(/^Invalid volume: /);
    emu.faults.resumeTransitions();
    await waitVolume(c, creating, 'available');
    const s = await c.cinder('POST', '/snapshots', { snapshot: { volume_id: creating } });
    expect(s.status).toBe(202);
    const d2 = await c.cinder('DELETE', `/volumes/${creating}`);
    expect(d2.status).toBe(400);
  });

  it('keeps a volume "creating" while transitions are paused, until released', async () => {
    emu.faults.pauseTransitions(['create']);
    const id = (await c.cinder('POST', '/volumes', { volume: { size: 1 } })).data.volume.id as string;
    await new Promise((r) => setTimeout(r, 150));
    expect(await volumeStatus(c, id)).toBe('creating');
    emu.faults.resumeTransitions(['create']);
    await waitVolume(c, id, 'available');
  });

  it('puts a fault-injected creation in "error"', async () => {
    emu.faults.failVolumeCreate({ name: 'doomed' });
    const id = (await c.cinder('POST', '/volumes', { volume: { size: 1, name: 'doomed' } })).data.volume.id as string;
    await until('error', async () => ((await volumeStatus(c, id)) === 'error' ? true : undefined));
    expect((await c.cinder('DELETE', `/volumes/${id}`)).status).toBe(202);
  });

  it('extends an available volume: "extending" then "available" with the new size; refuses shrinking', async () => {
    const id = await createVolume(c);
    const r = await c.cinder('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 3 } });
    expect(r.status).toBe(202);
    await until('size 3', async () => {
      const v = (await c.cinder('GET', `/volumes/${id}`)).data.volume;
      return v.status === 'available' && v.size === 3 ? true : undefined;
    });
    const shrink = await c.cinder('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 2 } });
    expect(shrink.status).toBe(400);
    expect(shrink.data.badRequest.message).toContain('New size for extend must be greater than current size');
  });

  it('puts a fault-injected extend in "error_extending" and keeps the old size', async () => {
    const id = await createVolume(c);
    emu.faults.failVolumeExtend({ volumeId: id });
    await c.cinder('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 2 } });
    await until('error_extending', async () => ((await volumeStatus(c, id)) === 'error_extending' ? true : undefined));
    expect((await c.cinder('GET', `/volumes/${id}`)).data.volume.size).toBe(1);
  });

  it('retypes and resets status; unknown actions are 400', async () => {
    const id = await createVolume(c);
    expect((await c.cinder('POST', `/volumes/${id}/action`, { 'os-retype': { new_type: 'multiattach', migration_policy: 'never' } })).status).toBe(202);
    await until('retyped', async () => {
      const v = (await c.cinder('GET', `/volumes/${id}`)).data.volume;
      return v.volume_type === 'multiattach' && v.status === 'available' ? true : undefined;
    });
    expect((await c.cinder('POST', `/volumes/${id}/action`, { 'os-reset_status': { status: 'error' } })).status).toBe(202);
    expect(await volumeStatus(c, id)).toBe('error');
    const unknown = await c.cinder('POST', `/volumes/${id}/action`, { 'os-frobnicate': {} });
    expect(unknown.status).toBe(400);
    expect(unknown.data.badRequest.message).toBe('There is no such action: os-frobnicate');
  });

  it('refuses creation over the volumes or gigabytes quota with 413 overLimit and Retry-After', async () => {
    const small = await startEmulator({ quotas: { volumes: 1, gigabytes: 3 } });
    try {
      const s = await login(small);
      const big = await s.cinder('POST', '/volumes', { volume: { size: 4 } });
      expect(big.status).toBe(413);
      expect(big.headers['retry-after']).toBe('0');
      expect(big.data.overLimit).toMatchObject({ code: 413, retryAfter: '0' });
      expect(big.data.overLimit.message).toContain('gigabytes quota');
      await createVolume(s);
      const second = await s.cinder('POST', '/volumes', { volume: { size: 1 } });
      expect(second.status).toBe(413);
      expect(second.data.overLimit.message).toContain("quota 'volumes'");
      const limits = (await s.cinder('GET', '/limits')).data.limits.absolute;
      expect(limits).toMatchObject({ maxTotalVolumes: 1, maxTotalVolumeGigabytes: 3, totalVolumesUsed: 1, totalGigabytesUsed: 1 });
    } finally {
      await small.close();
    }
  });

  it('refuses a snapshot over the snapshots quota (413) and counts snapshot gigabytes in usage', async () => {
    const small = await startEmulator({ quotas: { snapshots: 1 }, transitionDelayMs: 1 });
    try {
      const s = await login(small);
      const v = await createVolume(s, { size: 2 });
      expect((await s.cinder('POST', '/snapshots', { snapshot: { volume_id: v } })).status).toBe(202);
      const second = await s.cinder('POST', '/snapshots', { snapshot: { volume_id: v } });
      expect(second.status).toBe(413);
      expect(second.data.overLimit.message).toContain('Maximum number of snapshots allowed (1) exceeded');
      const limits = (await s.cinder('GET', '/limits')).data.limits.absolute;
      expect(limits).toMatchObject({ totalSnapshotsUsed: 1, totalGigabytesUsed: 4, maxTotalSnapshots: 1 });
    } finally {
      await small.close();
    }
  });

  it('lists the availability zones', async () => {
    const r = await c.cinder('GET', '/os-availability-zone');
    expect(r.data.availabilityZoneInfo).toEqual([
      { zoneName: 'nova', zoneState: { available: true } },
      { zoneName: 'zone-b', zoneState: { available: true } },
    ]);
  });

  it('accepts a numeric-string size and refuses the removed multiattach request flag', async () => {
    const r = await c.cinder('POST', '/volumes', { volume: { size: '2' } });
    expect(r.status).toBe(202);
    expect(r.data.volume.size).toBe(2);
    const flag = await c.cinder('POST', '/volumes', { volume: { size: 1, multiattach: true } });
    expect(flag.status).toBe(400);
    expect(flag.data.badRequest.message).toContain('multiattach parameter has been removed');
  });

  it('answers 404 for an unknown path and 405 for a wrong method, with fault bodies', async () => {
    const r = await c.cinder('GET', '/nothing-here');
    expect(r.status).toBe(404);
    expect(r.data.itemNotFound.code).toBe(404);
    const m = await c.cinder('PATCH', '/volumes');
    expect(m.status).toBe(405);
  });
});
