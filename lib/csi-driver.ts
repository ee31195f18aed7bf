import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterMetadata } from './metadata';
import { objectTemplate, optional, renderInto, TemplateInputs, valuesRef } from './template';
import { CinderCsiValues } from './values';

const v = valuesRef<CinderCsiValues>();

/**
 * The CSIDriver object. Cinder volumes are attached through the attacher (attachRequired), used as
 * persistent volumes only (the driver implements no ephemeral inline volumes), and never need republishing.
 * `seLinuxMount` is written only when on (Kubernetes' default is off).
 */
export const csiDriverTemplate = objectTemplate({
  file: 'csidriver',
  body: () => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: clusterMetadata(v.driverName, 'csi-driver'),
    spec: {
      attachRequired: true,
      podInfoOnMount: v.csiDriver.podInfoOnMount,
      fsGroupPolicy: v.csiDriver.fsGroupPolicy,
      volumeLifecycleModes: ['Persistent'],
      requiresRepublish: false,
      storageCapacity: false,
      seLinuxMount: optional(v.csiDriver.seLinuxMount),
    },
  }),
});

/** The CSIDriver object named `driverName`. */
export class CsiDriverObject extends Construct {
  public readonly csiDriver: ApiObject;

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.csiDriver = renderInto(this, csiDriverTemplate, inputs)[0]!;
  }
}
