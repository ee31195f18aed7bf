import { parseAllDocuments } from 'yaml';
import { CinderCsiValuesError } from '../../lib';
import { renderManifests } from '../../lib/render/render';
import { JsonObject, JsonValue } from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch, valuesFileText } from '../template/helm-harness';
import { CHART, describeDifferences, renderConstructs } from './chart-harness';

/*
 * Values that real users write and that JavaScript treats specially: map keys that are names every object
 * inherits (`constructor`, `toString`, `hasOwnProperty`, `valueOf`) or that set the prototype when assigned
 * (`__proto__`), and nulls inside user maps and lists. Helm 3, Helm 4, the constructs and cinder-csi-render
 * must agree on them: the same objects, or a refusal that names the key.
 */
const INHERITED_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

/** A map with one own key per inherited name (built with JSON.parse: an object literal would set the prototype). */
function inheritedNames(value: (i: number) => string): JsonObject {
  return JSON.parse(`{${INHERITED_NAMES.map((name, i) => `${JSON.stringify(name)}: ${JSON.stringify(value(i))}`).join(', ')}}`) as JsonObject;
}

const VALUES: JsonObject = {
  global: { labels: inheritedNames((i) => `l${i}`), annotations: inheritedNames((i) => `a ${i}`) },
  controller: {
    nodeSelector: inheritedNames((i) => `n${i}`),
    podLabels: inheritedNames((i) => `p${i}`),
    provisioner: { resources: { limits: inheritedNames((i) => `${i + 1}Mi`) } },
  },
  storageClasses: [{
    name: 'fast',
    labels: inheritedNames((i) => `s${i}`),
    annotations: inheritedNames((i) => `sa ${i}`),
    parameters: inheritedNames((i) => `param-${i}`),
  }],
};
const RELEASE = { name: 'storage.prod', namespace: 'kube-system' };

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const ofKind = (objects: readonly JsonObject[], kind: string): JsonObject => {
  const found = objects.find((o) => o.kind === kind);
  if (found === undefined) throw new Error(`no ${kind}`);
  return found;
};
const at = (value: JsonValue, ...path: Array<string | number>): JsonValue => path.reduce<JsonValue>((v, key) => (v as Record<string, JsonValue>)[key], value);
/** The own entries of a map whose keys are inherited names, in INHERITED_NAMES order. */
const inheritedEntries = (map: JsonValue): Array<[string, JsonValue | undefined]> =>
  INHERITED_NAMES.map((name) => [name, Object.hasOwn(map as object, name) ? (map as Record<string, JsonValue>)[name] : undefined]);

