import { DRIVER_VERSION } from './driver-contract';
import {
  chartRef, concat, defaultTo, Expr, fragment, Included, mergeMaps, optional, Ref, releaseRef as r, replace, TemplateNode, valuesRef, when,
} from './template';
import { CinderCsiValues } from './values';

/*
 * Names and labels shared by every object template.
 * Naming: namespaced objects are `<release>-<component>`; cluster-scoped objects carry the namespace too
 * (`<release>-<namespace>-<role>`); `fullnameOverride`, when set, replaces `<release>`, so the same release name in two namespaces never collides. (Since
 * both parts may contain `-`, release `a-b` in namespace `c` and release `a` in namespace `b-c` would share
 * cluster-scoped names; the format is kept for readability and that pairing is the one to avoid.) Release names
 * are at most 53 characters (Helm's limit, also checked by the constructs) and namespaces at most 63,
 * so every generated name stays well below the 253-character limit of these kinds: no truncation is
 * needed and none can make two names equal. CSIDriver, StorageClass and VolumeSnapshotClass names are
 * chosen by the user (`driverName`, `storageClasses[].name`, `snapshots.classes[].name`).
 */

const v = valuesRef<CinderCsiValues>();

export const APP_NAME = 'cinder-csi';
/** The chart's name and version (`.Chart.Name`, `.Chart.Version`); the version is the package's (checked by npm run synth). */
export const CHART_NAME = 'cinder-csi';
export const CHART_VERSION = '0.1.0';

/** The `app.kubernetes.io/component` of each group of objects. */
export type Component =
  | 'controller' | 'node' | 'cloud-config' | 'rbac' | 'csi-driver' | 'storage-class' | 'snapshot-class' | 'volume-attributes-class'
  | 'metrics' | 'test';

/** Prefix of every object name the chart chooses: `fullnameOverride`, else the release name. */
export const namePrefix: Expr<string> = defaultTo(v.fullnameOverride, r.name);

/** Name of a namespaced object: `<prefix>-<suffix>` (prefix: `fullnameOverride` or the release name). */
export function namespacedName(suffix: string): Expr<string> {
  return concat(namePrefix, `-${suffix}`);
}

/** Name of a cluster-scoped object owned by one install: `<prefix>-<namespace>-<suffix>`. */
export function clusterName(suffix: string): Expr<string> {
  return concat(namePrefix, '-', r.namespace, `-${suffix}`);
}

/** The `app.kubernetes.io/name` label: `nameOverride`, else `cinder-csi`. */
export const appName: Expr<string> = defaultTo(v.nameOverride, APP_NAME);

/** Labels that select a component's pods; they never change across upgrades (Deployment selectors are immutable). */
function selectorLabelsOf(component: Expr<string> | string): Record<string, TemplateNode> {
  return {
    'app.kubernetes.io/name': appName,
    'app.kubernetes.io/instance': r.name,
    'app.kubernetes.io/component': component,
  };
}

/** `<chart name>-<chart version>` with `+` written `_` (a label value allows no `+`), Helm's convention. */
export const helmChartLabel = concat(chartRef.name, '-', replace(chartRef.version, '+', '_'));

/** The standard labels of every object: the selector labels, the version, and Helm's `managed-by`/`helm.sh/chart`. */
function standardLabelsOf(component: Expr<string> | string): Record<string, TemplateNode> {
  return {
    ...selectorLabelsOf(component),
    'app.kubernetes.io/version': DRIVER_VERSION,
    'app.kubernetes.io/part-of': APP_NAME,
    'app.kubernetes.io/managed-by': r.service,
    'helm.sh/chart': helmChartLabel,
  };
}

type MapRef = Expr<Record<string, string>>;

const selectorLabelsFragment = fragment<{ component: string }>({
  name: 'cinder-csi.selectorLabels',
  description: 'Labels that select the pods of a component; never changed by an upgrade (selectors are immutable).',
  params: ['component'],
}, (p) => selectorLabelsOf(p.component));

