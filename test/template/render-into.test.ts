import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { coalesceValues, JsonObject, renderInto } from '../../lib/template';
import { sampleClasses, sampleConfigMap, sampleDefaults } from './sample';

const release = { name: 'rel', namespace: 'ns' };
const inputs = (user: JsonObject = {}) => ({ values: coalesceValues(sampleDefaults as unknown as JsonObject, user), release });

describe('renderInto (object templates as cdk8s ApiObjects)', () => {
  test('adds one ApiObject per rendered object, named after the template file, patchable like any cdk8s object', () => {
    const chart = new Chart(Testing.app(), 'test');
    const [cm] = renderInto(chart, sampleConfigMap, inputs());
    const classes = renderInto(chart, sampleClasses, inputs({ classes: [{ name: 'a', default: true }, { name: 'b', default: false }] }));
    expect(cm.node.id).toBe('sample-configmap');
    expect(classes.map((c) => c.node.id)).toEqual(['sample-classes-0', 'sample-classes-1']);
    cm.addJsonPatch(JsonPatch.add('/data/patched', 'yes'));
    const out = Testing.synth(chart);
    expect(out.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/rel-demo', 'StorageClass/a', 'StorageClass/b']);
    expect(out[0].data).toMatchObject({ replicas: '2', patched: 'yes' });
  });

  test('a disabled template adds nothing', () => {
    const chart = new Chart(new App(), 'test');
    expect(renderInto(chart, sampleConfigMap, inputs({ enabled: false }))).toEqual([]);
    expect(chart.node.children).toHaveLength(0);
  });

  test('objects keep list items that have a "value" field intact (cdk8s would reduce foreign-realm objects to it)', () => {
    const chart = new Chart(Testing.app(), 'test');
    renderInto(chart, sampleConfigMap, inputs({ env: { A: '1' }, free: { list: [{ key: 'k', value: 'v' }] } }));
    const [cm] = Testing.synth(chart);
    expect(cm.spec.env).toEqual([{ name: 'A', value: '1' }]);
    expect(cm.spec.free).toEqual({ list: [{ key: 'k', value: 'v' }] });
  });
});
