import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A client identity: certificate and key files signed by the test cluster's CA. */
export interface ClientCert {
  readonly cert: string;
  readonly key: string;
}

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: ClientCert;
  /** The service-account token signing key pair. */
  readonly saKey: string;
  readonly saPub: string;
  /** Makes (once) a client certificate for user `cn` in `groups`. */
  client(cn: string, groups?: readonly string[]): ClientCert;
}

const openssl = (args: readonly string[], cwd: string): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
};

// P-256 keys: fast to make, accepted by every Kubernetes component.
const newKey = (file: string, cwd: string): void => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);

function sign(dir: string, name: string, subject: string, ext: string): ClientCert {
  newKey(`${name}.key`, dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

/** A throw-away CA, the API server's serving certificate (127.0.0.1 and the in-cluster names) and the SA keys. */
export function makePki(dir: string): Pki {
  mkdirSync(dir, { recursive: true });
  newKey('ca.key', dir);
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=cinder-csi-test-ca', '-days', '2', '-sha256', '-out', 'ca.crt'], dir);
  const serverCert = sign(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
  );
  newKey('sa.key', dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const clients = new Map<string, ClientCert>();
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    serverCert,
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    client(cn, groups = []) {
      const known = clients.get(cn);
      if (known) return known;
      const subject = `${groups.map((g) => `/O=${g}`).join('')}/CN=${cn}`;
      const c = sign(dir, `client-${cn.replace(/[^a-zA-Z0-9-]/g, '_')}`, subject, 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
      clients.set(cn, c);
      return c;
    },
  };
}

/** A kubeconfig for `server` with either a client certificate or a bearer token. */
export function writeKubeconfig(file: string, server: string, caCert: string, user: ClientCert | { token: string }): string {
  const auth =
    'token' in user
      ? `    token: ${JSON.stringify(user.token)}`
      : `    client-certificate: ${JSON.stringify(user.cert)}\n    client-key: ${JSON.stringify(user.key)}`;
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${JSON.stringify(server)}
    certificate-authority: ${JSON.stringify(caCert)}
users:
- name: user
  user:
${auth}
contexts:
- name: test
  context:
    cluster: test
    user: user
current-context: test
`,
    { mode: 0o600 },
  );
  return file;
}
