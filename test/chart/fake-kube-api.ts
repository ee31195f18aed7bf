import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A stand-in for a Kubernetes API server (none can run here), for `helm install --dry-run=client`, which
 * in Helm 3 still asks the cluster for its version, its API discovery (to map kinds to resources) and
 * the release records (Secrets) of the namespace. It answers those read-only calls the way the real
 * API does (legacy discovery documents, an empty SecretList) and 404 Status for everything else; it
 * records every request so that a test can assert that nothing was written.
 */
export interface FakeKubeApi {
  readonly url: string;
  readonly requests: ReadonlyArray<{ method: string; path: string }>;
  close(): Promise<void>;
}

interface ResourceInfo { readonly kind: string; readonly name: string; readonly namespaced: boolean }

const RESOURCES: Record<string, ResourceInfo[]> = {
  v1: [
    { kind: 'Secret', name: 'secrets', namespaced: true },
    { kind: 'ServiceAccount', name: 'serviceaccounts', namespaced: true },
    { kind: 'ConfigMap', name: 'configmaps', namespaced: true },
    { kind: 'Namespace', name: 'namespaces', namespaced: false },
  ],
  'apps/v1': [
    { kind: 'Deployment', name: 'deployments', namespaced: true },
    { kind: 'DaemonSet', name: 'daemonsets', namespaced: true },
  ],
  'rbac.authorization.k8s.io/v1': [
    { kind: 'ClusterRole', name: 'clusterroles', namespaced: false },
    { kind: 'ClusterRoleBinding', name: 'clusterrolebindings', namespaced: false },
    { kind: 'Role', name: 'roles', namespaced: true },
    { kind: 'RoleBinding', name: 'rolebindings', namespaced: true },
  ],
  'storage.k8s.io/v1': [
    { kind: 'CSIDriver', name: 'csidrivers', namespaced: false },
    { kind: 'StorageClass', name: 'storageclasses', namespaced: false },
  ],
  'policy/v1': [{ kind: 'PodDisruptionBudget', name: 'poddisruptionbudgets', namespaced: true }],
  'snapshot.storage.k8s.io/v1': [{ kind: 'VolumeSnapshotClass', name: 'volumesnapshotclasses', namespaced: false }],
};

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const requests: Array<{ method: string; path: string }> = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push({ method: req.method ?? '', path });
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed'));
    if (path === '/version') return send(200, { major: '1', minor: '31', gitVersion: 'v1.31.0', goVersion: 'go1.22.5', platform: 'linux/amd64' });
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (path === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: groups() });
    const gv = path === '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.slice('/apis/'.length) : null;
    if (gv !== null && RESOURCES[gv] !== undefined) {
      return send(200, {
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
        resources: RESOURCES[gv].map((r) => ({
          name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind,
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        })),
      });
    }
    if (/^\/api\/v1\/namespaces\/[^/]+\/secrets$/.test(path)) {
      return send(200, { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] });
    }
    return send(404, status(404, 'NotFound'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function groups(): unknown[] {
  return Object.keys(RESOURCES).filter((gv) => gv.includes('/')).map((gv) => {
    const [name, version] = gv.split('/');
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  });
}

function status(code: number, reason: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, code };
}

/** A kubeconfig pointing at the fake API. */
export function kubeconfigFor(api: FakeKubeApi): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: fake, cluster: {server: "${api.url}"}}]`,
    'contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: kube-system}}]',
    'current-context: fake',
    'users: [{name: fake, user: {}}]',
    '',
  ].join('\n');
}
