import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { byIdentity, HELM_VERSIONS, helmBinary, parseManifests, Scratch } from '../template/helm-harness';
import { CHART, ROOT } from './chart-harness';

const run = promisify(execFile);
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

interface Outcome { readonly code: number; readonly stdout: string; readonly stderr: string }

async function exec(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = scratch.env()): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const helm = (version: (typeof HELM_VERSIONS)[number], ...args: string[]): Promise<Outcome> => exec(helmBinary(version), args);
const render = (...args: string[]): Promise<Outcome> =>
  exec(process.execPath, ['-r', 'ts-node/register/transpile-only', resolve(ROOT, 'lib/render/cli.ts'), ...args], { ...process.env });

/** A values file that turns every optional component on and uses odd but valid values. */
const NON_DEFAULT_VALUES = JSON.stringify({
  snapshots: { enabled: true },
  openshift: { enabled: true },
  topology: { enabled: false },
  global: { labels: { team: 'storage' }, annotations: { note: 'a: b' }, imagePullSecrets: ['pull'] },
  controller: { replicas: 3, podDisruptionBudget: { enabled: true, maxUnavailable: 2 }, tolerations: [{ key: 'k', operator: 'Exists' }] },
  storageClasses: [{ name: 'fast', isDefault: true, volumeType: 'ssd' }, { name: 'slow', reclaimPolicy: 'Retain' }],
  cloudConfig: { mode: 'existingSecret', existingSecret: { name: 'my-cloud', mountOnNode: true } },
});

describe.each(HELM_VERSIONS)('helm %s', (version) => {
  test('helm lint --strict passes with the default values', async () => {
    const r = await helm(version, 'lint', '--strict', CHART);
    expect({ code: r.code, out: r.code ? r.stdout + r.stderr : '' }).toEqual({ code: 0, out: '' });
  });

  test('helm lint --strict passes with a values file that enables every optional component', async () => {
    const file = scratch.file('values.json', NON_DEFAULT_VALUES);
    const r = await helm(version, 'lint', '--strict', CHART, '-f', file);
    expect({ code: r.code, out: r.code ? r.stdout + r.stderr : '' }).toEqual({ code: 0, out: '' });
  });

  test('a value of the wrong type fails and the error names the key', async () => {
    const r = await helm(version, 'template', 'x', CHART, '--set', 'controller.replicas=abc');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/controller[./]replicas/);
  });

  test('an unknown key fails and the error names it', async () => {
    const r = await helm(version, 'template', 'x', CHART, '--set', 'nosuchkey=1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nosuchkey/);
  });

  test('an unknown nested key fails and the error names it', async () => {
    const r = await helm(version, 'template', 'x', CHART, '--set', 'controller.replica=2');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/replica\b/);
  });
});

describe('cinder-csi-render', () => {
  test('renders exactly dist/cinder-csi.yaml for the defaults', async () => {
    const r = await render();
    expect(r.code).toBe(0);
    const dist = parseManifests(readFileSync(resolve(ROOT, 'dist/cinder-csi.yaml'), 'utf8'));
    expect(byIdentity(parseManifests(r.stdout))).toEqual(byIdentity(dist));
  });

  test('--output writes the YAML to the file and nothing to stdout', async () => {
    const out = resolve(scratch.dir, 'out.yaml');
    const r = await render('--output', out);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    const dist = parseManifests(readFileSync(resolve(ROOT, 'dist/cinder-csi.yaml'), 'utf8'));
    expect(byIdentity(parseManifests(readFileSync(out, 'utf8')))).toEqual(byIdentity(dist));
  });

  test('renders what helm template renders from the same YAML values files, --set, release name and namespace', async () => {
    // YAML 1.1 like Helm reads it: `yes` is a boolean; a later file and --set override earlier ones.
    const first = scratch.file('a.yaml', 'snapshots:\n  enabled: yes\ncontroller:\n  replicas: 5\nglobal:\n  labels: {team: "yes", "x": "1.0"}\n');
    const second = scratch.file('b.yaml', 'controller:\n  replicas: 4\nstorageClasses:\n  - name: only\n    isDefault: true\n');
    const args = ['--values', first, '--values', second, '--set', 'global.annotations.note=hi,node.maxUnavailable=3', '--set', 'topology.enabled=false', '--namespace', 'storage'];
    const r = await render(...args, '--release-name', 'rel');
    expect(r.stderr).toBe('');
    const rendered = byIdentity(parseManifests(r.stdout));
    expect(Object.keys(rendered).some((k) => k.includes('VolumeSnapshotClass'))).toBe(true);
    for (const version of HELM_VERSIONS) {
      const h = await helm(version, 'template', 'rel', CHART, ...args);
      expect(h.stderr).toBe('');
      expect({ version, objects: byIdentity(parseManifests(h.stdout)) }).toEqual({ version, objects: rendered });
    }
  });

  test('a value of the wrong type fails naming the key', async () => {
    const r = await render('--set', 'controller.replicas=abc');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('controller.replicas: must be an integer');
    expect(r.stdout).toBe('');
  });

  test('an unknown key fails naming it', async () => {
    const r = await render('--set', 'nosuchkey=1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nosuchkey: unknown key');
  });

  test('a missing values file is a clear error', async () => {
    const r = await render('--values', resolve(scratch.dir, 'does-not-exist.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read values file .*does-not-exist\.yaml: ENOENT/);
  });
});
