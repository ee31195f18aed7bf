import {
  chartRef, coalesceValues, concat, each, eq, evaluate, fragment, ifElse, JsonObject, MAX_TEMPLATE_LINE, mergeMaps, objectTemplate, pick,
  releaseRef as r, str, textFragment, textWhen, toHelm, valuesRef, when,
} from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch, valuesFileText, writeTestChart } from './helm-harness';

/*
 * Named fragments: Helm writes them once as defines and includes them, the evaluator inlines them; real
 * Helm 3 and 4 must render what `evaluate` gives. Also: an ifElse with a computed branch cannot be an operand.
 */
interface FragmentValues {
  name: string;
  labels: Record<string, string>;
  items: Array<{ id: string; labels?: Record<string, string> }>;
  ini: { host: string; port: number; secure: boolean };
  long: string;
}
const v = valuesRef<FragmentValues>();
const defaults = { name: 'n', labels: {}, items: [], ini: { host: '', port: 0, secure: false }, long: '' } as unknown as JsonObject;

const labelsOf = fragment<{ component: string; extra: Record<string, string> }>({
  name: 'sample.labels', description: 'Labels: the user\'s, then fixed ones.', params: ['component', 'extra'],
}, (p) => mergeMaps(v.labels, p.extra, { component: p.component, release: r.name, service: r.service, chart: concat(chartRef.name, '-', chartRef.version) }));
const meta = fragment<{ name: string; component: string; extra: Record<string, string> }>({
  name: 'sample.metadata', description: 'Name and labels (nests sample.labels).', params: ['name', 'component', 'extra'],
}, (p) => ({ name: p.name, labels: labelsOf({ component: p.component, extra: p.extra }) }));
const greeting = fragment({ name: 'sample.greeting', description: 'A scalar.', params: [] }, () => concat('hello ', v.name));
const choice = fragment<{ on: boolean }>({ name: 'sample.choice', description: 'A scalar choice.', params: ['on'] },
  (p) => ifElse(p.on, concat('yes-', v.name), 'no'));
const list = fragment({ name: 'sample.list', description: 'A list that may be empty.', params: [] },
  () => [each(v.items, (item) => item.id)]);
const ini = textFragment({ name: 'sample.ini', description: 'An INI text.', params: [] }, () => [
  '[main]',
  textWhen(v.ini.host, concat('host = "', v.ini.host, '"')),
  textWhen(v.ini.port, concat('port = ', str(v.ini.port)), 'has-port = true'),
  textWhen(v.ini.secure, '[tls]', 'on = true'),
])({});

const configMap = objectTemplate({
  file: 'config',
  body: () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta({ name: concat(r.name, '-config'), component: 'config', extra: {} }),
    data: {
      greeting: greeting({}),
      choice: choice({ on: eq(v.name, 'yes') }),
      ini,
      both: concat(ini, '# end\n'),
      long: concat(v.long, '-', v.long, '-', v.long, '-', v.long, '-', v.long, '-', v.long, '-', v.long, '-', v.long, '-', v.long, '-', v.long),
    },
    binaryData: when(v.items, { ids: list({}) }),
  }),
});

const perItem = objectTemplate<{ id: string; labels?: Record<string, string> }>({
  file: 'items',
  forEach: v.items,
  body: (item) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta({ name: item.id, component: 'item', extra: item.labels as never }),
    stringData: { choice: choice({ on: true }) },
  }),
});

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const cases: Array<{ name: string; user: JsonObject }> = [
  { name: 'defaults', user: {} },
  { name: 'everything set', user: {
    name: 'yes', labels: { component: 'user-loses', mine: 'x' }, long: 'y'.repeat(30),
    items: [{ id: 'a', labels: { release: 'user-loses', k: 'v' } }, { id: 'b', labels: {} }],
    ini: { host: 'h "q"', port: 1000000, secure: true },
  } },
  { name: 'ini without the optional keys', user: { ini: { host: '', port: 0, secure: true }, items: [{ id: 'only', labels: {} }] } },
];

