/**
 * cinder-csi: OpenStack Cinder CSI for Kubernetes as cdk8s constructs.
 *
 * For users: `new CinderCsi(chart, 'cinder', { namespace: 'kube-system', cloudConfig: { ... } })`.
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
export * from './controller-plugin';
export * from './controller-rbac';
export * from './csi-driver';
export * from './node-plugin';
export * from './openshift-scc';
export * from './snapshot-classes';
export * from './storage-classes';
export * from './templates';
export * from './driver-contract';
export * from './rbac-rules';
export {
  CinderCsiValuesError, DEFAULT_NAMESPACE, DEFAULT_RELEASE_NAME, defaultValues, ReleaseProps, resolveValues, semanticProblems,
  templateInputs,
} from './resolve-values';
export { APP_NAME, Component } from './metadata';
