import { NODE_RPCS, type NodeService } from './services';

/**
 * --with-topology=false: the plugin does not advertise VOLUME_ACCESSIBILITY_CONSTRAINTS, and the spec then
 * forbids topology in NodeGetInfo. This wrapper strips it from the response so the Node service need not know
 * about the flag (the Controller service is told the flag, as it also decides zones). Handlers the service lacks
 * stay absent.
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

/** The service's handlers as plain bound functions (works for prototype methods and arrow properties alike). */
function bindAll(service: object, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const fn = (service as Record<string, unknown>)[name];
    if (typeof fn === 'function') out[name] = fn.bind(service);
  }
  return out;
}
