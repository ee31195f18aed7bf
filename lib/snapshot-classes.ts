import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PARAM_FORCE_CREATE } from '../driver/src/controller/snapshot-parameters';
import { cloudSecretParameters, SNAPSHOT_CLASS_SECRET_KINDS } from './cloud-secrets';
import { annotationsWith, labels, orEmpty } from './metadata';
import { defaultTo, mergeMaps, objectTemplate, optional, renderInto, TemplateInputs, valuesRef, when } from './template';
import { CinderCsiValues, SnapshotClassValues, SnapshotDeletionPolicy } from './values';

const v = valuesRef<CinderCsiValues>();

/** One VolumeSnapshotClass per `snapshots.classes` element, only when `snapshots.enabled`. */
export const snapshotClassTemplate = objectTemplate<SnapshotClassValues>({
  file: 'volumesnapshotclasses',
  enabledWhen: v.snapshots.enabled,
  forEach: v.snapshots.classes,
  body: (sc) => ({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotClass',
    metadata: {
      name: sc.name,
      labels: labels('snapshot-class', orEmpty(sc.labels)),
      annotations: annotationsWith(orEmpty(sc.annotations), { 'snapshot.storage.kubernetes.io/is-default-class': when(sc.isDefault, 'true') }),
    },
    driver: v.driverName,
    deletionPolicy: defaultTo(sc.deletionPolicy, SnapshotDeletionPolicy.DELETE),
    // forceCreate true writes force-create "true"; otherwise the parameter is absent (unless the user's
    // parameters set it), which the driver reads as false: in-use volumes are not snapshotted.
    parameters: optional(mergeMaps(orEmpty(sc.parameters), {
      [PARAM_FORCE_CREATE]: when(sc.forceCreate, 'true'),
      ...cloudSecretParameters(sc.cloud, SNAPSHOT_CLASS_SECRET_KINDS),
    })),
  }),
});

/** The VolumeSnapshotClasses of `snapshots.classes` (none unless `snapshots.enabled`). */
export class SnapshotClasses extends Construct {
  public readonly snapshotClasses: readonly ApiObject[];

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.snapshotClasses = renderInto(this, snapshotClassTemplate, inputs);
  }
}
