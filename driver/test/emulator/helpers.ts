import axios, { type AxiosResponse } from 'axios';
import type { Emulator } from '../../test-support/emulator';

export const http = axios.create({ validateStatus: () => true, proxy: false });

export interface ApiClient {
  token: string;
  projectId: string;
  volumeUrl: string;
  computeUrl: string;
  cinder(method: string, path: string, body?: unknown, mv?: string): Promise<AxiosResponse>;
  nova(method: string, path: string, body?: unknown, mv?: string): Promise<AxiosResponse>;
}

export function passwordAuth(overrides: Record<string, unknown> = {}, password = 'secret'): Record<string, unknown> {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: 'admin', domain: { name: 'Default' }, password } },
      },
      scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      ...overrides,
    },
  };
}

type CatalogEntry = { type: string; endpoints: Array<{ interface: string; url: string }> };

export async function login(emu: Emulator): Promise<ApiClient> {
  const r = await http.post(`${emu.authUrl}/auth/tokens`, passwordAuth());
  if (r.status !== 201) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.data)}`);
  const token = r.headers['x-subject-token'] as string;
  const catalog = r.data.token.catalog as CatalogEntry[];
  const url = (type: string): string =>
    catalog.find((c) => c.type === type)?.endpoints.find((e) => e.interface === 'public')?.url as string;
  const volumeUrl = url('volumev3');
  const computeUrl = url('compute');
  const call = (base: string, service: string, defMv: string) =>
    (method: string, path: string, body?: unknown, mv: string = defMv) =>
      http.request({
        method,
        url: `${base}${path}`,
        data: body,
        headers: { 'X-Auth-Token': token, 'OpenStack-API-Version': `${service} ${mv}` },
      });
  return {
    token,
    projectId: r.data.token.project.id as string,
    volumeUrl,
    computeUrl,
    cinder: call(volumeUrl, 'volume', '3.60'),
    nova: call(computeUrl, 'compute', '2.79'),
  };
}

import { until } from '../helpers/waiting';
export { until };

export async function volumeStatus(c: ApiClient, id: string): Promise<string> {
  const r = await c.cinder('GET', `/volumes/${id}`);
  if (r.status === 404) return 'deleted';
  return r.data.volume.status as string;
}

export async function waitVolume(c: ApiClient, id: string, want: string): Promise<void> {
  await until(`volume ${id} ${want}`, async () => {
    const s = await volumeStatus(c, id);
    if (s !== want && (s.startsWith('error') || (s === 'deleted' && want !== 'deleted'))) {
      throw new Error(`volume ${id} went to ${s} while waiting for ${want}`);
    }
    return s === want ? true : undefined;
  });
}

export async function waitSnapshot(c: ApiClient, id: string, want: string): Promise<void> {
  await until(`snapshot ${id} ${want}`, async () => {
    const r = await c.cinder('GET', `/snapshots/${id}`);
    const s = r.status === 404 ? 'deleted' : (r.data.snapshot.status as string);
    return s === want ? true : undefined;
  });
}

export async function createVolume(c: ApiClient, spec: Record<string, unknown> = {}): Promise<string> {
  const r = await c.cinder('POST', '/volumes', { volume: { size: 1, ...spec } });
  if (r.status !== 202) throw new Error(`create volume: ${r.status} ${JSON.stringify(r.data)}`);
  const id = r.data.volume.id as string;
  await waitVolume(c, id, 'available');
  return id;
}

const SETTLED = new Set(['available', 'in-use', 'error', 'error_extending', 'error_deleting']);

/** Deletes every snapshot and volume (after their transitions settled), so each test starts empty. */
export async function deleteEverything(c: ApiClient, emu: Emulator): Promise<void> {
  emu.faults.clear();
  await until('transitions settled', async () =>
    emu.volumes().every((v) => SETTLED.has(v.status)) && emu.snapshots().every((s) => SETTLED.has(s.status)) ? true : undefined,
  );
  for (const v of emu.volumes()) {
    for (const a of v.attachments) await c.nova('DELETE', `/servers/${a.serverId}/os-volume_attachments/${v.id}`);
  }
  await until('detached', async () => (emu.volumes().every((v) => v.attachments.length === 0) ? true : undefined));
  for (const v of emu.volumes()) {
    if (v.status !== 'available' && !v.status.startsWith('error')) {
      await c.cinder('POST', `/volumes/${v.id}/action`, { 'os-reset_status': { status: 'available' } });
    }
    const r = await c.cinder('DELETE', `/volumes/${v.id}?cascade=true`);
    if (r.status !== 202) throw new Error(`cleanup delete ${v.id}: ${r.status} ${JSON.stringify(r.data)}`);
  }
  await until('all deleted', async () => (emu.volumes().length === 0 && emu.snapshots().length === 0 ? true : undefined));
}
