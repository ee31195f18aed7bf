import {
  concat, each, eachEntry, eq, ifElse, mergeMaps, objectTemplate, optional, releaseRef as r, str, valuesRef, when, yamlOf, replace, and, not,
} from '../../lib/template';

/** Values for the corner-case template: odd strings and numbers, empty collections, nested loops. */
export interface CornerValues {
  strings: Record<string, string>;
  numbers: Record<string, number>;
  flags: { on: boolean; off: boolean };
  free: { map: Record<string, unknown>; list: unknown[]; nested: Record<string, unknown> };
  groups: Array<{ name: string; members: Array<{ id: string; enabled: boolean }>; extra: Record<string, string> }>;
  annotations: Record<string, string>;
  text: string;
  count: number;
}

export const cornerDefaults: CornerValues = {
  strings: {
    quotes: 'say "hi" it\'s',
    colon: 'a: b',
    hash: 'x # not a comment',
    unicode: 'Grüße, 日本語, emoji 🚀',
    html: '<a href="x">&amp;</a>',
    braces: '{{ .Values.evil }}',
    newline: 'line1\nline2\ttab',
    spaces: '  padded  ',
    yes: 'yes',
    nul: 'null',
    num: '1.0',
    hex: '0x10',
    empty: '',
    backslash: 'C:\\dir\\',
  },
  numbers: { zero: 0, million: 1000000, big: 123456789012, neg: -5, frac: 0.25, small: 0.000001 },
  flags: { on: true, off: false },
  free: { map: {}, list: [], nested: { a: [1, 'two', { three: 3.5 }], b: { c: 'x', d: true } } },
  groups: [],
  annotations: {},
  text: 'plain',
  count: 0,
};

const v = valuesRef<CornerValues>();

export const cornerTemplate = objectTemplate({
  file: 'corner',
  body: () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: concat(r.name, '-corner'),
      namespace: r.namespace,
      annotations: optional(mergeMaps(v.annotations, { fixed: 'literal {{ braces }}', odd: when(v.flags.off, 'x') })),
      labels: mergeMaps({ a: '1', b: when(v.flags.on, '2') }, v.annotations, { c: '3' }),
    },
    data: {
      strings: yamlOf(v.strings),
      joined: concat(v.strings.quotes, '|', v.strings.unicode, '|', v.strings.html, '|', v.strings.braces),
      numbersAsText: concat(str(v.numbers.million), ' ', str(v.numbers.zero), ' ', str(v.numbers.frac), ' ', str(v.flags.on)),
      escaped: replace(replace(v.strings.quotes, '\\', '\\\\'), '"', '\\"'),
      'key with spaces': 'v',
      'yes': 'quoted key',
      '{{ literal }}': 'key with braces',
      'on-off': ifElse(v.flags.on, 'on', 'off'),
      text: ifElse(eq(v.text, 'plain'), v.text, concat('custom:', v.text)),
      counted: ifElse(eq(v.count, 0), 'zero', 'nonzero'),
    },
    numbers: v.numbers,
    literalNumbers: [0, 1000000, -1, 0.5, true, false, ''],
    free: yamlOf(v.free),
    emptyMap: {},
    emptyList: [],
    maybeEmptyMap: { x: when(v.flags.off, 1) },
    maybeEmptyList: [when(v.flags.off, 1)],
    // Runs of items under the same condition (the Helm backend writes one `if` per run).
    runsOfItems: ['a', when(v.flags.on, 'b'), when(v.flags.on, v.text), when(v.flags.off, 'd'), when(v.flags.off, 'e'), 'f', when(v.flags.on, 'g')],
    maybeEmptyRun: [when(v.flags.off, 1), when(v.flags.off, 2)],
    whenTrueNested: when(v.flags.on, { inner: [when(not(v.flags.off), { deep: v.text })] }),
    groups: each(v.groups, (g) => ({
      name: g.name,
      members: [each(g.members, (m) => when(m.enabled, concat(g.name, '/', m.id)))],
      extra: [eachEntry(g.extra, (k, val) => ({ k, val, both: concat(k, '=', val) }))],
      labels: mergeMaps(g.extra, { group: g.name }),
      first: when(and(g.members, v.flags.on), 'has members'),
    })),
  }),
});
