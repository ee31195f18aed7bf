/**
 * cinder-csi: OpenStack Cinder CSI for Kubernetes as cdk8s constructs.
 *
 * For users: `new CinderCsi(chart, 'cinder', { namespace: 'kube-system', cloudConfig: { ... } })`; props are
 * the chart's values (same keys as values.yaml) plus `releaseName` and `namespace`. Parts are plain cdk8s
 * ApiObjects: `csi.controller.deployment`, `csi.controller.podDisruptionBudget`, `csi.nodePlugin.daemonSet`,
 * `csi.csiDriver.csiDriver`, `csi.storageClasses.storageClasses`... (`nodePlugin`, because `node` is the
 * construct tree node). The part constructs (ControllerPlugin, NodePlugin, ...) can be used alone with
 * `templateInputs(props)`, which applies the defaults and validation.
 *
 * For the chart generator (lib/chart, scripts/): the values root type is `CinderCsiValues` (lib/values/index.ts,
 * the source of the JSON Schema and values.yaml defaults); `objectTemplates` (lib/templates.ts) lists every
 * object template in a stable order with unique `file` names; `semanticProblems(values)` tells whether
 * coalesced values would be rejected by the constructs beyond the schema (generators of random valid values
 * must keep to values for which it returns []).
 */
export * from './values';
export * from './cinder-csi';
export * from './cloud-config';
export * from './cloud-secrets';
export * from './controller-plugin';
export * from './controller-rbac';
export * from './csi-driver';
export * from './node-plugin';
export * from './openshift-scc';
export * from './snapshot-classes';
export * from './storage-classes';
export * from './volume-attributes-classes';
export * from './metrics';
export * from './helm-test';
export { PATTERN_WORDS, patternWords, nearestKey } from './schema-words';
export * from './templates';
export * from './driver-contract';
export * from './rbac-rules';
export {
  CinderCsiValuesError, DEFAULT_NAMESPACE, DEFAULT_RELEASE_NAME, defaultValues, ReleaseProps, resolveValues, semanticProblems,
  templateInputs,
} from './resolve-values';
export { APP_NAME, CHART_NAME, CHART_VERSION, Component } from './metadata';
