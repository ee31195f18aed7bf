import { parseAllDocuments } from 'yaml';
import { renderManifests } from '../../lib/render/render';
import { JsonObject } from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch, valuesFileText } from '../template/helm-harness';
import { CHART, describeDifferences, renderConstructs } from './chart-harness';

/*
 * Strings that YAML readers disagree on: YAML 1.1 (go-yaml: Helm, kubectl) reads `2024-06-01` as a timestamp,
 * `12:30:00` as a base-60 number, `0b1` as binary, `yes` as true, and U+0085/U+2028 as line breaks even inside
 * quotes; YAML 1.2 reads `0o17` and `0x1F` as numbers. In keys and values, under a release name with a dot,
 * Helm renders what the constructs synthesize, and cinder-csi-render writes YAML both kinds of reader read back
 * as exactly those objects.
 */
const FAMILY = ['2024-06-01', '12:30:00', '0o17', '0x1F', '0b1', 'yes', 'a\u2028b', 'a\u0085b', '1e3', '~'];
// As keys too, except U+0085: Helm fails on such a key (its schema check writes the values as YAML), and so do the constructs.
const asMap = (prefix: string): Record<string, string> => Object.fromEntries(FAMILY.flatMap((s, i) => [[`${prefix}${i}`, s], ...(s.includes('\u0085') ? [] : [[s, s]])]));
const VALUES: JsonObject = {
  global: { annotations: asMap('a') },
  controller: { podLabels: { date: '2024-06-01', bin: '0b1', oct: '0o17', hex: '0x1F', yes: 'on' } },
  storageClasses: [{ name: 'fast', parameters: asMap('p') }],
};
const RELEASE = { name: 'storage.prod', namespace: 'kube-system' };

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

test('helm template (3 and 4) renders what the constructs synthesize', async () => {
  const expected = byIdentity(renderConstructs(VALUES, RELEASE));
  const file = scratch.file('values.json', valuesFileText(VALUES));
  for (const version of HELM_VERSIONS) {
    const result = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
    expect({ version, error: result.ok ? '' : result.stderr }).toEqual({ version, error: '' });
    expect({ version, differences: describeDifferences(expected, byIdentity(result.objects)) }).toEqual({ version, differences: [] });
  }
});

test('a key with U+0085 fails in Helm and in the constructs, naming the key', async () => {
  const values = { global: { annotations: { 'a\u0085b': 'v' } } };
  expect(() => renderConstructs(values, RELEASE)).toThrow('global.annotations.a\u0085b: a key must not contain U+0085 (NEL); Helm cannot read it');
  const file = scratch.file('nel.json', valuesFileText(values));
  for (const version of HELM_VERSIONS) {
    const result = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
    expect({ version, ok: result.ok }).toEqual({ version, ok: false });
  }
});

test.each(['1.1', '1.2'] as const)('cinder-csi-render output read as YAML %s gives exactly the constructs\' objects', (version) => {
  const text = renderManifests({ valuesFiles: [{ name: 'v.json', content: valuesFileText(VALUES) }], releaseName: RELEASE.name, namespace: RELEASE.namespace });
  expect(text).not.toMatch(/[\u0085\u2028\u2029]/);
  const read = parseAllDocuments(text, { version }).map((d) => d.toJS() as JsonObject);
  expect(describeDifferences(byIdentity(renderConstructs(VALUES, RELEASE)), byIdentity(read))).toEqual([]);
});
