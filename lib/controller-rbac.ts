import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterMetadata, clusterName, namespacedMetadata, namespacedName } from './metadata';
import {
  ATTACHER_RULES, LEADER_ELECTION_RULES, PolicyRule, PROVISIONER_RULES, RESIZER_RULES, SNAPSHOTTER_RULES,
} from './rbac-rules';
import { Condition, ObjectTemplate, objectTemplate, releaseRef as r, renderInto, TemplateInputs, valuesRef } from './template';
import { CinderCsiValues } from './values';

const v = valuesRef<CinderCsiValues>();

/** Name of the controller's ServiceAccount (also the RBAC subject). */
export const controllerServiceAccountName = namespacedName('controller');

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const controllerSubject = { kind: 'ServiceAccount', name: controllerServiceAccountName, namespace: r.namespace };

interface SidecarRole {
  /** Suffix of the cluster-scoped names and the template file prefix. */
  readonly role: 'provisioner' | 'attacher' | 'resizer' | 'snapshotter';
  readonly rules: readonly PolicyRule[];
  readonly enabledWhen?: Condition;
}

const SIDECAR_ROLES: readonly SidecarRole[] = [
  { role: 'provisioner', rules: PROVISIONER_RULES },
  { role: 'attacher', rules: ATTACHER_RULES },
  { role: 'resizer', rules: RESIZER_RULES },
  { role: 'snapshotter', rules: SNAPSHOTTER_RULES, enabledWhen: v.snapshots.enabled },
];

function clusterRoleTemplate(s: SidecarRole): ObjectTemplate {
  return objectTemplate({
    file: `${s.role}-clusterrole`,
    chartFile: `${s.role}-rbac`,
    enabledWhen: s.enabledWhen,
    body: () => ({
      apiVersion: RBAC_API,
      kind: 'ClusterRole',
      metadata: clusterMetadata(clusterName(s.role), 'rbac'),
      rules: s.rules,
    }),
  });
}

function clusterRoleBindingTemplate(s: SidecarRole): ObjectTemplate {
  return objectTemplate({
    file: `${s.role}-clusterrolebinding`,
    chartFile: `${s.role}-rbac`,
    enabledWhen: s.enabledWhen,
    body: () => ({
      apiVersion: RBAC_API,
      kind: 'ClusterRoleBinding',
      metadata: clusterMetadata(clusterName(s.role), 'rbac'),
      subjects: [controllerSubject],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName(s.role) },
    }),
  });
}

export const leaderElectionRoleTemplate = objectTemplate({
  file: 'leader-election-role',
  chartFile: 'leader-election-rbac',
  body: () => ({
    apiVersion: RBAC_API,
    kind: 'Role',
    metadata: namespacedMetadata(namespacedName('leader-election'), 'rbac'),
    rules: LEADER_ELECTION_RULES,
  }),
});

export const leaderElectionRoleBindingTemplate = objectTemplate({
  file: 'leader-election-rolebinding',
  chartFile: 'leader-election-rbac',
  body: () => ({
    apiVersion: RBAC_API,
    kind: 'RoleBinding',
    metadata: namespacedMetadata(namespacedName('leader-election'), 'rbac'),
    subjects: [controllerSubject],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: namespacedName('leader-election') },
  }),
});

/**
 * ClusterRoles and ClusterRoleBindings of the controller sidecars, in a stable order; each role and its binding are
 * one chart file (templates/<role>-rbac.yaml).
 */
export const controllerRbacTemplates: readonly ObjectTemplate[] = [
  ...SIDECAR_ROLES.flatMap((s) => [clusterRoleTemplate(s), clusterRoleBindingTemplate(s)]),
  leaderElectionRoleTemplate,
  leaderElectionRoleBindingTemplate,
];

/**
 * Least-privilege RBAC of the controller plugin: one ClusterRole + ClusterRoleBinding per sidecar (rules in
 * lib/rbac-rules.ts) and a namespaced Role + RoleBinding for leader-election leases.
 */
export class ControllerRbac extends Construct {
  /** Every object created (ClusterRoles, ClusterRoleBindings, Role, RoleBinding), in template order. */
  public readonly objects: readonly ApiObject[];

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.objects = controllerRbacTemplates.flatMap((t) => renderInto(this, t, inputs));
  }
}
