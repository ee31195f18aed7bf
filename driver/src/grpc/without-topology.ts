import { CONTROLLER_RPCS, type ControllerService, NODE_RPCS, type NodeService } from './services';

/**
 * --with-topology=false: the plugin does not advertise VOLUME_ACCESSIBILITY_CONSTRAINTS, and the spec then
 * forbids topology in NodeGetInfo and in returned volumes. These wrappers strip it from the responses so the
 * Node and Controller services need not know about the flag. Handlers the service lacks stay absent.
 */
export function nodeWithoutTopology(node: Partial<NodeService>): Partial<NodeService> {
  const out = bindAll(node, Object.keys(NODE_RPCS)) as Partial<NodeService>;
  const getInfo = out.nodeGetInfo;
  if (getInfo) {
    out.nodeGetInfo = async (req, ctx) => {
      const res = await getInfo(req, ctx);
      return { ...res, accessibleTopology: null };
    };
  }
  return out;
}

export function controllerWithoutTopology(controller: Partial<ControllerService>): Partial<ControllerService> {
  const out = bindAll(controller, Object.keys(CONTROLLER_RPCS)) as Partial<ControllerService>;
  const create = out.createVolume;
  if (create) {
    out.createVolume = async (req, ctx) => {
      const res = await create(req, ctx);
      return res.volume ? { ...res, volume: { ...res.volume, accessibleTopology: [] } } : res;
    };
  }
  const list = out.listVolumes;
  if (list) {
    out.listVolumes = async (req, ctx) => {
      const res = await list(req, ctx);
      return { ...res, entries: res.entries?.map((e) => (e.volume ? { ...e, volume: { ...e.volume, accessibleTopology: [] } } : e)) };
    };
  }
  const get = out.controllerGetVolume;
  if (get) {
    out.controllerGetVolume = async (req, ctx) => {
      const res = await get(req, ctx);
      return res.volume ? { ...res, volume: { ...res.volume, accessibleTopology: [] } } : res;
    };
  }
  return out;
}

/** The service's handlers as plain bound functions (works for prototype methods and arrow properties alike). */
function bindAll(service: object, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const fn = (service as Record<string, unknown>)[name];
    if (typeof fn === 'function') out[name] = fn.bind(service);
  }
  return out;
}
