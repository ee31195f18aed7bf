import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namePrefix, namespacedMetadata, namespacedName } from './metadata';
import { controllerServiceAccountName } from './controller-rbac';
import {
  concat, each, Expr, ObjectTemplate, objectTemplate, Ref, releaseRef as r, renderInto, TemplateInputs, TemplateNode, valuesRef, when,
} from './template';
import { CinderCsiValues } from './values';

/*
 * Several regions (`cloudConfig.cloudNames`): the driver routes each CSI call by the request's `cloud` secret
 * (absent: [Global]). The external sidecars fill a request's secrets from the Secret a class's
 * `csi.storage.k8s.io/<kind>-secret-name`/`-namespace` parameters name, so the chart writes one small Secret per
 * cloud (`<release>-cloud-<name>`, holding only `cloud: <name>`), points the classes with `cloud` at it, and
 * lets the controller's sidecars `get` exactly those Secrets (a Role in the release namespace, by resourceNames).
 */

const v = valuesRef<CinderCsiValues>();

/** The key the driver reads from a request's secrets to pick the cloud (driver/README.md, "Several regions"). */
export const CLOUD_SECRET_KEY = 'cloud';

/** Name of the Secret that routes calls to cloud `name`: `<prefix>-cloud-<name>` (prefix: `fullnameOverride` or the release name). */
export function cloudSecretName(name: Ref<string> | Expr<string>): Expr<string> {
  return concat(namePrefix, '-cloud-', name);
}

/** Sidecar secret parameters a StorageClass carries: provisioner (create/delete), attacher (publish), resizer (expand). */
export const STORAGE_CLASS_SECRET_KINDS = ['provisioner', 'controller-publish', 'controller-expand'] as const;
/** Sidecar secret parameters a VolumeSnapshotClass carries: csi-snapshotter (create/delete snapshot). */
export const SNAPSHOT_CLASS_SECRET_KINDS = ['snapshotter'] as const;

/**
 * The `csi.storage.k8s.io/<kind>-secret-name` and `-namespace` parameters pointing at the Secret of `cloud`,
 * each present only when `cloud` is set.
 */
export function cloudSecretParameters(cloud: Ref<string | undefined>, kinds: readonly string[]): Record<string, TemplateNode> {
  const out: Record<string, TemplateNode> = {};
  for (const kind of kinds) {
    out[`csi.storage.k8s.io/${kind}-secret-name`] = when(cloud, cloudSecretName(cloud as Ref<string>));
    out[`csi.storage.k8s.io/${kind}-secret-namespace`] = when(cloud, r.namespace);
  }
  return out;
}

/** One Secret per served cloud, holding `cloud: <name>`. */
export const cloudSecretTemplate = objectTemplate<string>({
  file: 'cloud-secrets',
  forEach: v.cloudConfig.cloudNames,
  body: (name) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: namespacedMetadata(cloudSecretName(name), 'cloud-config'),
    type: 'Opaque',
    stringData: { [CLOUD_SECRET_KEY]: name },
  }),
});

const cloudSecretsRoleName = namespacedName('cloud-secrets');

/** Read access of the controller's sidecars to the cloud Secrets, and to nothing else. */
export const cloudSecretsRoleTemplate = objectTemplate({
  file: 'cloud-secrets-role',
  enabledWhen: v.cloudConfig.cloudNames,
  body: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: namespacedMetadata(cloudSecretsRoleName, 'rbac'),
    rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: each(v.cloudConfig.cloudNames, (name) => cloudSecretName(name)), verbs: ['get'] }],
  }),
});

export const cloudSecretsRoleBindingTemplate = objectTemplate({
  file: 'cloud-secrets-rolebinding',
  enabledWhen: v.cloudConfig.cloudNames,
  body: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: namespacedMetadata(cloudSecretsRoleName, 'rbac'),
    subjects: [{ kind: 'ServiceAccount', name: controllerServiceAccountName, namespace: r.namespace }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: cloudSecretsRoleName },
  }),
});

export const cloudSecretsTemplates: readonly ObjectTemplate[] = [cloudSecretTemplate, cloudSecretsRoleTemplate, cloudSecretsRoleBindingTemplate];

/**
 * Several regions: one Secret `<release>-cloud-<name>` per `cloudConfig.cloudNames` entry, and a Role +
 * RoleBinding letting the controller's sidecars `get` those Secrets only.
 */
export class CloudSecrets extends Construct {
  /** The Secrets, in `cloudNames` order. */
  public readonly secrets: readonly ApiObject[];
  /** The Role and RoleBinding, when there are clouds. */
  public readonly rbac: readonly ApiObject[];

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.secrets = renderInto(this, cloudSecretTemplate, inputs);
    this.rbac = [cloudSecretsRoleTemplate, cloudSecretsRoleBindingTemplate].flatMap((t) => renderInto(this, t, inputs));
  }
}
