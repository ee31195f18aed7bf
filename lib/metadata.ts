import { DRIVER_VERSION } from './driver-contract';
import { concat, defaultTo, Expr, mergeMaps, optional, Ref, releaseRef as r, TemplateNode, valuesRef } from './template';
import { CinderCsiValues } from './values';

/*
 * Names and labels shared by every object template.
 * Naming: namespaced objects are `<release>-<component>`; cluster-scoped objects carry the namespace too
 * (`<release>-<namespace>-<role>`), so the same release name in two namespaces never collides. (Since
 * both parts may contain `-`, release `a-b` in namespace `c` and release `a` in namespace `b-c` would share
 * cluster-scoped names; the format is kept for readability and that pairing is the one to avoid.) Release names
 * are at most 53 characters (Helm's limit, also checked by the constructs) and namespaces at most 63,
 * so every generated name stays well below the 253-character limit of these kinds: no truncation is
 * needed and none can make two names equal. CSIDriver, StorageClass and VolumeSnapshotClass names are
 * chosen by the user (`driverName`, `storageClasses[].name`, `snapshots.classes[].name`).
 */

const v = valuesRef<CinderCsiValues>();

export const APP_NAME = 'cinder-csi';

/** The `app.kubernetes.io/component` of each group of objects. */
export type Component = 'controller' | 'node' | 'cloud-config' | 'rbac' | 'csi-driver' | 'storage-class' | 'snapshot-class' | 'volume-attributes-class';

/** Name of a namespaced object: `<release>-<suffix>`. */
export function namespacedName(suffix: string): Expr<string> {
  return concat(r.name, `-${suffix}`);
}

/** Name of a cluster-scoped object owned by one install: `<release>-<namespace>-<suffix>`. */
export function clusterName(suffix: string): Expr<string> {
  return concat(r.name, '-', r.namespace, `-${suffix}`);
}

/** Labels that select a component's pods; they never change across upgrades (Deployment selectors are immutable). */
export function selectorLabels(component: Component): Record<string, TemplateNode> {
  return {
    'app.kubernetes.io/name': APP_NAME,
    'app.kubernetes.io/instance': r.name,
    'app.kubernetes.io/component': component,
  };
}

/** The standard app.kubernetes.io labels of every object. */
export function standardLabels(component: Component): Record<string, TemplateNode> {
  return {
    ...selectorLabels(component),
    'app.kubernetes.io/version': DRIVER_VERSION,
    'app.kubernetes.io/part-of': APP_NAME,
    'app.kubernetes.io/managed-by': APP_NAME,
  };
}

type MapRef = Expr<Record<string, string>>;

/** An optional map of a list item (absent when the user omits it) as a map: `{}` when absent. */
export function orEmpty(map: Expr<Record<string, string> | undefined>): Expr<Record<string, string>> {
  return defaultTo(map as Expr<Record<string, string>>, {});
}

/**
 * Labels: global labels, then the component's extra labels, then the standard labels, which win
 * (a user label cannot break selectors or the app.kubernetes.io identity).
 */
export function labels(component: Component, ...extra: MapRef[]): Expr<Record<string, unknown>> {
  return mergeMaps(v.global.labels, ...extra, standardLabels(component));
}

/** Annotations: global annotations, then the component's (later wins); absent when empty. */
export function annotations(...extra: Array<MapRef | Record<string, TemplateNode>>): TemplateNode {
  return optional(mergeMaps(v.global.annotations, ...extra));
}

/** Standard metadata of a namespaced object. */
export function namespacedMetadata(
  name: Expr<string>, component: Component, extraLabels: MapRef[] = [], extraAnnotations: MapRef[] = [],
): Record<string, TemplateNode> {
  return {
    name,
    namespace: r.namespace,
    labels: labels(component, ...extraLabels),
    annotations: annotations(...extraAnnotations),
  };
}

/** Standard metadata of a cluster-scoped object. */
export function clusterMetadata(
  name: Expr<string> | Ref<string>, component: Component, extraLabels: MapRef[] = [],
  extraAnnotations: Array<MapRef | Record<string, TemplateNode>> = [],
): Record<string, TemplateNode> {
  return {
    name,
    labels: labels(component, ...extraLabels),
    annotations: annotations(...extraAnnotations),
  };
}