describe('keys that are names JavaScript objects inherit', () => {
  test('the constructs keep each as an ordinary key in labels, annotations, nodeSelector, parameters and resources', () => {
    const objects = renderConstructs(VALUES, RELEASE);
    const deployment = ofKind(objects, 'Deployment');
    const storageClass = ofKind(objects, 'StorageClass');
    const expected = (value: (i: number) => string): Array<[string, string]> => INHERITED_NAMES.map((name, i) => [name, value(i)]);
    expect(inheritedEntries(at(deployment, 'metadata', 'labels'))).toEqual(expected((i) => `l${i}`));
    expect(inheritedEntries(at(deployment, 'metadata', 'annotations'))).toEqual(expected((i) => `a ${i}`));
    expect(inheritedEntries(at(deployment, 'spec', 'template', 'metadata', 'labels'))).toEqual(expected((i) => `p${i}`));
    expect(inheritedEntries(at(deployment, 'spec', 'template', 'spec', 'nodeSelector'))).toEqual(expected((i) => `n${i}`));
    expect(inheritedEntries(at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'))).toEqual(expected((i) => `${i + 1}Mi`));
    expect(inheritedEntries(at(storageClass, 'metadata', 'labels'))).toEqual(expected((i) => `s${i}`));
    expect(inheritedEntries(at(storageClass, 'metadata', 'annotations'))).toEqual(expected((i) => `sa ${i}`));
    expect(inheritedEntries(at(storageClass, 'parameters'))).toEqual(expected((i) => `param-${i}`));
  });

  test('helm template (3 and 4) renders what the constructs synthesize', async () => {
    const expected = byIdentity(renderConstructs(VALUES, RELEASE));
    const file = scratch.file('inherited.json', valuesFileText(VALUES));
    for (const version of HELM_VERSIONS) {
      const result = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
      expect({ version, error: result.ok ? '' : result.stderr }).toEqual({ version, error: '' });
      expect({ version, differences: describeDifferences(expected, byIdentity(result.objects)) }).toEqual({ version, differences: [] });
    }
  });

  test('cinder-csi-render writes the same objects, from a values file and from --set', async () => {
    const expected = byIdentity(renderConstructs(VALUES, RELEASE));
    const read = (text: string): Record<string, JsonObject> => byIdentity(parseAllDocuments(text).map((d) => d.toJS() as JsonObject));
    const fromFile = renderManifests({ valuesFiles: [{ name: 'v.json', content: valuesFileText(VALUES) }], releaseName: RELEASE.name, namespace: RELEASE.namespace });
    expect(describeDifferences(expected, read(fromFile))).toEqual([]);
    const set = INHERITED_NAMES.map((name, i) => `controller.nodeSelector.${name}=n${i}`).join(',');
    const fromSet = read(renderManifests({ set: [set], releaseName: RELEASE.name, namespace: RELEASE.namespace }));
    const helm = await helmTemplate(scratch, 'v3', CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '--set', set]);
    expect(helm.stderr).toBe('');
    expect(describeDifferences(byIdentity(helm.objects), fromSet)).toEqual([]);
    const deployment = Object.values(fromSet).find((o) => o.kind === 'Deployment')!;
    expect(inheritedEntries(at(deployment, 'spec', 'template', 'spec', 'nodeSelector'))).toEqual(INHERITED_NAMES.map((name, i) => [name, `n${i}`]));
  });
});

describe('nulls inside user maps and lists', () => {
  // Helm keeps a null written inside a map the chart defaults to {} (it deletes only keys the defaults have), so
  // its schema check refuses it, as the constructs do.
  const NULLS: JsonObject = {
    global: { labels: { team: null }, annotations: { note: null } },
    controller: { nodeSelector: { zone: null }, tolerations: [null], provisioner: { resources: { limits: { cpu: null } } } },
    storageClasses: [{ name: 'fast', parameters: { type: null } }],
  };
  const KEYS = ['global.labels.team', 'global.annotations.note', 'controller.nodeSelector.zone', 'controller.tolerations[0]',
    'controller.provisioner.resources.limits.cpu', 'storageClasses[0].parameters.type'];

  test('the constructs and cinder-csi-render refuse them, naming each key', () => {
    let problems: readonly string[] = [];
    try {
      renderConstructs(NULLS, RELEASE);
    } catch (e) {
      if (!(e instanceof CinderCsiValuesError)) throw e;
      problems = e.problems;
    }
    expect(KEYS.filter((key) => !problems.some((p) => p.startsWith(`${key}: must be`)))).toEqual([]);
    expect(problems).toHaveLength(KEYS.length);
    expect(() => renderManifests({ valuesFiles: [{ name: 'v.json', content: valuesFileText(NULLS) }] })).toThrow('controller.tolerations[0]: must be of type object');
  });

  test('helm template (3 and 4) refuses them in its schema check, naming each key', async () => {
    const file = scratch.file('nulls.json', valuesFileText(NULLS));
    // Helm 3 writes a key as a.b.0, Helm 4 as /a/b/0.
    const spellings = (key: string): string[] => {
      const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.');
      return [parts.join('.'), `/${parts.join('/')}`];
    };
    for (const version of HELM_VERSIONS) {
      const result = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
      expect({ version, ok: result.ok }).toEqual({ version, ok: false });
      expect({ version, unnamed: KEYS.filter((key) => !spellings(key).some((s) => result.stderr.includes(s))) }).toEqual({ version, unnamed: [] });
    }
  });
});
