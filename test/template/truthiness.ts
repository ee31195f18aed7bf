import {
  and, concat, defaultTo, each, eq, ifElse, ne, not, objectTemplate, optional, or, pick, str, valuesRef, when,
} from '../../lib/template';

/** Values probing Go template truthiness and the value-returning operators. */
export interface TruthValues {
  probe: Record<string, unknown>;
  n: number;
  s: string;
  b: boolean;
  list: string[];
}

export const truthDefaults: TruthValues = {
  probe: { f: false, t: true, zero: 0, one: 1, neg: -1, frac: 0.5, empty: '', zeroStr: '0', falseStr: 'false', space: ' ', emptyMap: {}, map: { a: 1 }, emptyList: [], list: [0] },
  n: 0,
  s: '',
  b: false,
  list: [],
};

const v = valuesRef<TruthValues>();
const PROBES = Object.keys(truthDefaults.probe);
const probe = (k: string) => (v.probe as unknown as Record<string, ReturnType<typeof valuesRef<unknown>>>)[k];

export const truthTemplate = objectTemplate({
  file: 'truth',
  body: () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'truth' },
    whenTruthy: Object.fromEntries(PROBES.map((k) => [k, when(probe(k), 'yes')])),
    notValue: Object.fromEntries(PROBES.map((k) => [k, not(probe(k))])),
    optional: Object.fromEntries(PROBES.map((k) => [k, optional(probe(k))])),
    defaulted: Object.fromEntries(PROBES.map((k) => [k, defaultTo(probe(k), 'fallback')])),
    ifElse: Object.fromEntries(PROBES.map((k) => [k, ifElse(probe(k), 'then', 'else')])),
    andValue: and(v.n, v.s),
    orValue: or(v.s, v.n, v.list),
    orFallback: or(v.s, 'fallback'),
    andLast: and(true, v.list),
    numericEq: eq(v.n, 0),
    numericNe: ne(v.n, 3),
    stringEq: eq(v.s, ''),
    boolEq: eq(v.b, false),
    ternaryInConcat: concat('mode=', pick(v.b, 'on', 'off'), ',n=', str(v.n), ',b=', str(v.b)),
    list: [when(v.b, 'b'), when(not(v.b), 'not b'), each(v.list, (x) => when(ne(x, 'skip'), x)), when(and(v.list, v.n), 'both')],
  }),
});
