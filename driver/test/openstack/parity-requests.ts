import type { OpenStackAdmin, RawResponse } from './openstack-admin';

/*
 * One fixed sequence of raw Cinder/Nova requests (creates, lists, attach/detach, snapshots, the error cases the
 * driver meets), sent alike to the emulator and to the real OpenStack to compare their answers
 * (emulator-parity.test.ts, parity-probe.ts).
 */

export interface Step {
  readonly name: string;
  readonly res: RawResponse;
}
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const HEX32 = /\b[0-9a-f]{32}\b/g;

/** The body with ids, hex ids, times and host:port masked, so answers of two installations compare. */
export function mask(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null).replace(UUID, '<uuid>').replace(HEX32, '<hex>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)?/g, '<time>').replace(/127\.0\.0\.1:\d+(\/[a-z]+)?/g, '<host>')) as unknown;
}

async function waitVolume(os: OpenStackAdmin, id: string, want: string): Promise<void> {
  await os.until(`volume ${id} ${want}`, () => os.volume(id), (v) => (want === 'deleted' ? v === undefined : v?.status === want), 120_000);
}

/** Runs the sequence as `os` against `serverId` (an ACTIVE server) and deletes what it created. */
export async function probeRequests(os: OpenStackAdmin, serverId: string): Promise<Step[]> {
  const steps: Step[] = [];
  const run = async (name: string, service: 'volumev3' | 'compute', method: string, path: string, body?: unknown, mv?: string): Promise<RawResponse> => {
    const res = await os.raw(service, method, path, body, mv);
    steps.push({ name, res });
    return res;
  };
  const tag = `parity-${Date.now()}`;
  // The documents the driver negotiates microversions from (src/cloud/microversions.ts).
  for (const [name, service, root] of [['cinder version document', 'volumev3', false], ['cinder root versions', 'volumev3', true], ['nova version document', 'compute', false], ['nova root versions', 'compute', true]] as const) {
    steps.push({ name, res: await os.versionDocument(service, root) });
  }
  const a = (await run('create volume (no microversion)', 'volumev3', 'POST', '/volumes', { volume: { name: `${tag}-a`, size: 1, volume_type: 'fake', metadata: { 'cinder.csi.openstack.org/cluster': 'x' } } })).body as { volume: { id: string } };
  const b = (await run('create volume 3.60', 'volumev3', 'POST', '/volumes', { volume: { name: `${tag}-b`, size: 1, volume_type: 'fake' } }, '3.60')).body as { volume: { id: string } };
  await waitVolume(os, a.volume.id, 'available');
  await waitVolume(os, b.volume.id, 'available');
  await run('get volume', 'volumev3', 'GET', `/volumes/${a.volume.id}`);
  await run('get volume 3.60', 'volumev3', 'GET', `/volumes/${a.volume.id}`, undefined, '3.60');
  await run('get missing volume', 'volumev3', 'GET', '/volumes/00000000-0000-4000-8000-00000000dead');
  await run('list limit=1', 'volumev3', 'GET', `/volumes/detail?limit=1&name=${tag}-a`);
  await run('list limit=1 all', 'volumev3', 'GET', '/volumes/detail?limit=1');
  await run('list unknown marker', 'volumev3', 'GET', '/volumes/detail?marker=00000000-0000-4000-8000-00000000dead');
  await run('list metadata filter', 'volumev3', 'GET', `/volumes/detail?metadata=${encodeURIComponent(JSON.stringify({ 'cinder.csi.openstack.org/cluster': 'x' }))}`);
  await run('list bad limit', 'volumev3', 'GET', '/volumes/detail?limit=abc');
  await run('create bad size', 'volumev3', 'POST', '/volumes', { volume: { name: `${tag}-bad`, size: 0 } });
  await run('create unknown type', 'volumev3', 'POST', '/volumes', { volume: { name: `${tag}-bad`, size: 1, volume_type: 'nope' } });
  await run('bad microversion', 'volumev3', 'GET', `/volumes/${a.volume.id}`, undefined, '3.99');
  await run('extend to same size', 'volumev3', 'POST', `/volumes/${a.volume.id}/action`, { 'os-extend': { new_size: 1 } });
  await run('attach (nova, no mv)', 'compute', 'POST', `/servers/${serverId}/os-volume_attachments`, { volumeAttachment: { volumeId: a.volume.id } });
  await waitVolume(os, a.volume.id, 'in-use');
  await run('get attached volume', 'volumev3', 'GET', `/volumes/${a.volume.id}`);
  await run('get attached volume 3.27', 'volumev3', 'GET', `/volumes/${a.volume.id}`, undefined, '3.27');
  await run('nova get attachment', 'compute', 'GET', `/servers/${serverId}/os-volume_attachments/${a.volume.id}`);
  await run('nova get attachment not attached', 'compute', 'GET', `/servers/${serverId}/os-volume_attachments/${b.volume.id}`);
  await run('attach again', 'compute', 'POST', `/servers/${serverId}/os-volume_attachments`, { volumeAttachment: { volumeId: a.volume.id } });
  await run('extend in-use no mv', 'volumev3', 'POST', `/volumes/${a.volume.id}/action`, { 'os-extend': { new_size: 2 } });
  await run('snapshot in-use no force', 'volumev3', 'POST', '/snapshots', { snapshot: { volume_id: a.volume.id, name: `${tag}-s0` } });
  await run('delete in-use', 'volumev3', 'DELETE', `/volumes/${a.volume.id}`);
  await run('nova detach', 'compute', 'DELETE', `/servers/${serverId}/os-volume_attachments/${a.volume.id}`);
  await waitVolume(os, a.volume.id, 'available');
  await run('nova detach again', 'compute', 'DELETE', `/servers/${serverId}/os-volume_attachments/${a.volume.id}`);
  await run('nova attach to missing server', 'compute', 'POST', '/servers/00000000-0000-4000-8000-00000000cafe/os-volume_attachments', { volumeAttachment: { volumeId: a.volume.id } });
  const s = (await run('create snapshot', 'volumev3', 'POST', '/snapshots', { snapshot: { volume_id: a.volume.id, name: `${tag}-s`, force: false, metadata: {} } })).body as { snapshot: { id: string } };
  await os.until('snapshot available', async () => (await os.raw('volumev3', 'GET', `/snapshots/${s.snapshot.id}`)).body as { snapshot: { status: string } }, (x) => x.snapshot.status === 'available');
  await run('get snapshot', 'volumev3', 'GET', `/snapshots/${s.snapshot.id}`);
  await run('list snapshots limit=1', 'volumev3', 'GET', '/snapshots/detail?limit=1');
  await run('list snapshots by volume', 'volumev3', 'GET', `/snapshots/detail?volume_id=${a.volume.id}`);
  await run('delete volume with snapshot', 'volumev3', 'DELETE', `/volumes/${a.volume.id}`);
  await run('extend with snapshot', 'volumev3', 'POST', `/volumes/${a.volume.id}/action`, { 'os-extend': { new_size: 2 } });
  const fromSnapshot = (await run('create from snapshot', 'volumev3', 'POST', '/volumes', { volume: { name: `${tag}-c`, size: 1, snapshot_id: s.snapshot.id } })).body as { volume: { id: string } };
  await waitVolume(os, fromSnapshot.volume.id, 'available');
  await run('retype to same type', 'volumev3', 'POST', `/volumes/${b.volume.id}/action`, { 'os-retype': { new_type: 'fake', migration_policy: 'on-demand' } });
  await run('retype unknown type', 'volumev3', 'POST', `/volumes/${b.volume.id}/action`, { 'os-retype': { new_type: 'nope', migration_policy: 'on-demand' } });
  await run('types', 'volumev3', 'GET', '/types');
  await run('default type', 'volumev3', 'GET', '/types/default');
  await run('limits', 'volumev3', 'GET', '/limits');
  await run('azs', 'volumev3', 'GET', '/os-availability-zone');
  await run('get server', 'compute', 'GET', `/servers/${serverId}`);
  await run('get missing server', 'compute', 'GET', '/servers/00000000-0000-4000-8000-00000000cafe');
  await run('delete volume from snapshot', 'volumev3', 'DELETE', `/volumes/${fromSnapshot.volume.id}`);
  await waitVolume(os, fromSnapshot.volume.id, 'deleted');
  await run('delete snapshot', 'volumev3', 'DELETE', `/snapshots/${s.snapshot.id}`);
  await os.until('snapshot gone', async () => (await os.raw('volumev3', 'GET', `/snapshots/${s.snapshot.id}`)).status, (st) => st === 404);
  await run('delete missing snapshot', 'volumev3', 'DELETE', `/snapshots/${s.snapshot.id}`);
  await run('delete volume', 'volumev3', 'DELETE', `/volumes/${a.volume.id}`);
  await run('delete volume again (deleting)', 'volumev3', 'DELETE', `/volumes/${a.volume.id}`);
  await run('delete b', 'volumev3', 'DELETE', `/volumes/${b.volume.id}`);
  await waitVolume(os, a.volume.id, 'deleted');
  await waitVolume(os, b.volume.id, 'deleted');
  await run('delete missing volume', 'volumev3', 'DELETE', `/volumes/${a.volume.id}`);
  return steps;
}

/** What is compared: status, the microversion echoed, Retry-After, masked body. */
export function view(res: RawResponse): { status: number; version?: string; retryAfter?: string; body: unknown } {
  const h = res.headers;
  return { status: res.status, version: h['openstack-api-version'], retryAfter: h['retry-after'], body: mask(res.body) };
}
