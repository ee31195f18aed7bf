import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { byIdentity, HELM_VERSIONS, helmTemplate, parseManifests, Scratch } from '../template/helm-harness';
import { CHART } from '../chart/chart-harness';

/*
 * The library as a user gets it from npm: `npm pack` (prepack compiles it) holds the compiled code and no
 * sources, driver or tests; installed from the tarball into a scratch cdk8s app that pins ANOTHER constructs 10.x
 * than this repository, it compiles under strict TypeScript, synthesizes, and brings no second copy of
 * constructs or cdk8s (they are peer dependencies). Its `cinder-csi-render` binary prints plain YAML.
 */
const exec = promisify(execFile);

/** Runs a command; a failure names the command and carries its stdout and stderr (tsc reports on stdout). */
async function run(cmd: string, args: readonly string[], options: { cwd: string; maxBuffer?: number }): Promise<{ stdout: string }> {
  try {
    return await exec(cmd, args, options);
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}
const ROOT = resolve(__dirname, '../..');
const APP_CONSTRUCTS = '10.3.0';
const scratch = mkdtempSync(join(tmpdir(), 'cinder-csi-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface PackResult { readonly filename: string; readonly files: ReadonlyArray<{ readonly path: string }> }
let packed: PackResult;

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch, '--loglevel=error'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  // prepack's own output precedes the JSON on stdout.
  packed = (JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as PackResult[])[0];
}, 300_000);

describe('npm pack', () => {
  test('holds the compiled library, its generated schema and defaults, and nothing else', () => {
    const paths = packed.files.map((f) => f.path).sort();
    for (const needed of [
      'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/render/cli.js', 'build/lib/template/index.d.ts',
      'build/lib/generated/values.schema.json', 'build/lib/generated/values.defaults.json', 'package.json', 'README.md',
    ]) {
      expect({ needed, present: paths.includes(needed) }).toEqual({ needed, present: true });
    }
    const unexpected = paths.filter((p) => !(/^build\/lib\/.*\.(js|d\.ts|json)$/.test(p)
      || /^build\/driver\/src\/(config\/attach-limit|config\/credential-rules|controller\/snapshot-parameters)\.(js|d\.ts)$/.test(p)
      || ['package.json', 'README.md'].includes(p)));
    expect(unexpected).toEqual([]);
  });

  test('cdk8s and constructs are peer dependencies with ranges, not dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(pkg.dependencies?.cdk8s).toBeUndefined();
    expect(pkg.dependencies?.constructs).toBeUndefined();
    expect(pkg.peerDependencies).toEqual({ cdk8s: '^2.50.0', constructs: '^10.0.0' });
  });
});

describe('a cdk8s app installs the tarball', () => {
  const app = join(scratch, 'app');

  beforeAll(async () => {
    mkdirSync(app, { recursive: true });
    const cdk8sVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.cdk8s;
    writeFileSync(join(app, 'package.json'), JSON.stringify({
      name: 'scratch-app', version: '0.0.0', private: true,
      dependencies: { 'cinder-csi': `file:${join(scratch, packed.filename)}`, cdk8s: cdk8sVersion, constructs: APP_CONSTRUCTS },
    }, null, 2));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noImplicitAny: true, types: [], lib: ['ES2022'] },
      files: ['main.ts'],
    }));
    writeFileSync(join(app, 'main.ts'), [
      "import { App, Chart } from 'cdk8s';",
      "import { CinderCsi } from 'cinder-csi';",
      '',
      "const app = new App({ outdir: 'dist' });",
      "const chart = new Chart(app, 'storage');",
      "const csi = new CinderCsi(chart, 'csi', { releaseName: 'r', namespace: 'ns', controller: { replicas: 3 } });",
      "csi.controller.deployment.metadata.addLabel('team', 'storage');",
      'app.synth();',
      '',
    ].join('\n'));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
  }, 600_000);

  test('one copy of constructs (the app\'s) and of cdk8s', async () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/constructs/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(APP_CONSTRUCTS);
    expect(existsSync(join(app, 'node_modules/cinder-csi/node_modules/constructs'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/cinder-csi/node_modules/cdk8s'))).toBe(false);
  });

  test('compiles with strict TypeScript and synthesizes the objects', async () => {
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app });
    await run(process.execPath, [join(app, 'main.js')], { cwd: app });
    const objects = parseAllDocuments(readFileSync(join(app, 'dist/storage.k8s.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, never>);
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as { metadata: { labels: Record<string, string> }; spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.metadata.labels.team).toBe('storage');
    expect(deployment.metadata.labels['helm.sh/chart']).toBe('cinder-csi-0.1.0');
  }, 120_000);

  test('npx cinder-csi-render writes plain YAML to stdout', async () => {
    const { stdout } = await run('npx', ['--no-install', 'cinder-csi-render', '--set', 'controller.replicas=2', '--release-name', 'r'], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
    expect(stdout.startsWith('apiVersion: ')).toBe(true);
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as { kind: string; spec?: { replicas?: number } });
    expect(docs.find((d) => d.kind === 'Deployment')?.spec?.replicas).toBe(2);
  }, 120_000);

  /** A values file as a user writes it: comments, YAML 1.1 scalars, maps and lists, a second StorageClass. */
  const USER_VALUES = [
    '# production values',
    'clusterId: prod-eu   # tag on every volume',
    'logVerbosity: 4',
    'global:',
    '  labels: {team: storage, cost-center: "0042"}',
    'cloudConfig:',
    '  mode: secret',
    '  global: {authUrl: "https://keystone.example:5000/v3", region: RegionTwo, username: csi, password: "s3cr=t,x", projectName: k8s, domainName: Default}',
    '  blockStorage: {ignoreVolumeAz: yes}',
    'controller:',
    '  replicas: 3',
    '  nodeSelector: {node-role.kubernetes.io/control-plane: ""}',
    '  provisioner: {extraArgs: [--feature-gates=Topology=true]}',
    'storageClasses:',
    '  - {name: fast, reclaimPolicy: Retain, allowVolumeExpansion: true, volumeBindingMode: Immediate, isDefault: true, parameters: {type: ssd}}',
    '  - {name: slow, reclaimPolicy: Delete, allowVolumeExpansion: false, volumeBindingMode: WaitForFirstConsumer}',
    '',
  ].join('\n');

  describe.each(HELM_VERSIONS)('npx cinder-csi-render --values v.yaml > out.yaml equals helm template (Helm %s)', (version) => {
    const helm = new Scratch();
    afterAll(() => helm.cleanup());

    test('same objects, field for field, with --set-string on top', async () => {
      writeFileSync(join(app, 'v.yaml'), USER_VALUES);
      const flags = '--values v.yaml --set-string clusterId=007 --release-name prod --namespace storage';
      await run('bash', ['-c', `npx --no-install cinder-csi-render ${flags} > out.yaml`], { cwd: app });
      const rendered = parseManifests(readFileSync(join(app, 'out.yaml'), 'utf8'));
      const helmed = await helmTemplate(helm, version, CHART, ['prod', '--namespace', 'storage', '-f', join(app, 'v.yaml'), '--set-string', 'clusterId=007']);
      expect(helmed.stderr).toBe('');
      expect(byIdentity(rendered)).toEqual(byIdentity(helmed.objects));
      const deployment = rendered.find((o) => o.kind === 'Deployment') as { spec: { replicas: number } } | undefined;
      expect(deployment?.spec.replicas).toBe(3);
      expect(rendered.filter((o) => o.kind === 'StorageClass').map((o) => (o.metadata as { name: string }).name).sort()).toEqual(['fast', 'slow']);
    }, 120_000);
  });
});
