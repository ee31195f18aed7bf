import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonObject } from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch } from '../template/helm-harness';
import { CHART, renderConstructs } from './chart-harness';

/*
 * The chart as a dependency of a parent chart, rendered by real Helm: the parent passes its `global` map (with keys
 * this chart does not know) and `cinder-csi.enabled` (its condition, or a plain value); the closed schema must accept
 * both, still check our own `global` keys, and render exactly what the constructs synthesize from the same values.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const RELEASE = { name: 'platform', namespace: 'storage' };

/** A parent chart in the scratch dir with charts/cinder-csi copied in; `condition` lists it with that condition. */
function parentChart(values: JsonObject, condition: boolean): string {
  const dir = join(scratch.dir, `parent-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(dir, 'charts'), { recursive: true });
  cpSync(CHART, join(dir, 'charts', 'cinder-csi'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), [
    'apiVersion: v2', 'name: platform', 'version: 1.0.0', 'dependencies:',
    '  - name: cinder-csi', '    version: 0.1.0', `    repository: file://./charts/cinder-csi${condition ? '\n    condition: cinder-csi.enabled' : ''}`, '',
  ].join('\n'));
  writeFileSync(join(dir, 'values.yaml'), `${JSON.stringify(values)}\n`);
  return dir;
}

const args = ['platform', '--namespace', RELEASE.namespace];

describe.each(HELM_VERSIONS)('helm %s, the chart as a subchart', (version) => {
  test('a parent global with unknown keys is accepted, ours apply, and the objects equal the constructs\'', async () => {
    const global = { foo: 'bar', nested: { any: [1, 2] }, imageRegistry: 'mirror.example' };
    const r = await helmTemplate(scratch, version, parentChart({ global, 'cinder-csi': { enabled: true, controller: { replicas: 1 } } }, true), args);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.ok).toBe(true);
    const constructs = renderConstructs({ global, enabled: true, controller: { replicas: 1 } } as unknown as JsonObject, RELEASE);
    expect(byIdentity(r.objects)).toEqual(byIdentity(constructs));
    const deployment = r.objects.find((o) => o.kind === 'Deployment') as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    expect(deployment.spec.template.spec.containers.every((c) => c.image.startsWith('mirror.example/'))).toBe(true);
  }, 60_000);

  test('our own global keys are still checked', async () => {
    const r = await helmTemplate(scratch, version, parentChart({ global: { foo: 'bar', imageRegistry: 'a b' } }, true), args);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/imageRegistry/);
  }, 60_000);

  test.each([true, false])('cinder-csi.enabled: false renders nothing (listed with a condition: %s)', async (condition) => {
    const r = await helmTemplate(scratch, version, parentChart({ global: { foo: 'bar' }, 'cinder-csi': { enabled: false } }, condition), args);
    expect(r.ok).toBe(true);
    expect(r.objects).toEqual([]);
    expect(renderConstructs({ enabled: false, global: { foo: 'bar' } } as unknown as JsonObject, RELEASE)).toEqual([]);
  }, 60_000);
});
