import type { Context } from './context';
import { notFound } from './errors';
import { Router } from './router';

/** The Nova metadata service as a guest sees it (served on its own port, like 169.254.169.254). */
export function metadataRouter(ctx: Context, currentServer: () => string | undefined): Router {
  const router = new Router();
  const server = () => {
    const id = currentServer();
    const s = id ? ctx.state.servers.get(id) : undefined;
    if (!s) throw notFound('No instance is chosen for the metadata service (call setMetadataServer).');
    return s;
  };
  router.add('GET', '/openstack/latest/meta_data.json', () => {
    const s = server();
    return {
      status: 200,
      body: {
        uuid: s.id,
        name: s.name,
        hostname: s.hostname,
        availability_zone: s.availabilityZone,
        project_id: ctx.config.projectId,
        launch_index: 0,
        meta: {},
        devices: [],
        random_seed: 'c2VlZA==',
      },
    };
  });
  router.add('GET', '/openstack/latest/network_data.json', () => {
    server();
    return { status: 200, body: { links: [], networks: [], services: [] } };
  });
  return router;
}
