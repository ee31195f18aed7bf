import type { AxiosResponse } from 'axios';
import { type Emulator, startEmulator } from '../../test-support/emulator';
import { type ApiClient, createVolume, deleteEverything, http, login, waitSnapshot } from './helpers';

describe('emulator Cinder v3 listing: pagination, sorting, filters', () => {
  let emu: Emulator;
  let c: ApiClient;
  const ids: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ transitionDelayMs: 1 });
    c = await login(emu);
    for (let i = 0; i < 5; i++) {
      ids.push(await createVolume(c, { name: `vol-${i}`, size: i + 1, metadata: { group: i % 2 === 0 ? 'even' : 'odd' } }));
    }
  });
  afterAll(async () => {
    await deleteEverything(c, emu);
    await emu.close();
  });

  it('lists newest first by default; /volumes has the summary view, /volumes/detail the full one', async () => {
    const summary = (await c.cinder('GET', '/volumes')).data;
    expect(summary.volumes.map((v: { id: string }) => v.id)).toEqual([...ids].reverse());
    expect(Object.keys(summary.volumes[0]).sort()).toEqual(['id', 'links', 'name']);
    expect(summary.volumes_links).toBeUndefined();
    const detail = (await c.cinder('GET', '/volumes/detail')).data;
    expect(detail.volumes[0].status).toBe('available');
  });

  it('pages with limit and marker, following volumes_links "next" until an empty page', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${c.volumeUrl}/volumes/detail?limit=2`;
    let pages = 0;
    while (url) {
      const r: AxiosResponse = await http.get(url, { headers: { 'X-Auth-Token': c.token } });
      expect(r.status).toBe(200);
      seen.push(...r.data.volumes.map((v: { id: string }) => v.id));
      const next: { rel: string; href: string } | undefined = (r.data.volumes_links as Array<{ rel: string; href: string }> | undefined)?.find((l) => l.rel === 'next');
      if (next) expect(next.href).toContain('limit=2');
      url = next?.href;
      pages++;
    }
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
  });

  it('gives a next link when the page is exactly full, like Cinder (the following page is empty)', async () => {
    const r = await c.cinder('GET', '/volumes?limit=5');
    expect(r.data.volumes).toHaveLength(5);
    const next = r.data.volumes_links[0];
    expect(next.rel).toBe('next');
    const after = await http.get(next.href, { headers: { 'X-Auth-Token': c.token } });
    expect(after.data.volumes).toEqual([]);
    expect(after.data.volumes_links).toBeUndefined();
  });

  it('rejects an unknown marker with 404 and a bad limit with 400', async () => {
    const m = await c.cinder('GET', '/volumes?marker=nope');
    expect(m.status).toBe(404);
    expect(m.data.itemNotFound.message).toBe('Volume nope could not be found.');
    const l = await c.cinder('GET', '/volumes?limit=abc');
    expect(l.status).toBe(400);
    expect(l.data.badRequest.message).toBe('limit param must be an integer');
  });

  it('adds the filtered total as "count" when asked with with_count from 3.45', async () => {
    const r = await c.cinder('GET', '/volumes?limit=2&with_count=true', undefined, '3.45');
    expect(r.data.count).toBe(5);
    expect(r.data.volumes).toHaveLength(2);
    // Cinder compares the limit with the total when counting: even the last page links to a next (empty) one.
    const last = await c.cinder('GET', `/volumes?limit=2&with_count=true&marker=${ids[1]}`, undefined, '3.45');
    expect(last.data.volumes.map((v: { id: string }) => v.id)).toEqual([ids[0]]);
    expect(last.data.volumes_links[0].rel).toBe('next');
    const old = await c.cinder('GET', '/volumes?with_count=true', undefined, '3.44');
    expect(old.data.count).toBeUndefined();
  });

  it('sorts by sort=key:dir and rejects an unknown sort key', async () => {
    const r = await c.cinder('GET', '/volumes/detail?sort=size:asc');
    expect(r.data.volumes.map((v: { size: number }) => v.size)).toEqual([1, 2, 3, 4, 5]);
    const bad = await c.cinder('GET', '/volumes?sort=color:asc');
    expect(bad.status).toBe(400);
  });

  it('filters by name, status and metadata (JSON or Python-literal dict)', async () => {
    const byName = await c.cinder('GET', '/volumes/detail?name=vol-3');
    expect(byName.data.volumes.map((v: { id: string }) => v.id)).toEqual([ids[3]]);
    const byStatus = await c.cinder('GET', '/volumes/detail?status=error');
    expect(byStatus.data.volumes).toEqual([]);
    const md = encodeURIComponent(JSON.stringify({ group: 'odd' }));
    const odd = await c.cinder('GET', `/volumes/detail?metadata=${md}`);
    expect(odd.data.volumes.map((v: { id: string }) => v.id).sort()).toEqual([ids[1], ids[3]].sort());
    const py = await c.cinder('GET', `/volumes/detail?metadata=${encodeURIComponent("{'group': 'even'}")}`);
    expect(py.data.volumes).toHaveLength(3);
    const garbage = await c.cinder('GET', '/volumes/detail?metadata=notadict');
    expect(garbage.status).toBe(200);
    expect(garbage.data.volumes).toEqual([]);
  });

  it('lists snapshots with volume_id/name/status filters and snapshots_links', async () => {
    const s1 = (await c.cinder('POST', '/snapshots', { snapshot: { volume_id: ids[0], name: 'a' } })).data.snapshot.id as string;
    const s2 = (await c.cinder('POST', '/snapshots', { snapshot: { volume_id: ids[1], name: 'b' } })).data.snapshot.id as string;
    await waitSnapshot(c, s1, 'available');
    await waitSnapshot(c, s2, 'available');
    const byVolume = await c.cinder('GET', `/snapshots/detail?volume_id=${ids[1]}`);
    expect(byVolume.data.snapshots.map((s: { id: string }) => s.id)).toEqual([s2]);
    const byName = await c.cinder('GET', '/snapshots/detail?name=a&status=available');
    expect(byName.data.snapshots.map((s: { id: string }) => s.id)).toEqual([s1]);
    const page = await c.cinder('GET', '/snapshots/detail?limit=1');
    expect(page.data.snapshots).toHaveLength(1);
    expect(page.data.snapshots_links[0].rel).toBe('next');
    expect(page.data.snapshots[0]).toMatchObject({ 'os-extended-snapshot-attributes:progress': '100%' });
  });
});
