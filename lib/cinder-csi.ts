import { Construct } from 'constructs';
import { CloudConfig } from './cloud-config';
import { CloudSecrets } from './cloud-secrets';
import { ControllerPlugin } from './controller-plugin';
import { ControllerRbac } from './controller-rbac';
import { CsiDriverObject } from './csi-driver';
import { NodePlugin } from './node-plugin';
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

  public constructor(scope: Construct, id: string, props: CinderCsiProps = {}) {
    super(scope, id);
    const inputs: TemplateInputs = templateInputs(props);
    this.values = inputs.values as unknown as CinderCsiValues;
    this.releaseName = inputs.release.name;
    this.namespace = inputs.release.namespace;
    // Same order as `objectTemplates` (lib/templates.ts).
    this.rbac = new ControllerRbac(this, 'Rbac', inputs);
    this.openShift = new OpenShiftScc(this, 'OpenShift', inputs);
    this.cloudConfig = new CloudConfig(this, 'CloudConfig', inputs);
    this.cloudSecrets = new CloudSecrets(this, 'CloudSecrets', inputs);
    this.controller = new ControllerPlugin(this, 'Controller', inputs);
    this.nodePlugin = new NodePlugin(this, 'Node', inputs);
    this.csiDriver = new CsiDriverObject(this, 'CsiDriver', inputs);
    this.storageClasses = new StorageClasses(this, 'StorageClasses', inputs);
    this.snapshotClasses = new SnapshotClasses(this, 'SnapshotClasses', inputs);
    this.volumeAttributesClasses = new VolumeAttributesClasses(this, 'VolumeAttributesClasses', inputs);
  }
}
