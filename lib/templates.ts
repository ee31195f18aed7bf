import { cloudConfigTemplates } from './cloud-config';
import { cloudSecretsTemplates } from './cloud-secrets';
import { controllerPluginTemplates } from './controller-plugin';
import { controllerRbacTemplates } from './controller-rbac';
import { csiDriverTemplate } from './csi-driver';
import { nodePluginTemplates } from './node-plugin';
import { openShiftSccTemplates } from './openshift-scc';
import { snapshotClassTemplate } from './snapshot-classes';
import { storageClassTemplate } from './storage-classes';
import { helmTestTemplate } from './helm-test';
import { metricsTemplates } from './metrics';
import { gatedOnEnabled } from './release-enabled';
import { ObjectTemplate } from './template';
import { volumeAttributesClassTemplate } from './volume-attributes-classes';

/**
 * Every object template of a cinder-csi deployment, in a stable order (the order the CinderCsi construct
 * adds them, and the order of the chart's templates/): identity and RBAC first, then configuration, the
 * workloads, the cluster-wide classes, metrics and the `helm test` Pods. Each `file` is unique. Every one is
 * rendered only when the top-level `enabled` value is true (lib/release-enabled.ts).
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
  ...metricsTemplates,
  helmTestTemplate,
].map(gatedOnEnabled);
