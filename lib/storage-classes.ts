import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cloudSecretParameters, STORAGE_CLASS_SECRET_KINDS } from './cloud-secrets';
import { annotationsWith, labels, orEmpty } from './metadata';
import {
  defaultTo, ifElse, mergeMaps, ne, objectTemplate, optional, renderInto, str, TemplateInputs, valuesRef, when, yamlOf,
} from './template';
import { CinderCsiValues, ReclaimPolicy, StorageClassValues, VolumeBindingMode } from './values';

const v = valuesRef<CinderCsiValues>();

/**
 * One StorageClass per `storageClasses` element. Helm does not merge list items with defaults, so the
 * defaults of optional fields are applied here (see StorageClassValues).
 */
export const storageClassTemplate = objectTemplate<StorageClassValues>({
  file: 'storageclasses',
  forEach: v.storageClasses,
  body: (sc) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: sc.name,
      labels: labels('storage-class', orEmpty(sc.labels)),
      annotations: annotationsWith(orEmpty(sc.annotations), { 'storageclass.kubernetes.io/is-default-class': when(sc.isDefault, 'true') }),
    },
    provisioner: v.driverName,
    parameters: mergeMaps(orEmpty(sc.parameters), {
      type: optional(sc.volumeType),
      availability: optional(sc.availability),
      'csi.storage.k8s.io/fstype': defaultTo(sc.fsType, 'ext4'),
      ...cloudSecretParameters(sc.cloud, STORAGE_CLASS_SECRET_KINDS),
    }),
    reclaimPolicy: defaultTo(sc.reclaimPolicy, ReclaimPolicy.DELETE),
    // Absent means true; `str` of an absent value is "null", so only an explicit false turns expansion off.
    allowVolumeExpansion: ifElse(ne(str(sc.allowVolumeExpansion), 'false'), true, false),
    volumeBindingMode: defaultTo(sc.volumeBindingMode, VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER),
    mountOptions: when(sc.mountOptions, yamlOf(sc.mountOptions)),
    allowedTopologies: when(sc.allowedTopologies, yamlOf(sc.allowedTopologies)),
  }),
});

/** The StorageClasses of `storageClasses`, in list order. */
export class StorageClasses extends Construct {
  public readonly storageClasses: readonly ApiObject[];

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.storageClasses = renderInto(this, storageClassTemplate, inputs);
  }
}
