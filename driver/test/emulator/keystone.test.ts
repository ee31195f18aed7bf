import { type Emulator, startEmulator } from '../../test-support/emulator';
import { http, login, passwordAuth } from './helpers';

describe('emulator Keystone v3', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      region: 'RegionTest',
      applicationCredentials: [{ id: 'ac1', name: 'csi', secret: 'ac-secret' }],
      users: [{ id: 'trustee1', name: 'csi-trustee', password: 'tpass' }],
      trusts: [{ id: 'trust1', trusteeUserId: 'trustee1' }],
    });
  });
  afterAll(async () => emu.close());

  const tokens = (body: unknown) => http.post(`${emu.authUrl}/auth/tokens`, body);

  it('serves the v3 version document', async () => {
    const r = await http.get(emu.authUrl);
    expect(r.status).toBe(200);
    expect(r.data.version.id).toMatch(/^v3\./);
    expect(r.data.version.status).toBe('stable');
  });

  it('issues a project-scoped token for a password user by name and domain name, in X-Subject-Token', async () => {
    const before = emu.counters.tokensIssued;
    const r = await tokens(passwordAuth());
    expect(r.status).toBe(201);
    expect(typeof r.headers['x-subject-token']).toBe('string');
    const t = r.data.token;
    expect(t.methods).toEqual(['password']);
    expect(t.user).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(t.project).toMatchObject({ id: emu.projectId, name: 'admin', domain: { id: 'default' } });
    expect(Date.parse(t.expires_at)).toBeGreaterThan(Date.parse(t.issued_at));
    expect(t.roles.map((x: { name: string }) => x.name)).toContain('admin');
    expect(emu.counters.tokensIssued).toBe(before + 1);
  });

  it('accepts user and project by id and domain by id', async () => {
    const r = await tokens({
      auth: {
        identity: { methods: ['password'], password: { user: { id: emu.userId, password: 'secret' } } },
        scope: { project: { id: emu.projectId } },
      },
    });
    expect(r.status).toBe(201);
    const r2 = await tokens(passwordAuth({ scope: { project: { name: 'admin', domain: { id: 'default' } } } }));
    expect(r2.status).toBe(201);
  });

  it('publishes volumev3, block-storage and compute with public, internal and admin endpoints in the region', async () => {
    const r = await tokens(passwordAuth());
    const catalog = r.data.token.catalog as Array<{ type: string; id: string; name: string; endpoints: Array<Record<string, string>> }>;
    const port = new URL(emu.authUrl).port;
    const byType = (t: string) => catalog.find((c) => c.type === t);
    expect(byType('volumev3')?.endpoints.map((e) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
    for (const e of byType('volumev3')?.endpoints ?? []) {
      expect(e).toMatchObject({ region: 'RegionTest', region_id: 'RegionTest', url: `http://127.0.0.1:${port}/volume/v3/${emu.projectId}` });
      expect(typeof e.id).toBe('string');
    }
    expect(byType('block-storage')?.endpoints[0]?.url).toBe(`http://127.0.0.1:${port}/volume/v3/${emu.projectId}`);
    expect(byType('compute')?.endpoints[0]?.url).toBe(`http://127.0.0.1:${port}/compute/v2.1`);
  });

  it('refuses a wrong password with 401 and the Keystone error body', async () => {
    const r = await tokens(passwordAuth({}, 'wrong'));
    expect(r.status).toBe(401);
    expect(r.data).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
    expect(JSON.stringify(r.data)).not.toContain('wrong');
  });

  it('refuses an unknown project scope with 401 and a malformed body with 400', async () => {
    const r = await tokens(passwordAuth({ scope: { project: { name: 'other', domain: { name: 'Default' } } } }));
    expect(r.status).toBe(401);
    const r2 = await tokens({ auth: {} });
    expect(r2.status).toBe(400);
    expect(r2.data.error.message).toContain('identity');
  });

  it('authenticates an application credential by id and by name + user; refuses a wrong secret', async () => {
    const byId = await tokens({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 'ac-secret' } } },
    });
    expect(byId.status).toBe(201);
    expect(byId.data.token.application_credential).toMatchObject({ id: 'ac1', name: 'csi' });
    expect(byId.data.token.project.id).toBe(emu.projectId);
    const byName = await tokens({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { name: 'csi', secret: 'ac-secret', user: { name: 'admin', domain: { name: 'Default' } } },
        },
      },
    });
    expect(byName.status).toBe(201);
    const wrong = await tokens({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 'nope' } } },
    });
    expect(wrong.status).toBe(401);
  });

  it('rescopes a trustee token to a trust with the token method', async () => {
    const trustee = await tokens({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'csi-trustee', domain: { id: 'default' }, password: 'tpass' } } },
      },
    });
    expect(trustee.status).toBe(201);
    expect(trustee.data.token.catalog).toBeUndefined();
    const r = await tokens({
      auth: {
        identity: { methods: ['token'], token: { id: trustee.headers['x-subject-token'] } },
        scope: { 'OS-TRUST:trust': { id: 'trust1' } },
      },
    });
    expect(r.status).toBe(201);
    expect(r.data.token['OS-TRUST:trust']).toMatchObject({ id: 'trust1', trustee_user: { id: 'trustee1' } });
    expect(r.data.token.project.id).toBe(emu.projectId);
    const notTrustee = await login(emu);
    const r2 = await tokens({
      auth: { identity: { methods: ['token'], token: { id: notTrustee.token } }, scope: { 'OS-TRUST:trust': { id: 'trust1' } } },
    });
    expect(r2.status).toBe(403);
  });

  it('rejects a missing, unknown or expired X-Auth-Token on Cinder and Nova with 401', async () => {
    const c = await login(emu);
    expect((await http.get(`${c.volumeUrl}/volumes`)).status).toBe(401);
    const unknown = await http.get(`${c.volumeUrl}/volumes`, { headers: { 'X-Auth-Token': 'bogus' } });
    expect(unknown.status).toBe(401);
    expect(unknown.data.error.code).toBe(401);
    expect((await c.cinder('GET', '/volumes')).status).toBe(200);
    emu.expireAllTokens();
    expect((await c.cinder('GET', '/volumes')).status).toBe(401);
    expect((await c.nova('GET', '/servers')).status).toBe(401);
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    const short = await startEmulator({ tokenTtlSeconds: 0.05 });
    try {
      const c = await login(short);
      await new Promise((r) => setTimeout(r, 100));
      expect((await c.cinder('GET', '/volumes')).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('refuses a token scoped to another project on a Cinder URL with 400 Malformed request url', async () => {
    const c = await login(emu);
    const r = await http.get(c.volumeUrl.replace(emu.projectId, 'someoneelse') + '/volumes', { headers: { 'X-Auth-Token': c.token } });
    expect(r.status).toBe(400);
    expect(r.data.badRequest.message).toBe('Malformed request url');
  });

  it('validates (GET) and revokes (DELETE) a token given in X-Subject-Token', async () => {
    const admin = await login(emu);
    const victim = await login(emu);
    const headers = { 'X-Auth-Token': admin.token, 'X-Subject-Token': victim.token };
    const shown = await http.get(`${emu.authUrl}/auth/tokens`, { headers });
    expect(shown.status).toBe(200);
    expect(shown.data.token.project.id).toBe(emu.projectId);
    expect((await http.delete(`${emu.authUrl}/auth/tokens`, { headers })).status).toBe(204);
    expect((await victim.cinder('GET', '/volumes')).status).toBe(401);
    expect((await http.get(`${emu.authUrl}/auth/tokens`, { headers })).status).toBe(404);
    expect((await admin.cinder('GET', '/volumes')).status).toBe(200);
  });
});
