import { coalesceValues, evaluate, evaluateNode, JsonObject, truthy, valuesRef, when } from '../../lib/template';
import { sampleClasses, sampleConfigMap, sampleDefaults } from './sample';

const release = { name: 'rel', namespace: 'ns' };
const defaults = sampleDefaults as unknown as JsonObject;
const inputs = (user: JsonObject = {}) => ({ values: coalesceValues(defaults, user), release });

describe('evaluate (the constructs backend)', () => {
  test('renders the default sample with Go semantics', () => {
    expect(evaluate(sampleConfigMap, inputs())).toEqual([{
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'rel-demo', namespace: 'ns', labels: { 'app.kubernetes.io/name': 'sample', 'app.kubernetes.io/instance': 'rel' } },
      data: { replicas: '2', mode: 'FAST', notOn: 'no', either: 'either', fallback: 'none' },
      spec: { replicas: 2, args: ['--a'], items: [], env: [], free: {} },
    }]);
  });

  test('conditional entries, nested each and map iteration in Go key order', () => {
    const [cm] = evaluate(sampleConfigMap, inputs({
      mode: 'slow', replicas: 3,
      extra: { enabled: true, args: ['p', 'q'], note: 'hi' },
      items: [{ name: 'i1', size: 1000000, tags: ['t1', 't2'] }],
      env: { b: '2', a: '1', Z: '0' },
      labels: { team: 'x', 'app.kubernetes.io/name': 'overridden' },
    }));
    expect(cm.data).toEqual({ replicas: '3', mode: 'slow:slow', note: 'hi', extraOn: 'yes', both: 'both', either: 'either', fallback: 'hi' });
    expect(cm.spec).toMatchObject({
      args: ['--a', '--extra', '--x=p', '--x=q'],
      items: [{ name: 'i1', size: 1000000, tags: ['i1:t1', 'i1:t2'] }],
      env: [{ name: 'Z', value: '0' }, { name: 'a', value: '1' }, { name: 'b', value: '2' }],
    });
    expect((cm.metadata as JsonObject).labels).toEqual({ team: 'x', 'app.kubernetes.io/name': 'sample', 'app.kubernetes.io/instance': 'rel' });
  });

  test('an object template renders nothing when disabled and one object per forEach element', () => {
    expect(evaluate(sampleConfigMap, inputs({ enabled: false }))).toEqual([]);
    const classes = evaluate(sampleClasses, inputs({ classes: [{ name: 'a', default: true }, { name: 'b', default: false }] }));
    expect(classes.map((c) => (c.metadata as JsonObject).annotations)).toEqual([{ default: 'true' }, { default: 'false' }]);
  });

  test('Go truthiness: false, 0, "", empty map and list are falsy', () => {
    for (const falsy of [false, 0, '', {}, [], null]) expect(truthy(falsy)).toBe(false);
    for (const t of [true, 1, -1, 'false', '0', { a: 1 }, [0]]) expect(truthy(t)).toBe(true);
  });

  test('walking through a missing map fails like Helm, naming the path', () => {
    const v = valuesRef<{ a: { b: string } }>();
    expect(() => evaluateNode({ x: v.a.b }, { values: {}, release })).toThrow(/x: nil pointer evaluating \.Values\.a\.b/);
    expect(() => evaluateNode([when(true, v.a.b)], { values: { a: 'str' }, release })).toThrow(/can't evaluate field b/);
  });

  test('coalescing: maps deep-merge, lists replace, null deletes a default', () => {
    expect(coalesceValues({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, d: null })).toEqual({ a: { b: 1, c: [3] } });
  });
});
