import {
  and, concat, defaultTo, each, eachEntry, eq, ifElse, mergeMaps, ne, not, objectTemplate, optional, or,
  releaseRef as r, str, valuesRef, when, yamlOf,
} from '../../lib/template';

/** A small values shape exercising every builder; stands in for CinderCsiValues in engine tests. */
export interface SampleValues {
  enabled: boolean;
  replicas: number;
  name: string;
  mode: string;
  labels: Record<string, string>;
  extra: { enabled: boolean; args: string[]; note: string };
  items: Array<{ name: string; size: number; tags: string[] }>;
  env: Record<string, string>;
  free: Record<string, unknown>;
  classes: Array<{ name: string; default: boolean }>;
}

export const sampleDefaults: SampleValues = {
  enabled: true,
  replicas: 2,
  name: 'demo',
  mode: 'fast',
  labels: {},
  extra: { enabled: false, args: [], note: '' },
  items: [],
  env: {},
  free: {},
  classes: [{ name: 'standard', default: true }],
};

const v = valuesRef<SampleValues>();

export const sampleConfigMap = objectTemplate({
  file: 'sample-configmap',
  enabledWhen: v.enabled,
  body: () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: concat(r.name, '-', v.name),
      namespace: r.namespace,
      labels: mergeMaps(v.labels, { 'app.kubernetes.io/name': 'sample', 'app.kubernetes.io/instance': r.name }),
    },
    data: {
      replicas: str(v.replicas),
      mode: ifElse(eq(v.mode, 'fast'), 'FAST', concat('slow:', v.mode)),
      note: optional(v.extra.note),
      extraOn: when(v.extra.enabled, 'yes'),
      notOn: when(not(v.extra.enabled), 'no'),
      both: when(and(v.extra.enabled, v.replicas), 'both'),
      either: when(or(v.extra.enabled, ne(v.replicas, 3)), 'either'),
      fallback: defaultTo(v.extra.note, 'none'),
    },
    spec: {
      replicas: v.replicas,
      args: ['--a', when(v.extra.enabled, '--extra'), each(v.extra.args, (a) => concat('--x=', a))],
      items: each(v.items, (it) => ({ name: it.name, size: it.size, tags: [each(it.tags, (t) => concat(it.name, ':', t))] })),
      env: [eachEntry(v.env, (k, val) => ({ name: k, value: val }))],
      free: yamlOf(v.free),
    },
  }),
});

export const sampleClasses = objectTemplate({
  file: 'sample-classes',
  forEach: v.classes,
  body: (c) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: c.name, annotations: { default: str(c.default) } },
    provisioner: 'cinder.csi.openstack.org',
  }),
});
