import { and, Assertion, atMostOneTrue, eq, failWhen, not, or, uniqueField, valuesRef } from '../template';
import { CloudConfigMode } from './enums';
import type { CinderCsiValues } from './index';

/*
 * The rules on values that the JSON Schema cannot express, written once: the constructs check them all
 * (resolveValues -> semanticProblems) and the chart's templates/validate.yaml fails `helm template` /
 * `helm install` at the first one with the same message. Not exported from ./index on purpose: the values
 * schema is generated from that module's types.
 *
 * Messages name the key and what was expected, never a value given (credentials must not reach a log).
 */
const v = valuesRef<CinderCsiValues>();
const cc = v.cloudConfig;
const g = cc.global;

export const valuesRules: readonly Assertion[] = Object.freeze([
  atMostOneTrue(v.storageClasses, 'isDefault', 'name'),
  uniqueField(v.storageClasses, 'name'),
  atMostOneTrue(v.snapshots.classes, 'isDefault', 'name'),
  uniqueField(v.snapshots.classes, 'name'),
  failWhen(
    and(eq(cc.mode, CloudConfigMode.EXISTING_SECRET), not(cc.existingSecret.name)),
    'cloudConfig.existingSecret.name',
    'must be a non-empty Secret name when cloudConfig.mode is "existingSecret"',
  ),
  failWhen(
    and(eq(cc.mode, CloudConfigMode.SECRET), or(g.username, g.userId), not(g.password)),
    'cloudConfig.global.password',
    'must be a non-empty string when cloudConfig.global.username or userId is set',
  ),
  failWhen(
    and(eq(cc.mode, CloudConfigMode.SECRET), g.password, not(or(g.username, g.userId))),
    'cloudConfig.global.username',
    'must be set (or userId) when cloudConfig.global.password is set',
  ),
  failWhen(
    and(eq(cc.mode, CloudConfigMode.SECRET), or(g.applicationCredentialId, g.applicationCredentialName), not(g.applicationCredentialSecret)),
    'cloudConfig.global.applicationCredentialSecret',
    'must be a non-empty string when an application credential id or name is set',
  ),
]);
