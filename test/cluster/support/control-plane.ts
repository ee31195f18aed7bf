import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Kube } from './kube';
import { makePki, type Pki, writeKubeconfig } from './pki';
import { eventually, ManagedProcess } from './processes';
import { buildReferees } from './referees';

/** A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager, kube-scheduler. */
export interface ControlPlane {
  readonly server: string;
  readonly pki: Pki;
  /** Admin (system:masters) access. */
  readonly admin: Kube;
  readonly dir: string;
  /** Writes a kubeconfig authenticating with a bearer token (a ServiceAccount's, to test RBAC). */
  kubeconfigForToken(name: string, token: string): string;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** State (certificates, etcd data, kubeconfigs); emptied first. */
  readonly dir: string;
  /** Where each program's output goes (`<name>.log`). */
  readonly logDir: string;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** GET https://127.0.0.1:port/path; true on 200. Identity given by `cert` or none (for /healthz). */
function httpsOk(port: number, path: string, tls: { ca?: string; cert?: string; key?: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'GET',
        ca: tls.ca ? readFileSync(tls.ca) : undefined,
        cert: tls.cert ? readFileSync(tls.cert) : undefined,
        key: tls.key ? readFileSync(tls.key) : undefined,
        rejectUnauthorized: tls.ca !== undefined,
        timeout: 2000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const bins = buildReferees(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl']);
  const dir = options.dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const logs = options.logDir;
  const pki = makePki(join(dir, 'pki'));
  const [etcdPort, peerPort, apiPort, cmPort, schedPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const server = `https://127.0.0.1:${apiPort}`;
  const started: ManagedProcess[] = [];
  const stopAll = async (): Promise<void> => {
    // Reverse order: clients first, etcd last.
    for (const p of [...started].reverse()) await p.stop();
  };
  try {
    const etcd = new ManagedProcess('etcd', bins.etcd, [
      '--name=cinder-csi-test',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=cinder-csi-test=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ], logs);
    started.push(etcd);

    const apiserver = new ManagedProcess('kube-apiserver', bins['kube-apiserver'], [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // With a loopback advertise address the default reconciler refuses to publish the kubernetes endpoints.
      '--endpoint-reconciler-type=none',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.serverCert.cert}`,
      `--tls-private-key-file=${pki.serverCert.key}`,
      `--client-ca-file=${pki.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      '--authorization-mode=Node,RBAC',
      // PodSecurity is in the default admission set; NodeRestriction as on any real cluster.
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--profiling=false',
      '--v=1',
    ], logs);
    started.push(apiserver);
    const adminCert = pki.client('cinder-csi-test-admin', ['system:masters']);
    await apiserver.waitUntil('ready', () => httpsOk(apiPort, '/readyz', { ca: pki.caCert, ...adminCert }), 90_000);

    const adminConfig = writeKubeconfig(join(dir, 'admin.kubeconfig'), server, pki.caCert, adminCert);
    const admin = new Kube(bins.kubectl, adminConfig);

    // The controller manager and the scheduler: each its own client identity (bound by the built-in RBAC roles),
    // serving /healthz on 127.0.0.1, no leader election (one instance each).
    const component = (name: string, user: string, port: number, extra: readonly string[]): ManagedProcess => {
      const kubeconfig = writeKubeconfig(join(dir, `${name}.kubeconfig`), server, pki.caCert, pki.client(user));
      const p = new ManagedProcess(name, bins[name], [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--cert-dir=${join(dir, `${name}-certs`)}`,
        '--leader-elect=false',
        '--profiling=false',
        '--v=1',
        ...extra,
      ], logs);
      started.push(p);
      return p;
    };
    const cm = component('kube-controller-manager', 'system:kube-controller-manager', cmPort, [
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.saKey}`,
      `--root-ca-file=${pki.caCert}`,
    ]);
    const scheduler = component('kube-scheduler', 'system:kube-scheduler', schedPort, []);

    await scheduler.waitUntil('healthy', () => httpsOk(schedPort, '/healthz', {}), 60_000);
    await cm.waitUntil('healthy', () => httpsOk(cmPort, '/healthz', {}), 60_000);
    // The service-account controller of the controller manager gives each namespace its `default` ServiceAccount.
    await eventually('the default ServiceAccount', async () => ((await admin.exists('serviceaccount', 'default', 'default')) ? true : undefined), 60_000);

    return {
      server,
      pki,
      admin,
      dir,
      kubeconfigForToken: (name, token) => writeKubeconfig(join(dir, `${name}.kubeconfig`), server, pki.caCert, { token }),
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
