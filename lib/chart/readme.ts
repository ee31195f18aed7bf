import { Assertion, describeAssertion, JsonObject, JsonValue } from '../template';
import { SchemaNode } from './schema';
import { typeLabel, valuesKeys } from './schema-walk';
import { MigrationRow, UPSTREAM_CHART, UPSTREAM_CHART_VERSION, UPSTREAM_MIGRATION, UPSTREAM_MIGRATION_NOTES } from './upstream-migration';

export interface ReadmeInput {
  readonly schema: SchemaNode;
  readonly defaults: JsonObject;
  readonly chartVersion: string;
  readonly appVersion: string;
  /** The values rules beyond the schema (templates/validate.yaml). */
  readonly assertions?: readonly Assertion[];
}

/**
 * The chart README: prerequisites, install, upgrade, rollback, uninstall, migration from the upstream chart and the
 * values table, all generated from the same source as values.yaml. Every command in it was run against a real
 * control plane with Helm 3 and Helm 4 (see the repository README, test/cluster/).
 */
export function chartReadme(input: ReadmeInput): string {
  const snapshotterTag = String(lookup(input.defaults, 'controller.snapshotter.image.tag') ?? '');
  const secretName = String(lookup(input.defaults, 'cloudConfig.existingSecret.name') ?? '');
  const secretKey = String(lookup(input.defaults, 'cloudConfig.existingSecret.key') ?? '');
  const major = (sidecar: string): string => String(lookup(input.defaults, `${sidecar}.image.tag`) ?? '').split('.')[0] ?? '';
  return `# cinder-csi

OpenStack Cinder CSI driver for Kubernetes (chart ${input.chartVersion}, driver ${input.appVersion}).

This chart is generated from the typed cdk8s constructs of the cinder-csi project (\`npm run synth\`); the
same values render the same objects through Helm, through the constructs, and through \`cinder-csi-render\`.
Do not edit files in this directory by hand.

Helm 3 (tested: 3.17.3) and Helm 4 (tested: 4.1.4) take the same commands below. Where they differ: Helm 4 applies
objects server-side by default, and Helm 3's \`--atomic\` is called \`--rollback-on-failure\` in Helm 4.

## Prerequisites

- **Kubernetes >= 1.34.** The csi-provisioner ${major('controller.provisioner')} and csi-resizer ${major('controller.resizer')} this chart deploys read
  VolumeAttributesClasses through \`storage.k8s.io/v1\`, GA in 1.34. (Chart.yaml still admits older versions so
  that \`helm template\` works without a cluster; see the repository README, known limits.)
- **The cloud Secret** (the default \`cloudConfig.mode: existingSecret\`): a Secret \`${secretName}\` in the release
  namespace whose key \`${secretKey}\` holds cloud.conf (\`[Global]\` with \`auth-url\` and credentials). The controller
  pods wait until it exists. From a file:

  \`\`\`sh
  kubectl create secret generic ${secretName} --namespace kube-system --from-file=${secretKey}=./cloud.conf
  \`\`\`

  Or let the chart write it from values (\`cloudConfig.mode: secret\`, see Install), or read it from the nodes
  (\`cloudConfig.mode: hostPath\`).
- **For snapshots only** (\`snapshots.enabled: true\`): the VolumeSnapshot CRDs and the snapshot-controller of
  kubernetes-csi/external-snapshotter v8 (this chart's csi-snapshotter is ${snapshotterTag}). Neither is part of
  this chart; many distributions ship them. Check:

  \`\`\`sh
  kubectl get crd volumesnapshots.snapshot.storage.k8s.io volumesnapshotcontents.snapshot.storage.k8s.io volumesnapshotclasses.snapshot.storage.k8s.io
  \`\`\`

  If they are missing, apply them from a checkout of external-snapshotter at ${snapshotterTag}, and deploy its
  \`deploy/kubernetes/snapshot-controller/\`:

  \`\`\`sh
  kubectl apply -k client/config/crd/
  \`\`\`

  Without the CRDs, an install with snapshots enabled fails with
  \`no matches for kind "VolumeSnapshotClass" in version "snapshot.storage.k8s.io/v1"\` and creates nothing.

## Install

With the Secret above:

\`\`\`sh
helm install cinder-csi charts/cinder-csi --namespace kube-system
\`\`\`

or with the credentials in values (the chart writes the Secret):

\`\`\`sh
helm install cinder-csi charts/cinder-csi --namespace kube-system --set cloudConfig.mode=secret \\
  --set cloudConfig.global.authUrl=https://keystone.example.com:5000/v3 \\
  --set cloudConfig.global.applicationCredentialId=0123abcd \\
  --set cloudConfig.global.applicationCredentialSecret=s3cr3t
\`\`\`

Keep your settings in a values file and preview what it renders before installing:

\`\`\`sh
helm template cinder-csi charts/cinder-csi --namespace kube-system -f my-values.yaml
helm install cinder-csi charts/cinder-csi --namespace kube-system -f my-values.yaml
\`\`\`

The StorageClasses, VolumeSnapshotClasses, VolumeAttributesClasses, CSIDriver and ClusterRoles are cluster-wide:
a second release with the same names fails with \`... exists and cannot be imported into the current release:
invalid ownership metadata\`. \`values.schema.json\` rejects unknown keys and wrong types, so typos fail at install
time.
${checks(input.assertions ?? [])}
### Several regions

One controller serves several OpenStack regions (or clouds) as upstream's multi-region setup: put one
\`[Global "<name>"]\` sub-section per region into the cloud.conf of your Secret (mode \`existingSecret\`; or
\`hostPath\`) and name the regions in \`cloudConfig.cloudNames\`. The chart passes one \`--cloud-name\` each, writes
one Secret \`<release>-cloud-<name>\` holding \`cloud: <name>\` per region (only the controller's sidecars may read
them), and a class with \`cloud\` carries the secret parameters that route its volumes' calls to that region:

\`\`\`yaml
cloudConfig:
  cloudNames: [region-one, region-two]
storageClasses:
  - name: cinder-one
    cloud: region-one
    allowedTopologies: [{ matchLabelExpressions: [{ key: topology.cinder.csi.openstack.org/zone, values: [nova-one] }] }]
  - name: cinder-two
    cloud: region-two
    allowedTopologies: [{ matchLabelExpressions: [{ key: topology.cinder.csi.openstack.org/zone, values: [nova-two] }] }]
snapshots:
  enabled: true
  classes:
    - name: cinder-snapshot-two
      cloud: region-two
\`\`\`

A class without \`cloud\` uses \`[Global]\`. The node plugin never calls OpenStack, so one node DaemonSet serves all
regions; \`allowedTopologies\` on each region's zones keeps a class's volumes on that region's nodes.

## Upgrade

Pass the whole values file again (not \`--reuse-values\`, which would keep the old chart's defaults for keys this
version added or changed):

\`\`\`sh
helm upgrade cinder-csi charts/cinder-csi --namespace kube-system -f my-values.yaml
\`\`\`

Kubernetes does not let a StorageClass's \`parameters\`, \`reclaimPolicy\` or \`volumeBindingMode\` change. An upgrade
that changes them for an existing class fails (\`StorageClass.storage.k8s.io "cinder-csi" is invalid: parameters:
Invalid value: null: field is immutable\`) and the release is marked failed (objects applied before the class may
already be updated: upgrade again with fixed values, or roll back). Give the changed class a new name instead
(existing claims keep the old class; a class removed from the values is deleted, its volumes are not).

## Rollback

\`\`\`sh
helm history cinder-csi --namespace kube-system
helm rollback cinder-csi 1 --namespace kube-system
\`\`\`

A rollback renders the chosen revision again: classes added since are deleted (their volumes stay), classes of
that revision are created again.

## Uninstall

Before uninstalling, delete the workloads that use these volumes: a volume still attached when the controller
goes stays attached, and the Cinder volume of a claim deleted afterwards is not deleted, until the driver runs
again.

\`\`\`sh
helm uninstall cinder-csi --namespace kube-system
\`\`\`

Helm deletes only the objects of the release. It leaves:

- PersistentVolumes and PersistentVolumeClaims, and their Cinder volumes and snapshots (with \`reclaimPolicy:
  Retain\` they stay after their claims are deleted too; with \`Delete\` only a running driver deletes them);
- the cloud Secret you created (\`${secretName}\`);
- the VolumeSnapshot CRDs and the snapshot-controller (never part of this chart).

## Migrating from the upstream chart (${UPSTREAM_CHART})

Both charts deploy the driver \`cinder.csi.openstack.org\` with the same topology key and Cinder volume ids as
volume handles, so existing PersistentVolumes work with this driver unchanged. The two cannot run side by side
(the CSIDriver object and the class names collide). The table maps the values of ${UPSTREAM_CHART} ${UPSTREAM_CHART_VERSION} to
ours.

1. Write \`my-values.yaml\` from the table below and check it renders: \`helm template cinder-csi charts/cinder-csi
   --namespace kube-system -f my-values.yaml\`.
2. If the upstream release created the cloud Secret (\`secret.create: true\`), save cloud.conf first; uninstalling
   deletes that Secret (\`cinder-csi-cloud-config\` here stands for your \`secret.name\`):

   \`\`\`sh
   kubectl get secret cinder-csi-cloud-config --namespace kube-system -o jsonpath='{.data.cloud\\.conf}' | base64 -d > cloud.conf
   \`\`\`

3. \`helm uninstall\` the upstream release, create the Secret (Prerequisites), then \`helm install\` this chart.
   Until it runs, no volume is provisioned, attached or detached; pods already running keep their mounts.

${UPSTREAM_MIGRATION_NOTES.map((n) => `- ${n}`).join('\n')}

| Upstream key | Ours | How |
| --- | --- | --- |
${UPSTREAM_MIGRATION.map(migrationRow).join('\n')}

## Without Helm

The same values files render to plain YAML with the project's render command (no Helm needed):

\`\`\`sh
npm run --silent render -- --values my-values.yaml [--values more.yaml] [--set a.b=c] \\
  [--release-name cinder-csi] [--namespace kube-system] > cinder-csi.yaml
# or, after npm run build: node build/lib/render/cli.js ... (the package's cinder-csi-render bin)
\`\`\`

The default deployment is committed as \`dist/cinder-csi.yaml\`; cdk8s users import the \`CinderCsi\` construct,
whose props are these values.

## Values

| Key | Type | Default | Description |
| --- | --- | --- | --- |
${valuesKeys(input.schema).filter((k) => !k.isGroup).map((k) => row(k.path, k.schema, lookup(input.defaults, k.path))).join('\n')}
`;
}