describe('fragments: helm include renders what evaluate inlines', () => {
  test.each(cases)('$name', async (c) => {
    const release = { name: 'rel', namespace: 'ns' };
    const values = coalesceValues(defaults, c.user);
    const inputs = { values, release, chart: { name: 'sample', version: '0.1.0' } };
    const expected = byIdentity([configMap, perItem].flatMap((t) => evaluate(t, inputs)));
    const chart = writeTestChart(scratch, [configMap, perItem], defaults);
    const file = scratch.file('values.json', valuesFileText(c.user));
    for (const version of HELM_VERSIONS) {
      const result = await helmTemplate(scratch, version, chart, [release.name, '--namespace', release.namespace, '-f', file]);
      expect({ version, error: result.ok ? '' : result.stderr }).toEqual({ version, error: '' });
      expect({ version, objects: byIdentity(result.objects) }).toEqual({ version, objects: expected });
    }
  }, 60_000);

  test('the evaluated text fragment and labels are exact', () => {
    const values = coalesceValues(defaults, { name: 'yes', ini: { host: 'h', port: 3, secure: false } });
    const [object] = evaluate(configMap, { values, release: { name: 'rel', namespace: 'ns' }, chart: { name: 'c', version: '1.2.3' } });
    expect(object.data).toEqual({
      greeting: 'hello yes', choice: 'yes-yes', ini: '[main]\nhost = "h"\nport = 3\nhas-port = true\n',
      both: '[main]\nhost = "h"\nport = 3\nhas-port = true\n# end\n', long: '---------',
    });
    expect(object.metadata).toEqual({ name: 'rel-config', labels: { component: 'config', release: 'rel', service: 'Helm', chart: 'c-1.2.3' } });
  });

  test('each define is written once, the templates include it, and no line is longer than the limit', () => {
    const { HelmFragments } = jest.requireActual<typeof import('../../lib/template')>('../../lib/template');
    const fragments = new HelmFragments();
    const text = toHelm(configMap, fragments) + toHelm(perItem, fragments);
    const helpers = fragments.text();
    expect(helpers.match(/\{\{- define "sample\.labels" -\}\}/g)).toHaveLength(1);
    expect(helpers.match(/\{\{- define "/g)).toHaveLength(6);
    expect(text).toContain('{{- include "sample.metadata" (dict "root" $ "name" (print $.Release.Name "-config")');
    expect(text).not.toContain('define');
    expect(Math.max(...`${text}\n${helpers}`.split('\n').map((l) => l.length))).toBeLessThanOrEqual(MAX_TEMPLATE_LINE);
    // Without a shared registry the defines go to the end of the file itself.
    expect(toHelm(configMap)).toContain('{{- define "sample.metadata" -}}');
  });

  test('a fragment reads no loop variable of the place it is used (Helm could not either)', () => {
    const leaky = objectTemplate<{ id: string }>({
      file: 'leaky',
      forEach: v.items,
      body: (item) => ({ apiVersion: 'v1', kind: 'ConfigMap', data: fragment({ name: 'sample.leaky', description: 'x', params: [] }, () => ({ id: item.id }))({}) }),
    });
    expect(() => toHelm(leaky)).toThrow('a item ref is used outside the each() that defines it');
    expect(() => evaluate(leaky, { values: coalesceValues(defaults, { items: [{ id: 'a' }] }), release: { name: 'r', namespace: 'n' } }))
      .toThrow('a item ref is used outside the each() that defines it');
  });
});

describe('ifElse with a computed branch is never an operand (Helm ternary evaluates both branches)', () => {
  test('it does not type-check as an operand, and the Helm backend rejects it when forced', () => {
    // @ts-expect-error a Choice is not an Expr<string>
    const forced = concat('x', ifElse(v.name, concat('a', v.name), 'b'));
    const t = objectTemplate({ file: 'forced', body: () => ({ apiVersion: 'v1', kind: 'ConfigMap', data: { x: forced } }) });
    expect(() => toHelm(t)).toThrow(
      'forced.data.x: ifElse() with a computed branch cannot be an operand (Helm\'s ternary evaluates both branches); use it as a map value or list item, or pick() between literals',
    );
  });

  test('pick between literals is an operand; pick refuses computed branches', () => {
    const t = objectTemplate({ file: 'pick', body: () => ({ apiVersion: 'v1', kind: 'ConfigMap', data: { x: concat('mode=', pick(v.name, 'on', 'off')) } }) });
    expect(toHelm(t)).toContain('(ternary "on" "off" (not (not $.Values.name)))');
    expect(() => pick(v.name, concat('a', v.name) as never, 'b')).toThrow('pick: branches must be literal strings, numbers or booleans (got object); use ifElse for a value');
  });
});
