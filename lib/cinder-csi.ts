import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CloudConfig } from './cloud-config';
import { CloudSecrets } from './cloud-secrets';
import { ControllerPlugin } from './controller-plugin';
import { ControllerRbac } from './controller-rbac';
import { CsiDriverObject } from './csi-driver';
import { NodePlugin } from './node-plugin';
import { HelmTests } from './helm-test';
import { Metrics } from './metrics';
import { OpenShiftScc } from './openshift-scc';
import { ReleaseProps, templateInputs } from './resolve-values';
import { SnapshotClasses } from './snapshot-classes';
import { StorageClasses } from './storage-classes';
import { TemplateInputs } from './template';
import { CinderCsiValues, CinderCsiValuesInput } from './values';
import { VolumeAttributesClasses } from './volume-attributes-classes';

/**
 * Props of the CinderCsi construct: the release identity plus any subset of the chart's values (the same
 * keys as values.yaml; unset keys take the chart defaults, maps merge and lists replace, as in Helm).
 */
export type CinderCsiProps = ReleaseProps & CinderCsiValuesInput;

/**
 * A complete OpenStack Cinder CSI deployment. Produces exactly the objects the generated Helm chart renders
 * from the same values. Parts are reachable for patches props do not cover, e.g.
 * `csi.controller.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true))`.
 */
export class CinderCsi extends Construct {
  /** The validated values after defaults (what Helm calls `.Values`). */
  public readonly values: CinderCsiValues;
  public readonly releaseName: string;
  public readonly namespace: string;
  public readonly rbac: ControllerRbac;
  public readonly openShift: OpenShiftScc;
  public readonly cloudConfig: CloudConfig;
  /** Several regions: the per-cloud Secrets and the sidecars' read access to them. */
  public readonly cloudSecrets: CloudSecrets;
  public readonly controller: ControllerPlugin;
  /** The node plugin (`node` is taken by constructs: the construct tree node). */
  public readonly nodePlugin: NodePlugin;
  public readonly csiDriver: CsiDriverObject;
  public readonly storageClasses: StorageClasses;
  public readonly snapshotClasses: SnapshotClasses;
  public readonly volumeAttributesClasses: VolumeAttributesClasses;
  /** The metrics Services and ServiceMonitor. */
  public readonly metrics: Metrics;
  /** The `helm test` Pods. */
  public readonly tests: HelmTests;

  public constructor(scope: Construct, id: string, props: CinderCsiProps = {}) {
    super(scope, id);
    const inputs: TemplateInputs = templateInputs(props);
    this.values = inputs.values as unknown as CinderCsiValues;
    this.releaseName = inputs.release.name;
    this.namespace = inputs.release.namespace;
    // `enabled: false` (a parent chart's condition) renders nothing, as the chart does: the parts are then built
    // under a root of their own, outside this construct's tree, so that no chart synthesizes them.
    const parts: Construct = this.values.enabled ? this : new Chart(new App(), 'disabled');
    // Same order as `objectTemplates` (lib/templates.ts).
    this.rbac = new ControllerRbac(parts, 'Rbac', inputs);
    this.openShift = new OpenShiftScc(parts, 'OpenShift', inputs);
    this.cloudConfig = new CloudConfig(parts, 'CloudConfig', inputs);
    this.cloudSecrets = new CloudSecrets(parts, 'CloudSecrets', inputs);
    this.controller = new ControllerPlugin(parts, 'Controller', inputs);
    this.nodePlugin = new NodePlugin(parts, 'Node', inputs);
    this.csiDriver = new CsiDriverObject(parts, 'CsiDriver', inputs);
    this.storageClasses = new StorageClasses(parts, 'StorageClasses', inputs);
    this.snapshotClasses = new SnapshotClasses(parts, 'SnapshotClasses', inputs);
    this.volumeAttributesClasses = new VolumeAttributesClasses(parts, 'VolumeAttributesClasses', inputs);
    this.metrics = new Metrics(parts, 'Metrics', inputs);
    this.tests = new HelmTests(parts, 'Tests', inputs);
  }
}