/** Labels that select a component's pods (written once, as the `cinder-csi.selectorLabels` fragment). */
export function selectorLabels(component: Component): Included {
  return selectorLabelsFragment({ component });
}

const labelsFragment = fragment<{ component: string; labels?: Record<string, string> }>({
  name: 'cinder-csi.labels',
  description: 'Labels of an object: global.labels, then the component\'s own labels, then the standard labels, which win.',
  params: ['component', 'labels'],
  defaults: { labels: {} },
}, (p) => mergeMaps(v.global.labels, p.labels, standardLabelsOf(p.component)));

/** An optional map of a list item (absent when the user omits it) as a map: `{}` when absent. */
export function orEmpty(map: Expr<Record<string, string> | undefined>): Expr<Record<string, string>> {
  return defaultTo(map as Expr<Record<string, string>>, {});
}

/**
 * Labels: global labels, then the component's extra labels, then the standard labels, which win
 * (a user label cannot break selectors or the app.kubernetes.io identity).
 */
export function labels(component: Component, extra?: MapRef): Included {
  return labelsFragment({ component, labels: extra });
}

const annotationsFragment = fragment<{ annotations?: Record<string, string> }>({
  name: 'cinder-csi.annotations',
  description: 'Annotations of an object: global.annotations, then the component\'s own (later wins).',
  params: ['annotations'],
  defaults: { annotations: {} },
}, (p) => mergeMaps(v.global.annotations, p.annotations));

/** Annotations: global annotations, then the component's (later wins); absent when empty. */
export function annotations(extra?: MapRef): TemplateNode {
  return when(mergeMaps(v.global.annotations, extra ?? {}), annotationsFragment({ annotations: extra }));
}

/** Annotations with extra entries after the component's (e.g. a class's is-default annotation); absent when empty. */
export function annotationsWith(extra: MapRef, entries: Record<string, TemplateNode>): TemplateNode {
  return optional(mergeMaps(v.global.annotations, extra, entries));
}

interface MetadataParams { name: string; component: string; labels?: Record<string, string>; annotations?: Record<string, string> }

const namespacedMetadataFragment = fragment<MetadataParams>({
  name: 'cinder-csi.metadata',
  description: 'Metadata of a namespaced object: name, the release namespace, labels and annotations.',
  params: ['name', 'component', 'labels', 'annotations'],
  defaults: { labels: {}, annotations: {} },
}, (p) => ({
  name: p.name,
  namespace: r.namespace,
  labels: labelsFragment({ component: p.component, labels: p.labels }),
  annotations: when(mergeMaps(v.global.annotations, p.annotations), annotationsFragment({ annotations: p.annotations })),
}));

const clusterMetadataFragment = fragment<MetadataParams>({
  name: 'cinder-csi.clusterMetadata',
  description: 'Metadata of a cluster-scoped object: name, labels and annotations.',
  params: ['name', 'component', 'labels', 'annotations'],
  defaults: { labels: {}, annotations: {} },
}, (p) => ({
  name: p.name,
  labels: labelsFragment({ component: p.component, labels: p.labels }),
  annotations: when(mergeMaps(v.global.annotations, p.annotations), annotationsFragment({ annotations: p.annotations })),
}));

/** Standard metadata of a namespaced object. */
export function namespacedMetadata(name: Expr<string>, component: Component, extraLabels?: MapRef, extraAnnotations?: MapRef): Included {
  return namespacedMetadataFragment({ name, component, labels: extraLabels, annotations: extraAnnotations });
}

/** Standard metadata of a cluster-scoped object. */
export function clusterMetadata(name: Expr<string> | Ref<string>, component: Component, extraLabels?: MapRef, extraAnnotations?: MapRef): Included {
  return clusterMetadataFragment({ name, component, labels: extraLabels, annotations: extraAnnotations });
}
