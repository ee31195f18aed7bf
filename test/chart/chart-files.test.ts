import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, isScalar, parse, parseDocument, Pair, Scalar, YAMLMap } from 'yaml';
import { chartFiles } from '../../lib/chart/chart-files';
import { defaultsFromSchema } from '../../lib/chart/defaults';
import { generateValuesSchema, SchemaNode } from '../../lib/chart/schema';
import { valuesKeys } from '../../lib/chart/schema-walk';
import { evaluate, MAX_TEMPLATE_LINE, objectTemplate } from '../../lib/template';
import { templateInputs } from '../../lib/resolve-values';
import { objectTemplates as allObjectTemplates } from '../../lib/templates';
import { CHART, ROOT, SCHEMA } from './chart-harness';

const read = (f: string): string => readFileSync(join(CHART, f), 'utf8');
const DEFAULTS = JSON.parse(readFileSync(resolve(ROOT, 'lib/generated/values.defaults.json'), 'utf8'));

describe('the generated chart files', () => {
  test('values.yaml holds exactly the defaults (read as YAML 1.1, like Helm)', () => {
    expect(parse(read('values.yaml'), { version: '1.1' })).toEqual(DEFAULTS);
  });

  test('every key in values.yaml has its doc comment above it', () => {
    const undocumented: string[] = [];
    const walk = (map: YAMLMap, prefix: string): void => {
      map.items.forEach((item, i) => {
        const pair = item as Pair;
        const key = `${prefix}${String((pair.key as Scalar).value)}`;
        // The parser hangs the comment above a map's first key on the map itself.
        const comment = (isScalar(pair.key) ? (pair.key as Scalar).commentBefore : undefined) ?? (i === 0 ? map.commentBefore : undefined);
        if (!comment?.trim()) undocumented.push(key);
        if (isMap(pair.value) && valuesKeys(SCHEMA).some((k) => k.path === key && k.isGroup)) walk(pair.value, `${key}.`);
      });
    };
    walk(parseDocument(read('values.yaml')).contents as YAMLMap, '');
    expect(undocumented).toEqual([]);
  });

  test('the README values table has a row for every leaf key, with its default', () => {
    const readme = read('README.md');
    const leaves = valuesKeys(SCHEMA).filter((k) => !k.isGroup);
    expect(leaves.length).toBeGreaterThan(50);
    expect(leaves.filter((k) => !readme.includes(`| \`${k.path}\` |`))).toEqual([]);
    expect(readme).toContain('| `controller.replicas` | integer (>= 0) | `2` |');
  });

  test('Chart.yaml: apiVersion v2, versions from the two package.json files, Kubernetes >= 1.25', () => {
    const chart = parse(read('Chart.yaml'));
    const rootVersion = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).version;
    const driverVersion = JSON.parse(readFileSync(resolve(ROOT, 'driver/package.json'), 'utf8')).version;
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'cinder-csi', version: rootVersion, appVersion: driverVersion, kubeVersion: '>=1.25.0-0' });
    expect(typeof chart.description).toBe('string');
    expect(chart.sources.length).toBeGreaterThan(0);
  });

  test('values.schema.json is the schema the constructs validate with', () => {
    expect(JSON.parse(read('values.schema.json'))).toEqual(SCHEMA);
  });
});

