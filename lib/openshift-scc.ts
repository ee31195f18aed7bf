import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { controllerServiceAccountName } from './controller-rbac';
import { clusterMetadata, clusterName } from './metadata';
import { nodeServiceAccountName } from './node-plugin';
import { OPENSHIFT_SCC_RULES } from './rbac-rules';
import { objectTemplate, releaseRef as r, renderInto, TemplateInputs, valuesRef } from './template';
import { CinderCsiValues } from './values';

const v = valuesRef<CinderCsiValues>();

/*
 * OpenShift admits pods through SecurityContextConstraints. The node plugin needs `privileged` (a
 * privileged container, hostPath volumes, Bidirectional propagation); the controller is bound too so that
 * its fixed UID is admitted whatever the namespace's UID range. This is the declarative form of
 * `oc adm policy add-scc-to-user privileged -z <service account>`.
 */

export const openShiftSccClusterRoleTemplate = objectTemplate({
  file: 'openshift-scc-clusterrole',
  chartFile: 'openshift-scc-rbac',
  enabledWhen: v.openshift.enabled,
  body: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: clusterMetadata(clusterName('openshift-scc'), 'rbac'),
    rules: OPENSHIFT_SCC_RULES,
  }),
});

export const openShiftSccClusterRoleBindingTemplate = objectTemplate({
  file: 'openshift-scc-clusterrolebinding',
  chartFile: 'openshift-scc-rbac',
  enabledWhen: v.openshift.enabled,
  body: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: clusterMetadata(clusterName('openshift-scc'), 'rbac'),
    subjects: [
      { kind: 'ServiceAccount', name: controllerServiceAccountName, namespace: r.namespace },
      { kind: 'ServiceAccount', name: nodeServiceAccountName, namespace: r.namespace },
    ],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName('openshift-scc') },
  }),
});

export const openShiftSccTemplates = [openShiftSccClusterRoleTemplate, openShiftSccClusterRoleBindingTemplate] as const;

/** OpenShift support: lets the controller and node service accounts use the `privileged` SCC. */
export class OpenShiftScc extends Construct {
  /** The ClusterRole and ClusterRoleBinding (empty unless `openshift.enabled`). */
  public readonly objects: readonly ApiObject[];

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.objects = openShiftSccTemplates.flatMap((t) => renderInto(this, t, inputs));
  }
}
