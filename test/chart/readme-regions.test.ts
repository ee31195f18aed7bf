import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { JsonObject } from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch, valuesFileText } from '../template/helm-harness';
import { CHART, renderConstructs } from './chart-harness';

/*
 * The chart README's "Several regions" example is a values file that works: the constructs and Helm 3 and 4
 * render the same objects from it, with one routing Secret per region and each class pointing at its region's.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const RELEASE = { name: 'cinder-csi', namespace: 'kube-system' };

function exampleValues(): JsonObject {
  const readme = readFileSync(resolve(CHART, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Several regions'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error('no yaml block in the README\'s "Several regions" section');
  return parseYaml(block[1]!) as JsonObject;
}

test('the README\'s several-regions values render the same objects in the constructs and helm 3 and 4', async () => {
  const values = exampleValues();
  const objects = renderConstructs(values, RELEASE);
  const named = (kind: string): Array<[string, unknown]> => objects
    .filter((o) => o.kind === kind)
    .map((o) => [(o.metadata as JsonObject).name as string, kind === 'Secret' ? o.stringData : (o.parameters as JsonObject)['csi.storage.k8s.io/provisioner-secret-name'] ?? (o.parameters as JsonObject)['csi.storage.k8s.io/snapshotter-secret-name']]);
  expect(named('Secret')).toEqual([['cinder-csi-cloud-region-one', { cloud: 'region-one' }], ['cinder-csi-cloud-region-two', { cloud: 'region-two' }]]);
  expect(named('StorageClass')).toEqual([['cinder-one', 'cinder-csi-cloud-region-one'], ['cinder-two', 'cinder-csi-cloud-region-two']]);
  expect(named('VolumeSnapshotClass')).toEqual([['cinder-snapshot-two', 'cinder-csi-cloud-region-two']]);
  const file = scratch.file('values.json', valuesFileText(values));
  for (const version of HELM_VERSIONS) {
    const r = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
    expect({ version, stderr: r.ok ? '' : r.stderr }).toEqual({ version, stderr: '' });
    expect({ version, objects: byIdentity(r.objects) }).toEqual({ version, objects: byIdentity(objects) });
  }
}, 120_000);