describe('the templates read like a chart a Helm user can fork', () => {
  const templates = readdirSync(join(CHART, 'templates')).map((name) => ({ name, text: read(`templates/${name}`) }));
  const objectTemplates = templates.filter((t) => t.name.endsWith('.yaml') && t.name !== 'validate.yaml');

  test(`no line is longer than ${MAX_TEMPLATE_LINE} characters`, () => {
    const long = templates.flatMap((t) => t.text.split('\n').map((line, i) => ({ at: `${t.name}:${i + 1}`, length: line.length })))
      .filter((line) => line.length > MAX_TEMPLATE_LINE);
    expect(long).toEqual([]);
  });

  test('every object template takes its labels from _helpers.tpl instead of writing them', () => {
    expect(objectTemplates.length).toBeGreaterThan(10);
    expect(objectTemplates.filter((t) => !/include "cinder-csi\.(metadata|clusterMetadata|labels)"/.test(t.text)).map((t) => t.name)).toEqual([]);
    expect(objectTemplates.filter((t) => /app\.kubernetes\.io\/|helm\.sh\/chart/.test(t.text)).map((t) => t.name)).toEqual([]);
  });

  test('the templates of the default object set and _helpers.tpl total at most 900 lines (issue 10)', () => {
    // The default object set: the object templates that render at least one object with the chart's default values.
    // Templates whose objects are all off by default are left out (the cloud.conf Secrets, snapshot classes and the
    // snapshotter's RBAC, OpenShift's SCC binding, the metrics Services and ServiceMonitor, the `helm test` Pods, ...),
    // as are validate.yaml (values rules, no object) and NOTES.txt.
    const inputs = templateInputs({});
    const files = new Set(allObjectTemplates.filter((t) => evaluate(t, inputs).length > 0).map((t) => `${t.chartFile ?? t.file}.yaml`));
    expect(files).toContain('controller-deployment.yaml');
    expect(files).toContain('node-daemonset.yaml');
    const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const counted = templates.filter((t) => files.has(t.name) || t.name === '_helpers.tpl');
    expect(counted).toHaveLength(files.size + 1);
    expect(counted.reduce((sum, t) => sum + lineCount(t.text), 0)).toBeLessThanOrEqual(900);
  });

  test('the standard labels are written once, in _helpers.tpl, with Helm\'s managed-by and helm.sh/chart', () => {
    const helpers = read('templates/_helpers.tpl');
    expect(helpers.split('app.kubernetes.io/managed-by: {{ toJson $.root.Release.Service }}')).toHaveLength(2);
    expect(helpers.split('helm.sh/chart: ')).toHaveLength(2);
  });
});

describe('the chart writer refuses what would make a broken chart', () => {
  const input = { schema: SCHEMA, defaults: DEFAULTS, version: '1.0.0', appVersion: '1.0.0' };
  const t = objectTemplate({ file: 'same', body: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }) });

  test('two object templates with the same file name', () => {
    expect(() => chartFiles({ ...input, templates: [t, t] })).toThrow('two object templates use the file name "same"');
  });

  test('object templates written into one file that are not next to each other', () => {
    const role = objectTemplate({ file: 'role', chartFile: 'rbac', body: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' } }) });
    const binding = objectTemplate({ file: 'binding', chartFile: 'rbac', body: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }) });
    expect(() => chartFiles({ ...input, templates: [role, t, binding] })).toThrow('templates/rbac.yaml must be next to each other');
    const file = chartFiles({ ...input, templates: [role, binding, t] }).get('templates/rbac.yaml');
    expect(file?.split('\n---\n')).toHaveLength(3);
    expect(file).toContain('name: r');
    expect(file).toContain('name: b');
  });

  test('an object template file name that is not a plain lower-case name', () => {
    expect(() => objectTemplate({ file: 'Bad Name', body: () => ({}) })).toThrow(/file "Bad Name" must match/);
  });
});

describe('the values schema generator enforces the design rules', () => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.tmp', 'schema-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const generate = (source: string): SchemaNode => {
    const path = join(dir, `v${Math.random().toString(36).slice(2)}.ts`);
    writeFileSync(path, source);
    return generateValuesSchema({ path, tsconfig: resolve(ROOT, 'tsconfig.json'), type: 'V' });
  };

  test('doc comments, @default and constraints become the schema; defaults are read from it', () => {
    const schema = generate([
      '/** Group. */',
      'export interface G {',
      '  /** A name. @default "x" @pattern ^[a-z]+$ */',
      '  name: string;',
      '}',
      'export interface V {',
      '  /** Replica count. @default 2 @minimum 1 @asType integer */',
      '  replicas: number;',
      '  /** Group. */',
      '  group: G;',
      '}',
    ].join('\n'));
    expect(schema.properties).toMatchObject({
      replicas: { type: 'integer', minimum: 1, default: 2, description: 'Replica count.' },
      group: { additionalProperties: false, properties: { name: { type: 'string', pattern: '^[a-z]+$', default: 'x' } } },
    });
    expect(defaultsFromSchema(schema)).toEqual({ replicas: 2, group: { name: 'x' } });
  });

  test('a key without a doc comment is rejected, naming it', () => {
    expect(() => generate('export interface V {\n  /** Doc. @default 1 */\n  a: number;\n  b: string;\n}\n')).toThrow('values schema: b has no doc comment');
  });

  test('a nullable key is rejected, naming it', () => {
    expect(() => generate('export interface V {\n  /** Doc. @default 1 */\n  a: number | null;\n}\n')).toThrow('values schema: a allows null');
  });

  test('a key without a default is rejected when defaults are read', () => {
    expect(() => defaultsFromSchema(generate('export interface V {\n  /** Doc. */\n  a: string;\n}\n'))).toThrow('values schema: a has no @default');
  });
});
