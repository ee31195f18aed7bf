import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { referees } from '../cluster/support/referees';

const ROOT = resolve(__dirname, '../..');
const DEFAULTS = JSON.parse(readFileSync(resolve(ROOT, 'lib/generated/values.defaults.json'), 'utf8'));

// The cluster suites run the sidecars built from the referee table against the chart: they prove something about
// the chart only if those are exactly the versions the chart deploys.
describe('the referee table builds the sidecars at the versions the chart deploys', () => {
  const tagOf = (name: string): string | undefined => referees().find((r) => r.name === name)?.tag;
  test.each([
    ['csi-provisioner', 'controller.provisioner'],
    ['csi-attacher', 'controller.attacher'],
    ['csi-resizer', 'controller.resizer'],
    ['csi-snapshotter', 'controller.snapshotter'],
  ])('%s = %s.image.tag', (referee, path) => {
    const image = path.split('.').reduce((o, k) => o[k], DEFAULTS).image;
    expect(`${image.repository}:${tagOf(referee)}`).toBe(`sig-storage/${referee}:${image.tag}`);
  });

  test('the snapshot-controller and the snapshot CRDs come from the same external-snapshotter release', () => {
    expect(tagOf('snapshot-controller')).toBe(tagOf('csi-snapshotter'));
  });

  test('Kubernetes components are built at one release', () => {
    const k8s = referees().filter((r) => r.how === 'k8s' && r.module === 'k8s.io/kubernetes');
    expect(k8s.map((r) => r.name).sort()).toEqual(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl']);
    expect(new Set(k8s.map((r) => r.tag)).size).toBe(1);
    const wrapper = readFileSync(resolve(ROOT, 'scripts/referees/k8s/go.mod'), 'utf8');
    const tag = k8s[0].tag;
    expect(wrapper).toContain(`\tk8s.io/kubernetes ${tag} `);
    // Every staging module replaced by its published version of the same release (v1.X.Y → v0.X.Y).
    const staging = [...wrapper.matchAll(/^\t(k8s\.io\/[a-z0-9-]+) => \1 (v\S+)$/gm)];
    expect(staging.length).toBeGreaterThan(25);
    expect(new Set(staging.map((m) => m[2]))).toEqual(new Set([tag.replace(/^v1\./, 'v0.')]));
  });
});
