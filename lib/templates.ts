import { cloudConfigTemplates } from './cloud-config';
import { cloudSecretsTemplates } from './cloud-secrets';
import { controllerPluginTemplates } from './controller-plugin';
import { controllerRbacTemplates } from './controller-rbac';
import { csiDriverTemplate } from './csi-driver';
import { nodePluginTemplates } from './node-plugin';
import { openShiftSccTemplates } from './openshift-scc';
import { snapshotClassTemplate } from './snapshot-classes';
import { storageClassTemplate } from './storage-classes';
import { ObjectTemplate } from './template';
import { volumeAttributesClassTemplate } from './volume-attributes-classes';

/**
 * Every object template of a cinder-csi deployment, in a stable order (the order the CinderCsi construct
 * adds them, and the order of the chart's templates/): identity and RBAC first, then configuration, the
 * workloads, and the cluster-wide classes. Each `file` is unique.
 */
export const objectTemplates: readonly ObjectTemplate[] = [
  ...controllerRbacTemplates,
  ...openShiftSccTemplates,
  ...cloudConfigTemplates,
  ...cloudSecretsTemplates,
  ...controllerPluginTemplates,
  ...nodePluginTemplates,
  csiDriverTemplate,
  storageClassTemplate,
  snapshotClassTemplate,
  volumeAttributesClassTemplate,
];
