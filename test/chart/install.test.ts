import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { byIdentity, HELM_VERSIONS, helmBinary, parseManifests, Scratch } from '../template/helm-harness';
import { CHART, renderConstructs } from './chart-harness';
import { FakeKubeApi, kubeconfigFor, startFakeKubeApi } from './fake-kube-api';

const run = promisify(execFile);
const scratch = new Scratch();
let api: FakeKubeApi;
beforeAll(async () => { api = await startFakeKubeApi(); });
afterAll(async () => {
  await api.close();
  scratch.cleanup();
});

async function dryRunInstall(version: (typeof HELM_VERSIONS)[number], kubeconfig: string, ...extra: string[]): Promise<string> {
  const { stdout } = await run(helmBinary(version), [...extra,
    'install', 'cinder-csi', CHART, '--namespace', 'kube-system', '--dry-run=client',
    // Helm 3 would also download the cluster's OpenAPI document to validate; the fake API has none.
    ...(version === 'v3' ? ['--disable-openapi-validation'] : []),
    '--kubeconfig', kubeconfig,
  ], { env: scratch.env(), maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The manifest part of `helm install --dry-run` output (after the MANIFEST: header, before NOTES:). */
function manifestOf(output: string): string {
  const start = output.indexOf('MANIFEST:');
  const end = output.indexOf('\nNOTES:');
  return output.slice(start + 'MANIFEST:'.length, end < 0 ? undefined : end);
}

describe.each(HELM_VERSIONS)('helm %s install --dry-run=client', (version) => {
  test('succeeds, renders the default deployment and prints the NOTES; nothing is written to the cluster', async () => {
    const before = api.requests.length;
    const out = await dryRunInstall(version, scratch.file('kubeconfig', kubeconfigFor(api)));
    expect(out).toMatch(/STATUS: pending-install/);
    expect(out).toMatch(/NOTES:[\s\S]*kubectl get pods --namespace kube-system -l app.kubernetes.io\/instance=cinder-csi/);
    expect(byIdentity(parseManifests(manifestOf(out)))).toEqual(byIdentity(renderConstructs({}, { name: 'cinder-csi', namespace: 'kube-system' })));
    expect(api.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

test('helm v4 install --dry-run=client needs no cluster at all', async () => {
  const unreachable = scratch.file('kubeconfig', kubeconfigFor({ url: 'http://127.0.0.1:1', requests: [], close: async () => undefined }));
  const out = await dryRunInstall('v4', unreachable);
  expect(out).toMatch(/STATUS: pending-install/);
});

describe('NOTES tell the user how to create a claim for the StorageClasses of the release', () => {
  const unreachable = (): string => scratch.file('kubeconfig', kubeconfigFor({ url: 'http://127.0.0.1:1', requests: [], close: async () => undefined }));
  const notes = async (...set: string[]): Promise<string> => {
    const out = await dryRunInstall('v4', unreachable(), ...set.flatMap((s) => ['--set-json', s]));
    return out.slice(out.indexOf('\nNOTES:'));
  };

  test('a default StorageClass: the claim names none', async () => {
    const text = await notes('storageClasses=[{"name":"fast","isDefault":true}]');
    expect(text).toContain('StorageClass "fast" is the cluster default');
    expect(text).not.toContain('storageClassName:');
  });

  test('no default StorageClass: the claim names the first one', async () => {
    const text = await notes('storageClasses=[{"name":"a"},{"name":"b"}]');
    expect(text).toContain('one of the StorageClasses of this release (a, b)');
    expect(text).toContain('storageClassName: a');
  });

  test('no StorageClass at all: the user is told which provisioner to use', async () => {
    const text = await notes('storageClasses=[]');
    expect(text).toContain('a StorageClass whose provisioner is cinder.csi.openstack.org');
  });
});

test('with enabled=false (a parent chart\'s condition) the NOTES say that nothing is installed, and nothing else', async () => {
  const unreachable = scratch.file('kubeconfig', kubeconfigFor({ url: 'http://127.0.0.1:1', requests: [], close: async () => undefined }));
  const out = await dryRunInstall('v4', unreachable, '--set', 'enabled=false');
  const text = out.slice(out.indexOf('\nNOTES:'));
  expect(text).toContain('cinder-csi: "enabled" is false, so release "cinder-csi" installs nothing.');
  expect(text).not.toContain('kubectl');
});

describe('NOTES tell the user how to create the cloud.conf Secret the default deployment reads', () => {
  const unreachable = (): string => scratch.file('kubeconfig', kubeconfigFor({ url: 'http://127.0.0.1:1', requests: [], close: async () => undefined }));

  test('default (mode existingSecret): the kubectl create secret command with the release namespace, Secret name and key', async () => {
    const out = await dryRunInstall('v4', unreachable());
    const text = out.slice(out.indexOf('\nNOTES:'));
    expect(text).toContain('kubectl create secret generic openstack-cloud-config --namespace kube-system --from-file=cloud.conf=./cloud.conf');
  });

  test('another Secret name and key are the ones in the command; mode secret prints no command', async () => {
    const named = await dryRunInstall('v4', unreachable(), '--set', 'cloudConfig.existingSecret.name=os-cloud', '--set', 'cloudConfig.existingSecret.key=conf');
    expect(named.slice(named.indexOf('\nNOTES:'))).toContain('kubectl create secret generic os-cloud --namespace kube-system --from-file=conf=./cloud.conf');
    const inline = await dryRunInstall('v4', unreachable(), '--set', 'cloudConfig.mode=hostPath');
    expect(inline.slice(inline.indexOf('\nNOTES:'))).not.toContain('kubectl create secret');
  });
});
