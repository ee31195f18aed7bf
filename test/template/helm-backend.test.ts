import { coalesceValues, evaluate, JsonObject, MAX_TEMPLATE_LINE, ObjectTemplate, objectTemplate, toHelm } from '../../lib/template';
import { cornerDefaults, cornerTemplate } from './corner';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch, valuesFileText, writeTestChart } from './helm-harness';
import { sampleClasses, sampleConfigMap, sampleDefaults } from './sample';
import { truthDefaults, truthTemplate } from './truthiness';

/**
 * The Helm backend is faithful: for each values file, real `helm template` (3.17 and 4.1) renders
 * exactly the objects `evaluate` produces from the same values coalesced over the same defaults.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

interface Case {
  readonly name: string;
  readonly user: JsonObject;
  readonly release?: { name: string; namespace: string };
  /** Passed to helm as --set (typed like Helm: integers become int64, not float64); `user` must hold the same values. */
  readonly set?: readonly string[];
}

async function expectEquivalent(templates: readonly ObjectTemplate[], defaults: JsonObject, c: Case): Promise<void> {
  const release = c.release ?? { name: 'rel', namespace: 'ns' };
  const values = coalesceValues(defaults, c.user);
  const expected = byIdentity(templates.flatMap((t) => evaluate(t, { values, release })));
  const chart = writeTestChart(scratch, templates, defaults);
  const valuesFile = scratch.file('values.json', valuesFileText(c.user));
  for (const version of HELM_VERSIONS) {
    const set = (c.set ?? []).flatMap((x) => ['--set', x]);
    const result = await helmTemplate(scratch, version, chart, [release.name, '--namespace', release.namespace, '-f', valuesFile, ...set]);
    expect({ version, error: result.ok ? '' : result.stderr }).toEqual({ version, error: '' });
    expect({ version, objects: byIdentity(result.objects) }).toEqual({ version, objects: expected });
  }
}

const sampleCases: Case[] = [
  { name: 'defaults', user: {} },
  { name: 'everything on, odd values', user: {
    mode: 'slow: "really"', replicas: 1000000,
    extra: { enabled: true, args: ['a b', '--c="d"', 'ü', ''], note: '<note & more>' },
    items: [{ name: 'i1', size: 0, tags: [] }, { name: 'i2', size: 1.5, tags: ['x', 'y'] }],
    env: { b: '2', a: '', 'Z-z': 'zz', ä: 'umlaut' },
    labels: { team: 'storage', 'app.kubernetes.io/name': 'user-wins?' },
    free: { nested: { list: [1, { a: 'b' }], empty: {} }, s: 'yes' },
    classes: [{ name: 'one', default: false }, { name: 'two', default: true }],
  } },
  { name: 'disabled object, empty forEach', user: { enabled: false, classes: [] } },
  { name: 'falsy values: zero replicas, empty strings', user: { replicas: 0, name: '', mode: '' }, release: { name: 'x', namespace: 'default' } },
];

describe('toHelm renders what evaluate renders (sample templates)', () => {
  test.each(sampleCases)('$name', async (c) => {
    await expectEquivalent([sampleConfigMap, sampleClasses], sampleDefaults as unknown as JsonObject, c);
  });
});

const cornerCases: Case[] = [
  { name: 'odd strings and numbers by default', user: {} },
  { name: 'flags flipped, nested loops with conditional items, merge of overlapping keys', user: {
    flags: { on: false, off: true },
    annotations: { fixed: 'user', a: 'user-a', c: 'user-c', zz: '' },
    groups: [
      { name: 'g1', members: [{ id: 'm1', enabled: true }, { id: 'm2', enabled: false }], extra: { group: 'overridden', k: 'v' } },
      { name: 'g2', members: [{ id: 'm3', enabled: false }], extra: {} },
      { name: 'g3', members: [], extra: { '': 'empty key' } },
    ],
    text: 'other', count: 3,
  } },
  { name: 'free-form values of every shape', user: {
    free: { map: { 'k:1': ['<&>'], n: { m: {} } }, list: [[], {}, '', 0, false, 1e21, -0.5], nested: { a: 'replaced' } },
    numbers: { million: 1e6, huge: 1e20, tiny: 1e-7 },
    strings: { quotes: '"\\', html: '&&&', unicode: '\u2028\u2029', braces: '}}{{', empty: '' },
  } },
];

describe('toHelm renders what evaluate renders (corner cases)', () => {
  test.each(cornerCases)('$name', async (c) => {
    await expectEquivalent([cornerTemplate], cornerDefaults as unknown as JsonObject, c);
  });
});

const truthCases: Case[] = [
  { name: 'truthiness of every kind of value, value-returning and/or, numeric and string eq', user: {} },
  { name: 'the same with the flags set', user: { n: 3, s: 'x', b: true, list: ['a', 'skip', 'b'] } },
  { name: 'integers from --set (int64 in Helm) compare and print like values-file numbers (float64)', user: { n: 1000000, b: true, list: ['a'] }, set: ['n=1000000', 'b=true', 'list={a}'] },
  { name: 'zero from --set', user: { n: 0 }, set: ['n=0'] },
];

describe('toHelm renders what evaluate renders (truthiness and operators)', () => {
  test.each(truthCases)('$name', async (c) => {
    await expectEquivalent([truthTemplate], truthDefaults as unknown as JsonObject, c);
  });
});

describe('toHelm writes list items under the same condition in one `if`', () => {
  test('one `if` per run of items, a new one where the condition changes', () => {
    const text = toHelm(cornerTemplate);
    const run = text.slice(text.indexOf('runsOfItems:'), text.indexOf('maybeEmptyRun:'));
    expect(run.match(/\{\{- if /g)).toHaveLength(3);
    expect(run.match(/\{\{- end \}\}/g)).toHaveLength(3);
  });
});

describe('toHelm keeps every line of a template at most MAX_TEMPLATE_LINE characters', () => {
  test('a long literal string is joined from parts that may be wrapped, and renders unchanged', async () => {
    const long = `${'say "hi" && echo \\ done; '.repeat(8)}🎀🎀 ${'x'.repeat(120)} 🎀 end`;
    const template = objectTemplate({ file: 'long', body: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'long' }, data: { script: long, flow: [long] } }) });
    const text = toHelm(template);
    expect(text.split('\n').filter((line) => line.length > MAX_TEMPLATE_LINE)).toEqual([]);
    await expectEquivalent([template], {}, { name: 'long', user: {} });
  });
});
