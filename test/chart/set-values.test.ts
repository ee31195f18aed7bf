import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSet } from '../../lib/render/set-values';
import { parseValuesFile } from '../../lib/render/render';
import { JsonObject, mergeValueFiles } from '../../lib/template';
import { HELM_VERSIONS, helmTemplate, Scratch } from '../template/helm-harness';

/*
 * cinder-csi-render reads values like Helm: --set (strvals) and YAML 1.1 files. The reference is Helm
 * itself: a chart whose only template prints `.Values` as JSON.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const chart = join(scratch.dir, 'dump');
beforeAll(() => {
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: dump\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'templates', 'dump.yaml'), 'values: {{ toJson .Values }}\n');
});

async function helmValues(version: (typeof HELM_VERSIONS)[number], args: string[]): Promise<JsonObject> {
  const r = await helmTemplate(scratch, version, chart, ['x', ...args]);
  if (!r.ok) throw new Error(r.stderr);
  return r.objects[0].values as JsonObject;
}

const SETS = [
  'a=1,b=true,c=FALSE,d=null,e=1.5,f=007,g=-3,h=text',
  'list={x,2,true},nested.deep.key=v',
  'items[0].name=a,items[1].name=b,items[1].size=10',
  'escaped=a\\,b,dotted\\.key=1,eq=x=y',
  'big=9007199254740991,str=1e3,empty=',
];

describe.each(HELM_VERSIONS)('values as Helm %s reads them', (version) => {
  test.each(SETS)('--set %s', async (expr) => {
    expect(parseSet(expr)).toEqual(await helmValues(version, ['--set', expr]));
  });

  test('several --set in order: later ones win, maps merge', async () => {
    const sets = ['a.b=1,a.c=2', 'a.b=3,l={1}', 'l={x,y}'];
    expect(mergeValueFiles(...sets.map((s) => parseSet(s)))).toEqual(await helmValues(version, sets.flatMap((s) => ['--set', s])));
  });

  test.each(SETS)('--set-string %s', async (expr) => {
    expect(parseSet(expr, {}, true)).toEqual(await helmValues(version, ['--set-string', expr]));
  });

  test('--set-string applies after --set, whatever their order on the command line', async () => {
    const layers = [parseSet('a=1,b=true'), parseSet('a=007', {}, true)];
    expect(mergeValueFiles(...layers)).toEqual(await helmValues(version, ['--set-string', 'a=007', '--set', 'a=1,b=true']));
  });

  test('a YAML values file reads like Helm reads it (YAML 1.1 booleans, quoted strings, numbers)', async () => {
    const yaml = 'a: yes\nb: "yes"\nc: on\nd: 1.0\ne: 0x10\nf: ~\ng: [1, "2"]\nh: {i: 1e3}\nj: 010\n';
    const file = scratch.file('v.yaml', yaml);
    expect(parseValuesFile('v.yaml', yaml)).toEqual(await helmValues(version, ['-f', file]));
  });
});
