import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterMetadata, orEmpty } from './metadata';
import { objectTemplate, renderInto, TemplateInputs, valuesRef } from './template';
import { CinderCsiValues, VolumeAttributesClassValues } from './values';

const v = valuesRef<CinderCsiValues>();

/**
 * One VolumeAttributesClass per `volumeAttributesClasses.classes` element, only when `volumeAttributesClasses.enabled`
 * (which also turns on the sidecars' feature gate and RBAC). `parameters` holds exactly the driver's mutable
 * parameters (`type`), so every class can be applied by ControllerModifyVolume.
 */
export const volumeAttributesClassTemplate = objectTemplate<VolumeAttributesClassValues>({
  file: 'volumeattributesclasses',
  enabledWhen: v.volumeAttributesClasses.enabled,
  forEach: v.volumeAttributesClasses.classes,
  body: (vac) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'VolumeAttributesClass',
    metadata: clusterMetadata(vac.name, 'volume-attributes-class', orEmpty(vac.labels), orEmpty(vac.annotations)),
    driverName: v.driverName,
    parameters: { type: vac.parameters.type },
  }),
});

/** The VolumeAttributesClasses of `volumeAttributesClasses.classes` (none unless `volumeAttributesClasses.enabled`). */
export class VolumeAttributesClasses extends Construct {
  public readonly volumeAttributesClasses: readonly ApiObject[];

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.volumeAttributesClasses = renderInto(this, volumeAttributesClassTemplate, inputs);
  }
}
