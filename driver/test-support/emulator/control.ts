import type { Context } from './context';
import { badRequest, notFound } from './errors';
import { validateFaultRule } from './faults';
import type { Router } from './router';
import { CONTROL_PREFIX } from './server';
import type { Server, TransitionKind } from './types';
import { snapshotView, volumeView } from './views';

type Json = Record<string, unknown>;

export interface ControlHooks {
  addServer(opts?: { id?: string; name?: string; availabilityZone?: string }): Server;
  setMetadataServer(serverId: string): void;
  removeServer(serverId: string): Promise<void>;
}

function asObject(body: unknown): Json {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('expected a JSON object body');
  return body as Json;
}

function kinds(body: Json): TransitionKind[] | undefined {
  if (body.kinds === undefined) return undefined;
  if (!Array.isArray(body.kinds) || !body.kinds.every((k) => typeof k === 'string')) {
    throw badRequest('"kinds" must be a list of transition kinds');
  }
  return body.kinds as TransitionKind[];
}

/** The same controls as the programmatic API, for a test driving an emulator in another process. */
export function registerControl(router: Router, ctx: Context, hooks: ControlHooks): void {
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw badRequest(e instanceof Error ? e.message : String(e));
    }
  };
  router.add('POST', `${CONTROL_PREFIX}/faults`, (req) => {
    const rule = guard(() => validateFaultRule(req.body));
    return { status: 201, body: { id: ctx.faults.add(rule) } };
  });
  router.add('GET', `${CONTROL_PREFIX}/faults`, () => ({ status: 200, body: { fired: ctx.faults.fired } }));
  router.add('DELETE', `${CONTROL_PREFIX}/faults`, () => {
    ctx.faults.clear();
    return { status: 204 };
  });
  router.add('DELETE', `${CONTROL_PREFIX}/faults/{id}`, (req) => {
    ctx.faults.remove(req.params.id as string);
    return { status: 204 };
  });
  router.add('PUT', `${CONTROL_PREFIX}/latency`, (req) => {
    const ms = asObject(req.body).ms;
    guard(() => ctx.faults.setLatency(typeof ms === 'number' ? ms : Number.NaN));
    return { status: 204 };
  });
  router.add('POST', `${CONTROL_PREFIX}/volume-faults`, (req) => {
    const b = asObject(req.body);
    const count = b.count === undefined ? undefined : Number(b.count);
    if (count !== undefined && !(count >= 1)) throw badRequest('"count" must be a positive number');
    if (b.on === 'create') {
      ctx.faults.failVolumeCreate({ count, name: typeof b.name === 'string' ? b.name : undefined });
    } else if (b.on === 'extend') {
      ctx.faults.failVolumeExtend({ count, volumeId: typeof b.volumeId === 'string' ? b.volumeId : undefined });
    } else if (b.on === 'retype') {
      ctx.faults.failVolumeRetype({ count, volumeId: typeof b.volumeId === 'string' ? b.volumeId : undefined });
    } else {
      throw badRequest('"on" must be "create", "extend" or "retype"');
    }
    return { status: 204 };
  });
  router.add('POST', `${CONTROL_PREFIX}/transitions/pause`, (req) => {
    guard(() => ctx.faults.pauseTransitions(kinds(asObject(req.body))));
    return { status: 204 };
  });
  router.add('POST', `${CONTROL_PREFIX}/transitions/resume`, (req) => {
    ctx.faults.resumeTransitions(kinds(asObject(req.body)));
    return { status: 204 };
  });
  router.add('POST', `${CONTROL_PREFIX}/tokens/expire`, () => {
    for (const t of ctx.state.tokens.values()) t.expiresAt = 0;
    return { status: 204 };
  });
  router.add('POST', `${CONTROL_PREFIX}/servers`, (req) => {
    const b = asObject(req.body);
    const str = (k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    const server = guard(() => hooks.addServer({ id: str('id'), name: str('name'), availabilityZone: str('availabilityZone') }));
    return { status: 201, body: { server } };
  });
  router.add('DELETE', `${CONTROL_PREFIX}/servers/{server_id}`, async (req) => {
    const id = req.params.server_id as string;
    if (!ctx.state.servers.has(id)) throw notFound(`unknown server ${id}`);
    await hooks.removeServer(id);
    return { status: 204 };
  });
  router.add('PUT', `${CONTROL_PREFIX}/metadata-server`, (req) => {
    const id = asObject(req.body).serverId;
    if (typeof id !== 'string' || !ctx.state.servers.has(id)) throw notFound(`unknown server ${String(id)}`);
    hooks.setMetadataServer(id);
    return { status: 204 };
  });
  router.add('GET', `${CONTROL_PREFIX}/state`, () => ({
    status: 200,
    body: {
      volumes: [...ctx.state.volumes.values()].map((v) => volumeView(v, ctx.hypervisor)),
      snapshots: [...ctx.state.snapshots.values()].map((s) => snapshotView(s, ctx.hypervisor)),
      counters: ctx.counters,
    },
  }));
}
