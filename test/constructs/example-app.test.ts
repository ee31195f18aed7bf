import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/*
 * examples/basic-app is a user's cdk8s app: it imports `cinder-csi` as a package (linked with
 * "file:../..", resolved to the built build/lib). This runs its documented steps and checks what it writes.
 */

const ROOT = join(__dirname, '../..');
const APP = join(ROOT, 'examples/basic-app');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  execFileSync(command, args, { cwd, env, stdio: 'pipe', timeout: 300_000 });
}

describe('examples/basic-app synthesizes with its documented commands', () => {
  let outdir: string;
  let objects: Array<Record<string, any>>;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'cinder-csi-example-'));
    run('npm', ['run', 'build', '--silent'], ROOT);
    run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--silent'], APP);
    run('npm', ['run', 'synth', '--silent'], APP, { ...process.env, CDK8S_OUTDIR: outdir });
    const files = readdirSync(outdir).filter((f) => f.endsWith('.yaml'));
    objects = files.flatMap((f) => parseAllDocuments(readFileSync(join(outdir, f), 'utf8')).map((d) => d.toJSON() as Record<string, any>));
  }, 600_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  test('writes the whole deployment: workloads, RBAC, CSIDriver and both StorageClasses', () => {
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(ids).toEqual(expect.arrayContaining([
      'Deployment/cinder-csi-controller', 'DaemonSet/cinder-csi-node', 'CSIDriver/cinder.csi.openstack.org',
      'ClusterRole/cinder-csi-kube-system-snapshotter', 'StorageClass/cinder-ssd', 'StorageClass/cinder-retain',
      'VolumeSnapshotClass/cinder-csi-snapshot',
    ]));
  });

  test('its props took effect: existing Secret, default class, retain policy, labels', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === 'cloud-config');
    expect(volume.secret.secretName).toBe('openstack-cloud-config');
    const ssd = objects.find((o) => o.metadata.name === 'cinder-ssd')!;
    expect(ssd.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(ssd.parameters.type).toBe('ssd');
    expect(objects.find((o) => o.metadata.name === 'cinder-retain')!.reclaimPolicy).toBe('Retain');
    for (const o of objects) expect(o.metadata.labels.team).toBe('platform');
  });

  test("its JSON patch on csi.controller.deployment is in the output", () => {
    expect(objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.terminationGracePeriodSeconds).toBe(60);
  });
});
