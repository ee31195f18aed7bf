import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JsonObject } from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, parseManifests, Scratch, valuesFileText } from '../template/helm-harness';
import { CHART, describeDifferences, pool, Release, renderConstructs, ROOT, SCHEMA } from './chart-harness';
import { randomValuesFiles } from './random-values';

/*
 * The chart's promise: for the same values, `helm template` (3.17 and 4.1) renders exactly the objects
 * the constructs synthesize, compared as parsed objects keyed by apiVersion/kind/namespace/name.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const RANDOM_FILES = 200;
const SEED = 20261121;
const RELEASES: Release[] = [
  { name: 'cinder-csi', namespace: 'kube-system' },
  { name: 'r', namespace: 'storage' },
  { name: `long-${'x'.repeat(48)}`, namespace: 'a-b-c' },
  { name: 'storage.prod', namespace: 'kube-system' },
];

async function differences(values: JsonObject, release: Release, label: string): Promise<string[]> {
  const expected = byIdentity(renderConstructs(values, release));
  const file = scratch.file('values.json', valuesFileText(values));
  const problems: string[] = [];
  for (const version of HELM_VERSIONS) {
    const result = await helmTemplate(scratch, version, CHART, [release.name, '--namespace', release.namespace, '-f', file]);
    if (!result.ok) {
      problems.push(`${label} (helm ${version}): helm template failed: ${result.stderr.trim()}`);
      continue;
    }
    const diff = describeDifferences(expected, byIdentity(result.objects));
    if (diff.length) problems.push(`${label} (helm ${version}, values ${JSON.stringify(values).slice(0, 300)}):\n    ${diff.join('\n    ')}`);
  }
  return problems;
}

describe('helm template renders exactly what the constructs synthesize', () => {
  test('default values: helm output equals the constructs and the committed dist/cinder-csi.yaml', async () => {
    const release = RELEASES[0];
    expect(await differences({}, release, 'defaults')).toEqual([]);
    const dist = byIdentity(parseManifests(readFileSync(resolve(ROOT, 'dist/cinder-csi.yaml'), 'utf8')));
    expect(dist).toEqual(byIdentity(renderConstructs({}, release)));
    expect(Object.keys(dist).length).toBeGreaterThan(5);
  });

  test(`${RANDOM_FILES} seeded random valid values files render identically on both Helm versions`, async () => {
    const files = randomValuesFiles(SCHEMA, RANDOM_FILES, SEED);
    expect(files).toHaveLength(RANDOM_FILES);
    const problems = await pool(files, 3, (values, i) => differences(values, RELEASES[i % RELEASES.length], `random values file #${i}`));
    const failed = problems.flat();
    expect(failed.slice(0, 5).join('\n\n')).toBe('');
  }, 600_000);
});
