/**
 * OpenStack emulator: Keystone v3, Cinder v3, Nova v2.1 and the metadata service on 127.0.0.1, with
 * volumes backed by sparse files that appear as real loop devices when attached.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Config, type Context, newId, Transitions } from './context';
import { registerCinder } from './cinder';
import { registerControl } from './control';
import { Faults } from './faults';
import { Hypervisor } from './hypervisor';
import { registerKeystone } from './keystone';
import { metadataRouter } from './metadata';
import { registerNova } from './nova';
import { Router } from './router';
import { closeServer, CONTROL_PREFIX, createHttpServer, listen } from './server';
import { Servers } from './servers';
import { State } from './state';
import { snapshotView, volumeView } from './views';
import type { Emulator, EmulatorOptions, Server } from './types';

export * from './types';

const DEFAULT_TYPES = [
  { name: 'standard' },
  { name: 'multiattach', multiattach: true, extraSpecs: { multiattach: '<is> True' } },
];

function resolveConfig(opts: EmulatorOptions): Config {
  const domainName = opts.domain ?? 'Default';
  const mainUser = { id: opts.userId ?? newId().replace(/-/g, ''), name: opts.username ?? 'admin', password: opts.password ?? 'secret' };
  const extraUsers = (opts.users ?? []).map((u) => ({ id: u.id ?? newId().replace(/-/g, ''), name: u.name, password: u.password }));
  const zones = opts.availabilityZones ?? ['nova'];
  if (zones.length === 0) throw new Error('availabilityZones: expected at least one zone');
  const volumeTypes = (opts.volumeTypes ?? DEFAULT_TYPES).map((t) => {
    const extraSpecs = { ...(t.extraSpecs ?? {}) };
    const multiattach = t.multiattach ?? extraSpecs.multiattach === '<is> True';
    if (multiattach) extraSpecs.multiattach = '<is> True';
    return { id: newId(), name: t.name, multiattach, extraSpecs };
  });
  if (volumeTypes.length === 0) throw new Error('volumeTypes: expected at least one volume type');
  const tokenTtlSeconds = opts.tokenTtlSeconds ?? 3600;
  if (!(tokenTtlSeconds > 0)) throw new Error('tokenTtlSeconds: expected a positive number of seconds');
  for (const [key, value] of Object.entries(opts.quotas ?? {})) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < -1) {
      throw new Error(`quotas.${key}: expected an integer >= 0 (or -1 for unlimited)`);
    }
  }
  const transitionDelayMs = opts.transitionDelayMs ?? 50;
  if (!(transitionDelayMs >= 0)) throw new Error('transitionDelayMs: expected a number of milliseconds >= 0');
  const maxDiskDevicesToAttach = opts.maxDiskDevicesToAttach ?? -1;
  if (!Number.isInteger(maxDiskDevicesToAttach) || (maxDiskDevicesToAttach < 1 && maxDiskDevicesToAttach !== -1)) {
    throw new Error('maxDiskDevicesToAttach: expected an integer >= 1 (the root disk counts), or -1 for unlimited');
  }
  return {
    region: opts.region ?? 'RegionOne',
    availabilityZones: zones,
    tokenTtlSeconds,
    transitionDelayMs,
    quotas: {
      volumes: opts.quotas?.volumes ?? 10,
      gigabytes: opts.quotas?.gigabytes ?? 1000,
      snapshots: opts.quotas?.snapshots ?? 10,
    },
    maxDiskDevicesToAttach,
    volumeTypes,
    users: [mainUser, ...extraUsers],
    mainUser,
    projectId: opts.projectId ?? newId().replace(/-/g, ''),
    projectName: opts.projectName ?? 'admin',
    domainId: domainName === 'Default' ? 'default' : domainName.toLowerCase(),
    domainName,
    applicationCredentials: opts.applicationCredentials ?? [],
    trusts: opts.trusts ?? [],
  };
}

async function dirOrTemp(given: string | undefined, prefix: string): Promise<{ dir: string; created: boolean }> {
  if (given) {
    await fs.mkdir(given, { recursive: true });
    return { dir: given, created: false };
  }
  return { dir: await fs.mkdtemp(path.join(os.tmpdir(), prefix)), created: true };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const config = resolveConfig(opts);
  const latencyMs = opts.latencyMs ?? 0;
  if (!(latencyMs >= 0)) throw new Error('latencyMs: expected a number of milliseconds >= 0');
  const data = await dirOrTemp(opts.dataDir, 'cinder-emu-data-');
  const byId = await dirOrTemp(opts.byIdDir, 'cinder-emu-byid-');
  const faults = new Faults(latencyMs);
  const state = new State();
  const hypervisor = new Hypervisor(data.dir, byId.dir);
  let port = 0;
  const log = (message: string): void => {
    process.stderr.write(`[openstack-emulator] ${message}\n`);
  };
  const ctx: Context = {
    config,
    state,
    hypervisor,
    faults,
    transitions: new Transitions(config.transitionDelayMs, faults, (e) => log(`transition failed: ${String(e)}`)),
    counters: { tokensIssued: 0, requests: {} },
    baseUrl: () => `http://127.0.0.1:${port}`,
    log,
  };
  const servers = new Servers(config, state, hypervisor);
  const addServer = (o?: { id?: string; name?: string; availabilityZone?: string }): Server => servers.add(o);
  const setMetadataServer = (serverId: string): void => servers.setMetadataServer(serverId);
  const removeServer = (serverId: string): Promise<void> => servers.remove(serverId);

  const router = new Router();
  registerKeystone(router, ctx);
  registerCinder(router, ctx);
  registerNova(router, ctx);
  registerControl(router, ctx, { addServer, setMetadataServer, removeServer });
  const api = createHttpServer(ctx, router);
  const meta = createHttpServer(ctx, metadataRouter(ctx, () => servers.metadataServer));
  const removeDirs = async (): Promise<void> => {
    if (data.created) await fs.rm(data.dir, { recursive: true, force: true });
    if (byId.created) await fs.rm(byId.dir, { recursive: true, force: true });
  };
  let metaPort: number;
  try {
    port = await listen(api, opts.port ?? 0);
    metaPort = await listen(meta, opts.metadataPort ?? 0);
  } catch (e) {
    if (api.listening) await closeServer(api);
    await removeDirs();
    throw new Error(`emulator: cannot listen on 127.0.0.1 (port ${opts.port ?? 0}, metadata port ${opts.metadataPort ?? 0}): ${String(e)}`);
  }

  const authUrl = `http://127.0.0.1:${port}/identity/v3`;
  const metadataUrl = `http://127.0.0.1:${metaPort}`;
  let closed = false;

  return {
    authUrl,
    metadataUrl,
    byIdDir: byId.dir,
    dataDir: data.dir,
    region: config.region,
    projectId: config.projectId,
    userId: config.mainUser.id,
    controlUrl: `http://127.0.0.1:${port}${CONTROL_PREFIX}`,
    cloudConf(extra: Record<string, string> = {}): string {
      const global: Record<string, string> = {
        'auth-url': authUrl,
        region: config.region,
        username: config.mainUser.name,
        password: config.mainUser.password,
        'user-domain-name': config.domainName,
        'project-name': config.projectName,
        'project-domain-name': config.domainName,
        ...extra,
      };
      // An empty value in `extra` removes the key (e.g. username/password when using an application credential).
      const lines = Object.entries(global)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => `${k} = ${v}`);
      return ['[Global]', ...lines, ''].join('\n');
    },
    addServer,
    setMetadataServer,
    removeServer,
    faults,
    counters: ctx.counters,
    volumes: () => [...state.volumes.values()].map((v) => volumeView(v, hypervisor)),
    snapshots: () => [...state.snapshots.values()].map((s) => snapshotView(s, hypervisor)),
    expireAllTokens(): void {
      for (const t of state.tokens.values()) t.expiresAt = 0;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([closeServer(api), closeServer(meta)]);
      try {
        await ctx.transitions.drain();
        await hypervisor.cleanup();
      } finally {
        await removeDirs();
      }
    },
  };
}
