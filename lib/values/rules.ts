import {
  CREDENTIAL_RULES, CredentialCondition, CredentialField,
} from '../../driver/src/config/credential-rules';
import {
  and, Assertion, atMostOneTrue, Condition, eq, failWhen, memberOf, ne, not, or, Ref, uniqueField, valuesRef,
} from '../template';
import { CloudConfigMode } from './enums';
import type { CinderCsiValues, CloudConfigGlobalValues } from './index';

/*
 * The rules on values that the JSON Schema cannot express, written once: the constructs check them all
 * (resolveValues -> semanticProblems) and the chart's templates/validate.yaml fails `helm template` /
 * `helm install` at the first one with the same message. Not exported from ./index on purpose: the values
 * schema is generated from that module's types.
 *
 * The credential rules are not written here: they are the driver's own (driver/src/config/credential-rules.ts),
 * translated into conditions on `cloudConfig.global`, so the chart refuses exactly the [Global] sections the
 * controller would refuse at start-up, in the same order and with the driver's words after the values key.
 *
 * Messages name the key and what was expected, never a value given (credentials must not reach a log).
 */
const v = valuesRef<CinderCsiValues>();
const cc = v.cloudConfig;
const g = cc.global;

/** Every [Global] key, each of which the chart writes into cloud.conf in mode secret only. */
const GLOBAL_KEYS: ReadonlyArray<keyof CloudConfigGlobalValues> = [
  'authUrl', 'region', 'username', 'userId', 'password', 'userDomainName', 'userDomainId', 'projectName', 'projectId',
  'projectDomainName', 'projectDomainId', 'domainName', 'domainId', 'applicationCredentialId', 'applicationCredentialName',
  'applicationCredentialSecret', 'trustId', 'caFile', 'tlsInsecure', 'interface',
];

/** A driver credential condition as a template condition on `cloudConfig.global` (non-empty string = set). */
function condition(c: CredentialCondition): Condition {
  switch (c.op) {
    case 'set': return g[c.field] as Ref<string>;
    case 'not': return not(condition(c.of));
    case 'all':
    case 'any': {
      const parts = c.of.map(condition);
      if (parts.length === 1) return parts[0]!;
      return c.op === 'all' ? and(...parts) : or(...parts);
    }
  }
}

const globalKey = (field: CredentialField): string => `cloudConfig.global.${field}`;

const isSecretMode = eq(cc.mode, CloudConfigMode.SECRET);
/** Mode secret from the typed keys (not `raw`): only then does the chart write [Global] and check its credentials. */
const isTypedSecretMode = and(isSecretMode, not(cc.raw));
/** The typed keys `raw` replaces; `nodeVolumeAttachLimit` is not among them (it is a node flag too). */
const typedKeysSet = or(...GLOBAL_KEYS.map((k) => g[k]), cc.blockStorage.rescanOnResize, cc.blockStorage.ignoreVolumeAz, cc.metadata.searchOrder);

export const valuesRules: readonly Assertion[] = Object.freeze([
  atMostOneTrue(v.storageClasses, 'isDefault', 'name'),
  uniqueField(v.storageClasses, 'name'),
  atMostOneTrue(v.snapshots.classes, 'isDefault', 'name'),
  uniqueField(v.snapshots.classes, 'name'),
  uniqueField(v.volumeAttributesClasses.classes, 'name'),
  // Kubernetes refuses a pod with two volumes of one name.
  uniqueField(v.controller.extraVolumes, 'name'),
  uniqueField(v.node.extraVolumes, 'name'),
  memberOf(v.storageClasses, 'cloud', cc.cloudNames),
  memberOf(v.snapshots.classes, 'cloud', cc.cloudNames),
  failWhen(
    and(eq(cc.mode, CloudConfigMode.EXISTING_SECRET), not(cc.existingSecret.name)),
    'cloudConfig.existingSecret.name',
    'must be a non-empty Secret name when cloudConfig.mode is "existingSecret"',
  ),
  failWhen(
    and(ne(cc.mode, CloudConfigMode.SECRET), or(...GLOBAL_KEYS.map((k) => g[k]))),
    'cloudConfig.global',
    'must be empty unless cloudConfig.mode is "secret" (only that mode writes [Global]; the default mode is "existingSecret")',
  ),
  failWhen(
    and(cc.raw, ne(cc.mode, CloudConfigMode.SECRET)),
    'cloudConfig.raw',
    'must be empty unless cloudConfig.mode is "secret" (only that mode writes a cloud.conf)',
  ),
  failWhen(
    and(cc.raw, typedKeysSet),
    'cloudConfig.raw',
    'must be empty when a typed key of cloudConfig.global, cloudConfig.blockStorage (other than nodeVolumeAttachLimit) or cloudConfig.metadata is set: raw is the whole cloud.conf, so those would be ignored; put them into raw',
  ),
  failWhen(
    and(isTypedSecretMode, cc.cloudNames),
    'cloudConfig.cloudNames',
    'must be empty when cloudConfig.mode is "secret" without cloudConfig.raw (the typed keys write only [Global]; put the [Global "name"] sub-sections in cloudConfig.raw or in the cloud.conf of mode "existingSecret" or "hostPath")',
  ),
  failWhen(
    and(v.metrics.serviceMonitor.enabled, not(v.metrics.service.enabled)),
    'metrics.serviceMonitor.enabled',
    'needs metrics.service.enabled: true (the ServiceMonitor scrapes the metrics Services)',
  ),
  failWhen(
    and(v.tests.enabled, not(v.storageClasses)),
    'tests.enabled',
    'needs at least one entry in storageClasses (each test Pod claims a volume of one of the release\'s StorageClasses)',
  ),
  ...CREDENTIAL_RULES.map((rule) => failWhen(and(isTypedSecretMode, condition(rule.refuseWhen)), globalKey(rule.field), rule.message)),
]);