/** Our column of the migration table: `no equivalent`, or the keys in backticks. */
export const NO_EQUIVALENT = 'no equivalent';

function migrationRow(r: MigrationRow): string {
  const keys = (list: readonly string[]): string => list.map((k) => `\`${k}\``).join(', ');
  const upstream = r.upstream.length === 0 ? '(none)' : keys(r.upstream);
  const ours = r.ours.length === 0 ? NO_EQUIVALENT : keys(r.ours);
  return `| ${cell(upstream)} | ${cell(ours)} | ${cell(r.how)} |`;
}

function checks(assertions: readonly Assertion[]): string {
  if (assertions.length === 0) return '';
  return `
Beyond the schema, \`templates/validate.yaml\` fails the render at the first of these rules that does not hold,
with the message the constructs and \`cinder-csi-render\` give (which report all of them):

${assertions.map((a) => `- ${describeAssertion(a)}`).join('\n')}
`;
}

function row(path: string, schema: SchemaNode, def: JsonValue | undefined): string {
  const cells = [
    `\`${path}\``,
    cell(typeLabel(schema)),
    def === undefined ? '' : `\`${cell(JSON.stringify(def))}\``,
    cell(String(schema.description ?? '').replace(/\s+/g, ' ')),
  ];
  return `| ${cells.join(' | ')} |`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function lookup(values: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = values;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = current[part];
  }
  return current;
}
