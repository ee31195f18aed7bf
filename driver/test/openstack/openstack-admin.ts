import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { versionDocumentUrl } from '../../src/cloud/microversions';
import { CLUSTER_METADATA_KEY } from '../../src/controller/deps';

/** The harness's admin account (test/openstack/harness/start-openstack.sh). */
export const ADMIN = {
  authUrl: 'http://127.0.0.1:5000/v3',
  username: 'admin',
  password: 'secret',
  projectName: 'admin',
  domainName: 'Default',
  region: 'RegionOne',
} as const;

export type Account = { readonly [K in keyof typeof ADMIN]: string };

/** A cloud.conf for the driver that logs in as the harness admin (what the suites give the driver). */
export function adminCloudConf(): string {
  return [
    '[Global]',
    `auth-url = ${ADMIN.authUrl}`,
    `username = ${ADMIN.username}`,
    `password = ${ADMIN.password}`,
    `user-domain-name = ${ADMIN.domainName}`,
    `project-name = ${ADMIN.projectName}`,
    `project-domain-name = ${ADMIN.domainName}`,
    `region = ${ADMIN.region}`,
    '',
  ].join('\n');
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Json = Record<string, unknown>;

/** What one run of a suite created: its tag (every name it gives starts with it) and the ids it recorded. */
export interface CreatedByRun {
  readonly tag: string;
  readonly volumeIds: Set<string>;
  readonly snapshotIds: Set<string>;
}

/** Whether a process with this pid exists (EPERM: it exists but is not ours to signal). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The test's own view of the real OpenStack, independent of the driver's client: what an operator would check with
 * the openstack CLI (volumes and snapshots left in Cinder, a Nova server to attach to), plus raw requests so that a
 * test can record exactly what the real services answer.
 */
export class OpenStackAdmin {
  private constructor(
    private readonly http: AxiosInstance,
    private token: string,
    readonly projectId: string,
    private readonly endpoints: Record<string, string>,
  ) {}

  /** Logs in with `account` (default: the harness admin; the parity probe also logs in to the emulator). */
  static async login(account: Account = ADMIN): Promise<OpenStackAdmin> {
    const http = axios.create({ validateStatus: () => true, timeout: 120_000, proxy: false });
    const res = await http.post(`${account.authUrl}/auth/tokens`, {
      auth: {
        identity: { methods: ['password'], password: { user: { name: account.username, domain: { name: account.domainName }, password: account.password } } },
        scope: { project: { name: account.projectName, domain: { name: account.domainName } } },
      },
    });
    if (res.status !== 201) throw new Error(`Keystone login failed: HTTP ${res.status}`);
    const token = String(res.headers['x-subject-token']);
    const body = res.data as { token: { project: { id: string }; catalog: { type: string; endpoints: { interface: string; url: string }[] }[] } };
    const endpoints: Record<string, string> = {};
    for (const service of body.token.catalog) {
      const pub = service.endpoints.find((e) => e.interface === 'public');
      if (pub) endpoints[service.type] = pub.url;
    }
    return new OpenStackAdmin(http, token, body.token.project.id, endpoints);
  }

  /** One request to a catalog service ('volumev3', 'compute'); `microversion` sets OpenStack-API-Version. */
  async raw(service: 'volumev3' | 'compute', method: string, path: string, body?: unknown, microversion?: string): Promise<RawResponse> {
    const base = this.endpoints[service];
    if (!base) throw new Error(`no ${service} endpoint in the catalog`);
    const headers: Record<string, string> = { 'X-Auth-Token': this.token };
    if (microversion) headers['OpenStack-API-Version'] = `${service === 'volumev3' ? 'volume' : 'compute'} ${microversion}`;
    const res: AxiosResponse = await this.http.request({ method, url: `${base}${path}`, data: body, headers });
    return { status: res.status, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), body: res.data as unknown };
  }

  /**
   * GET of a service's version document, where the driver reads it (src/cloud/microversions.ts: the catalog
   * endpoint cut after its version segment, `/v3/` or `/v2.1/`), or of the service root (`root`: Cinder's 300 list).
   */
  async versionDocument(service: 'volumev3' | 'compute', root = false): Promise<RawResponse & { url: string }> {
    const base = this.endpoints[service];
    if (!base) throw new Error(`no ${service} endpoint in the catalog`);
    const versioned = versionDocumentUrl(base);
    const url = root ? versioned.replace(/v\d+(\.\d+)?\/$/, '') : versioned;
    const res: AxiosResponse = await this.http.request({ method: 'GET', url, headers: { 'X-Auth-Token': this.token } });
    return { url, status: res.status, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), body: res.data as unknown };
  }

  private async ok(service: 'volumev3' | 'compute', method: string, path: string, body?: unknown, microversion?: string): Promise<Json> {
    const res = await this.raw(service, method, path, body, microversion);
    if (res.status >= 300) throw new Error(`${method} ${path} -> HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body ?? {}) as Json;
  }

  async volumes(): Promise<Json[]> {
    return (await this.ok('volumev3', 'GET', '/volumes/detail')).volumes as Json[];
  }

  async snapshots(): Promise<Json[]> {
    return (await this.ok('volumev3', 'GET', '/snapshots/detail')).snapshots as Json[];
  }

  async volume(id: string): Promise<Json | undefined> {
    const res = await this.raw('volumev3', 'GET', `/volumes/${id}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET volume ${id} -> HTTP ${res.status}`);
    return (res.body as { volume: Json }).volume;
  }

  async snapshot(id: string): Promise<Json | undefined> {
    const res = await this.raw('volumev3', 'GET', `/snapshots/${id}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET snapshot ${id} -> HTTP ${res.status}`);
    return (res.body as { snapshot: Json }).snapshot;
  }

  /** The Nova servers of the project whose name starts with `prefix`. */
  async serversNamed(prefix: string): Promise<Json[]> {
    const servers = (await this.ok('compute', 'GET', '/servers', undefined, '2.79')).servers as Json[];
    return servers.filter((s) => String(s.name).startsWith(prefix));
  }

  /** Cinder's availability zone (the harness has one): where the driver's node must say it is. */
  async volumeZone(): Promise<string> {
    const zones = (await this.ok('volumev3', 'GET', '/os-availability-zone')).availabilityZoneInfo as { zoneName: string; zoneState: { available: boolean } }[];
    const available = zones.filter((z) => z.zoneState.available).map((z) => z.zoneName);
    if (available.length !== 1) throw new Error(`expected one available Cinder availability zone, found ${JSON.stringify(zones)}`);
    return available[0];
  }

  /** Polls until `check` holds (statuses change asynchronously in Cinder and Nova); fails after `timeoutMs`. */
  async until<T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 180_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (check(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
      await sleep(500);
    }
  }

  /**
   * Boots a Nova server (fake compute) from a new bootable volume, as Nova needs either an image or a volume and the
   * harness has no Glance. Returns the server id and its boot volume id.
   */
  async bootServer(name: string): Promise<{ serverId: string; bootVolumeId: string }> {
    const created = await this.ok('volumev3', 'POST', '/volumes', { volume: { size: 1, name: `${name}-boot`, volume_type: 'fake' } });
    const bootVolumeId = (created.volume as Json).id as string;
    await this.until(`boot volume ${bootVolumeId} available`, () => this.volume(bootVolumeId), (v) => v?.status === 'available');
    await this.ok('volumev3', 'POST', `/volumes/${bootVolumeId}/action`, { 'os-set_bootable': { bootable: true } });
    const flavors = (await this.ok('compute', 'GET', '/flavors', undefined, '2.79')).flavors as Json[];
    const flavor = flavors.find((f) => f.name === 'm1.tiny');
    if (!flavor) throw new Error('flavor m1.tiny missing (wait_ready.py creates it)');
    const server = await this.ok('compute', 'POST', '/servers', {
      server: {
        name, flavorRef: flavor.id, networks: 'none',
        block_device_mapping_v2: [{ boot_index: 0, uuid: bootVolumeId, source_type: 'volume', destination_type: 'volume', delete_on_termination: false }],
      },
    }, '2.79');
    const serverId = (server.server as Json).id as string;
    const active = await this.until(`server ${serverId} ACTIVE`, async () => (await this.ok('compute', 'GET', `/servers/${serverId}`, undefined, '2.79')).server as Json,
      (s) => s.status === 'ACTIVE' || s.status === 'ERROR');
    if (active.status === 'ERROR') {
      await this.deleteServer(serverId, bootVolumeId);
      throw new Error(`server ${serverId} went to ERROR (see nova-compute.log in the harness state dir): ${JSON.stringify(active.fault ?? null)}`);
    }
    return { serverId, bootVolumeId };
  }

  /** Deletes the server and waits until it is gone and its boot volume is available again, then deletes that. */
  async deleteServer(serverId: string, bootVolumeId: string): Promise<void> {
    await this.raw('compute', 'DELETE', `/servers/${serverId}`, undefined, '2.79');
    await this.until(`server ${serverId} deleted`, async () => (await this.raw('compute', 'GET', `/servers/${serverId}`, undefined, '2.79')).status, (s) => s === 404);
    await this.until(`boot volume ${bootVolumeId} detached`, () => this.volume(bootVolumeId), (v) => v === undefined || v.status === 'available');
    await this.deleteVolumeAndWait(bootVolumeId);
  }

  async deleteVolumeAndWait(volumeId: string): Promise<void> {
    await this.raw('volumev3', 'DELETE', `/volumes/${volumeId}`);
    await this.until(`volume ${volumeId} deleted`, () => this.volume(volumeId), (v) => v === undefined || v.status === 'error_deleting');
  }

  /** Creates a volume as an operator would (not through the driver) and waits until it is available. */
  async createVolume(name: string, type = 'fake'): Promise<string> {
    const created = await this.ok('volumev3', 'POST', '/volumes', { volume: { size: 1, name, volume_type: type } });
    const volumeId = (created.volume as Json).id as string;
    const settled = await this.until(`volume ${volumeId} available`, () => this.volume(volumeId), (v) => v?.status === 'available' || v?.status === 'error');
    if (settled?.status !== 'available') throw new Error(`volume ${name} (${volumeId}) went to error (see cinder-scheduler.log and cinder-volume.log in the harness state dir)`);
    return volumeId;
  }

  /**
   * Cleanup after the run, whatever state a failed test left: deletes ONLY what this run created, i.e. the ids it
   * recorded and the objects named with its run tag (a create whose answer was lost still carries the name), plus
   * snapshots of those volumes. Every other volume and snapshot of the project is left alone. Returns what it deleted.
   */
  async deleteCreated(run: CreatedByRun, keepVolumeIds: readonly string[] = []): Promise<{ volumes: string[]; snapshots: string[] }> {
    const ours = (x: Json): boolean => String(x.name ?? '').startsWith(run.tag);
    const volumes = (await this.volumes()).filter((v) => (run.volumeIds.has(String(v.id)) || ours(v)) && !keepVolumeIds.includes(String(v.id)));
    const volumeIds = new Set(volumes.map((v) => String(v.id)));
    const snapshots = (await this.snapshots()).filter((s) => run.snapshotIds.has(String(s.id)) || ours(s) || volumeIds.has(String(s.volume_id)));
    return this.deleteSnapshotsThenVolumes(new Set(snapshots.map((s) => String(s.id))), volumeIds);
  }

  /**
   * Deletes what runs that no longer exist left behind (a run killed before its clean-up): the Nova servers, volumes
   * and snapshots whose name, or whose driver `--cluster` metadata, carries the tag of a run whose process is gone
   * (`e2e-<pid>-…`, `e2e-cluster-<pid>-…`, `parity-<pid>`). Objects of live runs and every other object are left
   * alone. The harness's state outlives a run, so without this the project's quota fills up run after run.
   */
  async reapDeadRuns(): Promise<{ servers: string[]; volumes: string[]; snapshots: string[] }> {
    const deadRun = (x: Json): boolean => [String(x.name ?? ''), String((x.metadata as Json | undefined)?.[CLUSTER_METADATA_KEY] ?? '')]
      .some((tag) => {
        const pid = /^(?:e2e-(?:cluster-)?|parity-)(\d+)(?:-|$)/.exec(tag)?.[1];
        return pid !== undefined && !processAlive(Number(pid));
      });
    const servers = (await this.ok('compute', 'GET', '/servers/detail', undefined, '2.79')).servers as Json[];
    const deadServers = servers.filter(deadRun).map((s) => String(s.id));
    for (const id of deadServers) await this.raw('compute', 'DELETE', `/servers/${id}`, undefined, '2.79');
    for (const id of deadServers) {
      await this.until(`server ${id} deleted`, async () => (await this.raw('compute', 'GET', `/servers/${id}`, undefined, '2.79')).status, (s) => s === 404);
    }
    const volumeIds = new Set((await this.volumes()).filter(deadRun).map((v) => String(v.id)));
    const snapshotIds = new Set((await this.snapshots()).filter((s) => deadRun(s) || volumeIds.has(String(s.volume_id))).map((s) => String(s.id)));
    return { servers: deadServers, ...(await this.deleteSnapshotsThenVolumes(snapshotIds, volumeIds)) };
  }

  /** Deletes the snapshots, then the volumes, whatever state they are in (reset first), and waits until they are gone. */
  private async deleteSnapshotsThenVolumes(snapshotIds: ReadonlySet<string>, volumeIds: ReadonlySet<string>): Promise<{ volumes: string[]; snapshots: string[] }> {
    for (const id of snapshotIds) {
      await this.raw('volumev3', 'POST', `/snapshots/${id}/action`, { 'os-reset_status': { status: 'error' } });
      await this.raw('volumev3', 'DELETE', `/snapshots/${id}`);
    }
    await this.until('snapshots deleted', () => this.snapshots(), (list) => !list.some((s) => snapshotIds.has(String(s.id))));
    for (const id of volumeIds) {
      await this.raw('volumev3', 'POST', `/volumes/${id}/action`, { 'os-reset_status': { status: 'available', attach_status: 'detached' } });
      await this.deleteVolumeAndWait(id);
    }
    return { volumes: [...volumeIds], snapshots: [...snapshotIds] };
  }
}
