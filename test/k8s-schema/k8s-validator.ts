import Ajv from 'ajv';
import * as k8s from 'cdk8s-plus-25/lib/imports/k8s';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { CSIDriver } from 'kubernetes-models/storage.k8s.io/v1/CSIDriver';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import volumeAttributesClassSchema from './volume-attributes-class.schema.json';
import serviceMonitorSchema from './service-monitor.schema.json';
import volumeSnapshotClassSchema from './volume-snapshot-class.schema.json';

/*
 * Validation of rendered objects against the Kubernetes API schemas, two ways:
 * 1. kubernetes-models' validators (compiled from the Kubernetes OpenAPI spec): types, enums, required fields;
 * 2. unknown fields, which that schema allows but the API server drops or rejects (a misspelt
 *    `mountPropogation` would silently disappear): every field must survive cdk8s-plus-25's generated
 *    Kubernetes 1.25 serializers, which copy exactly the fields the API defines.
 * The VolumeSnapshotClass CRD is validated with the schema in volume-snapshot-class.schema.json, and
 * VolumeAttributesClass (which neither kubernetes-models 4.5 nor cdk8s-plus-25 know) with volume-attributes-class.schema.json,
 * the Prometheus Operator's ServiceMonitor with service-monitor.schema.json.
 */

type Json = unknown;

interface KindSpec {
  /** Validates with kubernetes-models; throws on a violation. */
  readonly validate: (object: Json) => void;
  /** cdk8s-plus-25's serializer of the object's props (all fields but apiVersion/kind). */
  readonly serialize: (props: never) => Record<string, unknown> | undefined;
}

interface ModelClass {
  new (data: never): { validate(): void };
}

const model = (cls: ModelClass) => (object: Json): void => new cls(object as never).validate();

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSnapshotClass = ajv.compile(volumeSnapshotClassSchema);
const validateAttributesClass = ajv.compile(volumeAttributesClassSchema);
const validateServiceMonitor = ajv.compile(serviceMonitorSchema);

const KINDS: Record<string, KindSpec> = {
  'v1/Secret': { validate: model(Secret), serialize: k8s.toJson_KubeSecretProps },
  'v1/Service': { validate: model(Service), serialize: k8s.toJson_KubeServiceProps },
  'v1/Pod': { validate: model(Pod), serialize: k8s.toJson_KubePodProps },
  'monitoring.coreos.com/v1/ServiceMonitor': {
    validate: (object) => {
      if (!validateServiceMonitor(object)) throw new Error(ajv.errorsText(validateServiceMonitor.errors));
      new ObjectMeta((object as { metadata: never }).metadata).validate();
    },
    serialize: (props: never) => ({ ...(props as Record<string, unknown>), metadata: k8s.toJson_ObjectMeta((props as { metadata: never }).metadata) }),
  },
  'v1/ServiceAccount': { validate: model(ServiceAccount), serialize: k8s.toJson_KubeServiceAccountProps },
  'apps/v1/Deployment': { validate: model(Deployment), serialize: k8s.toJson_KubeDeploymentProps },
  'apps/v1/DaemonSet': { validate: model(DaemonSet), serialize: k8s.toJson_KubeDaemonSetProps },
  'policy/v1/PodDisruptionBudget': { validate: model(PodDisruptionBudget), serialize: k8s.toJson_KubePodDisruptionBudgetProps },
  'rbac.authorization.k8s.io/v1/ClusterRole': { validate: model(ClusterRole), serialize: k8s.toJson_KubeClusterRoleProps },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { validate: model(ClusterRoleBinding), serialize: k8s.toJson_KubeClusterRoleBindingProps },
  'rbac.authorization.k8s.io/v1/Role': { validate: model(Role), serialize: k8s.toJson_KubeRoleProps },
  'rbac.authorization.k8s.io/v1/RoleBinding': { validate: model(RoleBinding), serialize: k8s.toJson_KubeRoleBindingProps },
  'storage.k8s.io/v1/CSIDriver': { validate: model(CSIDriver), serialize: k8s.toJson_KubeCsiDriverProps },
  'storage.k8s.io/v1/StorageClass': { validate: model(StorageClass), serialize: k8s.toJson_KubeStorageClassProps },
  'snapshot.storage.k8s.io/v1/VolumeSnapshotClass': {
    validate: (object) => {
      if (!validateSnapshotClass(object)) throw new Error(ajv.errorsText(validateSnapshotClass.errors));
      new ObjectMeta((object as { metadata: never }).metadata).validate();
    },
    serialize: (props: never) => ({ ...(props as Record<string, unknown>), metadata: k8s.toJson_ObjectMeta((props as { metadata: never }).metadata) }),
  },
  'storage.k8s.io/v1/VolumeAttributesClass': {
    validate: (object) => {
      if (!validateAttributesClass(object)) throw new Error(ajv.errorsText(validateAttributesClass.errors));
      new ObjectMeta((object as { metadata: never }).metadata).validate();
    },
    serialize: (props: never) => ({ ...(props as Record<string, unknown>), metadata: k8s.toJson_ObjectMeta((props as { metadata: never }).metadata) }),
  },
};

/** Problems of one object against its kind's API schema; [] when valid. */
export function k8sSchemaProblems(object: Record<string, unknown>): string[] {
  const id = `${String(object.apiVersion)}/${String(object.kind)}`;
  const spec = KINDS[id];
  if (spec === undefined) return [`${id}: no schema known for this apiVersion/kind`];
  const problems: string[] = [];
  try {
    spec.validate(object);
  } catch (e) {
    problems.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { apiVersion: _a, kind: _k, ...props } = object;
  const serialized = spec.serialize(box(props) as never) ?? {};
  for (const path of unknownFields(props, serialized, '')) problems.push(`${id}: unknown field ${path}`);
  return problems;
}

export const KNOWN_KINDS: readonly string[] = Object.keys(KINDS);

/**
 * Wraps every scalar in an object whose `value` is the scalar: the serializers read IntOrString and
 * Quantity fields as `x?.value` and copy other fields as they are, so with boxing every defined field
 * stays defined and only fields the API does not know disappear.
 */
function box(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(box);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, box(v)]));
  }
  return { value };
}

function unknownFields(input: unknown, output: unknown, path: string): string[] {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return [];
    return input.flatMap((item, i) => unknownFields(item, output[i], `${path}[${i}]`));
  }
  if (input === null || typeof input !== 'object') return [];
  if (output === null || typeof output !== 'object') return [];
  const out = output as Record<string, unknown>;
  return Object.entries(input as Record<string, unknown>).flatMap(([key, value]) => {
    const here = path === '' ? key : `${path}.${key}`;
    if (!(key in out)) return [here];
    return unknownFields(value, out[key], here);
  });
}
