import { execFile } from 'node:child_process';

/** A Kubernetes object as the API returns it (only the parts the suites read are typed). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export class KubectlError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`kubectl ${args.join(' ')}: ${stderr.trim()}`);
  }
}

/** kubectl (built at the cluster's release) with one kubeconfig: the identity every call acts as. */
export class Kube {
  constructor(
    readonly kubectl: string,
    readonly kubeconfig: string,
  ) {}

  run(args: readonly string[], stdin?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(this.kubectl, [`--kubeconfig=${this.kubeconfig}`, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
        if (err) reject(new KubectlError(args, stderr || err.message));
        else resolve(stdout);
      });
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  }

  /** `kubectl apply --server-side` of YAML or JSON documents. */
  async apply(manifest: string | KubeObject | readonly KubeObject[]): Promise<void> {
    const text = typeof manifest === 'string' ? manifest : JSON.stringify(Array.isArray(manifest) ? { apiVersion: 'v1', kind: 'List', items: manifest } : manifest);
    await this.run(['apply', '--server-side', '--force-conflicts', '--field-manager=cinder-csi-test', '-f', '-'], text);
  }

  async create(obj: KubeObject): Promise<void> {
    await this.run(['create', '-f', '-'], JSON.stringify(obj));
  }

  async get<T extends KubeObject = KubeObject>(kind: string, name: string, namespace?: string): Promise<T> {
    return JSON.parse(await this.run(['get', kind, name, '-o', 'json', ...ns(namespace)])) as T;
  }

  /** The object, or undefined when it does not exist. */
  async find<T extends KubeObject = KubeObject>(kind: string, name: string, namespace?: string): Promise<T | undefined> {
    const out = await this.run(['get', kind, name, '-o', 'json', '--ignore-not-found', ...ns(namespace)]);
    return out.trim() ? (JSON.parse(out) as T) : undefined;
  }

  async exists(kind: string, name: string, namespace?: string): Promise<boolean> {
    return (await this.find(kind, name, namespace)) !== undefined;
  }

  async list<T extends KubeObject = KubeObject>(kind: string, namespace?: string | 'all', selector?: string): Promise<T[]> {
    const where = namespace === 'all' ? ['--all-namespaces'] : ns(namespace);
    const out = await this.run(['get', kind, '-o', 'json', ...where, ...(selector ? ['-l', selector] : [])]);
    return (JSON.parse(out) as { items: T[] }).items;
  }

  async patch(kind: string, name: string, patch: unknown, namespace?: string, subresource?: string): Promise<void> {
    await this.run(['patch', kind, name, '--type=merge', '-p', JSON.stringify(patch), ...ns(namespace), ...(subresource ? [`--subresource=${subresource}`] : [])]);
  }

  async delete(kind: string, name: string, namespace?: string, extra: readonly string[] = []): Promise<void> {
    await this.run(['delete', kind, name, '--ignore-not-found', '--wait=false', ...ns(namespace), ...extra]);
  }

  /** A bound ServiceAccount token (TokenRequest API), as the kubelet projects into a pod. */
  async token(serviceAccount: string, namespace: string): Promise<string> {
    return (await this.run(['create', 'token', serviceAccount, '-n', namespace, '--duration=2h'])).trim();
  }

  /** Events about one object, oldest first, as "Reason: message" lines. */
  async events(namespace: string, name: string): Promise<string[]> {
    const items = await this.list<KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>('events', namespace);
    return items.filter((e) => e.involvedObject?.name === name).map((e) => `${e.reason}: ${e.message}`);
  }
}

const ns = (namespace?: string): string[] => (namespace ? ['-n', namespace] : []);
