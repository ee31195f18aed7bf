import { type Emulator, startEmulator } from '../../test-support/emulator';
import { type ApiClient, deleteEverything, http, login, passwordAuth, until, volumeStatus } from './helpers';

describe('emulator fault injection', () => {
  let emu: Emulator;
  let c: ApiClient;
  beforeAll(async () => {
    emu = await startEmulator();
    c = await login(emu);
  });
  afterEach(async () => deleteEverything(c, emu));
  afterAll(async () => emu.close());

  it('answers a matching request with 503 and an OpenStack fault body, once by default', async () => {
    const id = emu.faults.add({ method: 'GET', path: '/volume/v3/{project_id}/volumes', action: { kind: 'status', status: 503 } });
    const r = await c.cinder('GET', '/volumes');
    expect(r.status).toBe(503);
    expect(r.data.serviceUnavailable.code).toBe(503);
    expect(typeof r.data.serviceUnavailable.message).toBe('string');
    expect((await c.cinder('GET', '/volumes')).status).toBe(200);
    expect(emu.faults.fired[id]).toBe(1);
  });

  it('answers 500 with computeFault, and Keystone-style errors on identity paths', async () => {
    emu.faults.add({ path: '/volume/**', count: 1, action: { kind: 'status', status: 500 } });
    const r = await c.cinder('GET', '/types');
    expect(r.status).toBe(500);
    expect(r.data.computeFault.code).toBe(500);
    emu.faults.add({ path: '/identity/v3/auth/tokens', action: { kind: 'status', status: 500 } });
    const k = await http.post(`${emu.authUrl}/auth/tokens`, passwordAuth());
    expect(k.status).toBe(500);
    expect(k.data.error).toMatchObject({ code: 500, title: 'Internal Server Error' });
  });

  it('answers 429 and 413 with Retry-After', async () => {
    emu.faults.add({ method: 'POST', path: '/volume/v3/*/volumes', action: { kind: 'status', status: 429, retryAfterSeconds: 2 } });
    const r = await c.cinder('POST', '/volumes', { volume: { size: 1 } });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('2');
    expect(r.data.overLimit).toMatchObject({ code: 429, retryAfter: '2' });
    emu.faults.add({ method: 'POST', path: '/volume/v3/*/volumes', action: { kind: 'status', status: 413, retryAfterSeconds: 5 } });
    const r2 = await c.cinder('POST', '/volumes', { volume: { size: 1 } });
    expect(r2.status).toBe(413);
    expect(r2.headers['retry-after']).toBe('5');
    expect(emu.volumes()).toHaveLength(0);
  });

  it('drops the connection without a response', async () => {
    emu.faults.add({ path: '/volume/v3/*/volumes', action: { kind: 'drop' } });
    await expect(c.cinder('GET', '/volumes')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|socket hang up/) });
    expect((await c.cinder('GET', '/volumes')).status).toBe(200);
  });

  it('delays a matching request and then serves it', async () => {
    emu.faults.add({ path: '/volume/v3/*/volumes', action: { kind: 'delay', ms: 100 } });
    const r = await c.cinder('GET', '/volumes');
    expect(r.status).toBe(200);
  });

  it('expires the token on its next use: that request gets 401, a new token works', async () => {
    const mine = await login(emu);
    emu.faults.add({ path: '/compute/**', action: { kind: 'expireToken' } });
    expect((await mine.nova('GET', '/servers')).status).toBe(401);
    expect((await mine.cinder('GET', '/volumes')).status).toBe(401);
    const fresh = await login(emu);
    expect((await fresh.nova('GET', '/servers')).status).toBe(200);
  });

  it('lets an unscoped token-expiry rule wait for a request with a token (a login does not use it up)', async () => {
    emu.faults.add({ action: { kind: 'expireToken' } });
    const mine = await login(emu);
    expect((await mine.cinder('GET', '/volumes')).status).toBe(401);
    expect((await (await login(emu)).cinder('GET', '/volumes')).status).toBe(200);
  });

  it('fires probabilistic faults on the same requests for the same seed', async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      emu.faults.add({ path: '/volume/v3/*/types', count: Infinity, probability: 0.5, seed, action: { kind: 'status', status: 503 } });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await c.cinder('GET', '/types')).status);
      emu.faults.clear();
      return out;
    };
    const a = await pattern(42);
    const b = await pattern(42);
    expect(a).toEqual(b);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  it('adds global latency to every request without failing it, and refuses a negative latency', async () => {
    emu.faults.setLatency(30);
    expect((await c.cinder('GET', '/types')).status).toBe(200);
    expect(() => emu.faults.setLatency(-1)).toThrow('latency');
    emu.faults.setLatency(0);
  });

  it('counts requests per route template', async () => {
    const before = emu.counters.requests['GET /volume/v3/{project_id}/types'] ?? 0;
    await c.cinder('GET', '/types');
    expect(emu.counters.requests['GET /volume/v3/{project_id}/types']).toBe(before + 1);
  });

  it('is driven over HTTP by another process: faults, pause/resume, volume faults, servers, state', async () => {
    const ctl = emu.controlUrl;
    const add = await http.post(`${ctl}/faults`, { method: 'GET', path: '/volume/v3/{project_id}/volumes', count: 2, action: { kind: 'status', status: 503 } });
    expect(add.status).toBe(201);
    expect((await c.cinder('GET', '/volumes')).status).toBe(503);
    expect((await http.get(`${ctl}/faults`)).data.fired[add.data.id]).toBe(1);
    expect((await http.delete(`${ctl}/faults`)).status).toBe(204);
    expect((await c.cinder('GET', '/volumes')).status).toBe(200);

    const bad = await http.post(`${ctl}/faults`, { action: { kind: 'explode' } });
    expect(bad.status).toBe(400);
    expect(bad.data.badRequest.message).toContain('action.kind');

    expect((await http.post(`${ctl}/transitions/pause`, { kinds: ['create'] })).status).toBe(204);
    const id = (await c.cinder('POST', '/volumes', { volume: { size: 1 } })).data.volume.id as string;
    await new Promise((r) => setTimeout(r, 120));
    expect(await volumeStatus(c, id)).toBe('creating');
    await http.post(`${ctl}/transitions/resume`, {});
    await until('available', async () => ((await volumeStatus(c, id)) === 'available' ? true : undefined));

    expect((await http.post(`${ctl}/volume-faults`, { on: 'create' })).status).toBe(204);
    const doomed = (await c.cinder('POST', '/volumes', { volume: { size: 1 } })).data.volume.id as string;
    await until('error', async () => ((await volumeStatus(c, doomed)) === 'error' ? true : undefined));

    const srv = await http.post(`${ctl}/servers`, { name: 'remote-node' });
    expect(srv.status).toBe(201);
    expect((await c.nova('GET', `/servers/${srv.data.server.id}`)).data.server.name).toBe('remote-node');
    expect((await http.put(`${ctl}/metadata-server`, { serverId: srv.data.server.id })).status).toBe(204);
    const md = await http.get(`${emu.metadataUrl}/openstack/latest/meta_data.json`);
    expect(md.data).toMatchObject({ uuid: srv.data.server.id, name: 'remote-node', availability_zone: 'nova', project_id: emu.projectId, devices: [] });

    const state = await http.get(`${ctl}/state`);
    expect(state.data.volumes.map((v: { id: string }) => v.id).sort()).toEqual([id, doomed].sort());

    const mine = await login(emu);
    await http.post(`${ctl}/tokens/expire`);
    expect((await mine.cinder('GET', '/volumes')).status).toBe(401);
    c = await login(emu);
  });
});
