/**
 * The rules a controller's cloud.conf [Global] section must satisfy, written ONCE as data: the driver checks them at
 * start-up (cloud-config.ts, `credentialProblem`), and the Helm chart and the cdk8s constructs translate the same
 * list into values rules (lib/values/rules.ts), so `helm install` refuses exactly the cloud configs the controller
 * would refuse, with the same words. Dependency-free on purpose: the root package imports this file as it is.
 *
 * Order matters: the driver reports the first rule that holds, and so does Helm. Each rule's condition includes the
 * branch it belongs to (application credential or password), so the list may also be read as independent rules
 * (the constructs report every one that holds).
 */

/** The [Global] fields the rules read; the names are also the chart's `cloudConfig.global.<field>` values keys. */
export type CredentialField =
  | 'authUrl'
  | 'username'
  | 'userId'
  | 'password'
  | 'userDomainName'
  | 'userDomainId'
  | 'projectName'
  | 'projectId'
  | 'projectDomainName'
  | 'projectDomainId'
  | 'domainName'
  | 'domainId'
  | 'applicationCredentialId'
  | 'applicationCredentialName'
  | 'applicationCredentialSecret'
  | 'trustId';

/** A condition over the fields: `set` is true when the field is a non-empty string. */
export type CredentialCondition =
  | { readonly op: 'set'; readonly field: CredentialField }
  | { readonly op: 'not'; readonly of: CredentialCondition }
  | { readonly op: 'all' | 'any'; readonly of: readonly CredentialCondition[] };

export interface CredentialRule {
  /** The cloud config is refused when this holds. */
  readonly refuseWhen: CredentialCondition;
  /** The field to set (or fix); the chart names it as `cloudConfig.global.<field>`. */
  readonly field: CredentialField;
  /** What the driver says, after `cloud config <files>: `; the chart says it after `cloudConfig.global.<field>: `. */
  readonly message: string;
}

const set = (field: CredentialField): CredentialCondition => ({ op: 'set', field });
const not = (of: CredentialCondition): CredentialCondition => ({ op: 'not', of });
const all = (...of: CredentialCondition[]): CredentialCondition => ({ op: 'all', of });
const any = (...of: CredentialCondition[]): CredentialCondition => ({ op: 'any', of });

const applicationCredential = any(set('applicationCredentialId'), set('applicationCredentialName'), set('applicationCredentialSecret'));
const passwordAuth = not(applicationCredential);
const userDomain = any(set('userDomainId'), set('userDomainName'), set('domainId'), set('domainName'));
const projectDomain = any(set('projectDomainId'), set('projectDomainName'), set('domainId'), set('domainName'));
const unscoped = all(not(set('trustId')), not(set('projectId')));

/** Every rule, in the order the driver checks them. */
export const CREDENTIAL_RULES: readonly CredentialRule[] = Object.freeze([
  {
    refuseWhen: not(set('authUrl')),
    field: 'authUrl',
    message: '[Global] auth-url is required by the controller service',
  },
  {
    refuseWhen: all(applicationCredential, not(set('applicationCredentialSecret'))),
    field: 'applicationCredentialSecret',
    message: '[Global] application-credential-secret is required with application-credential-id/-name',
  },
  {
    refuseWhen: all(applicationCredential, not(set('applicationCredentialId')), not(set('applicationCredentialName'))),
    field: 'applicationCredentialId',
    message: '[Global] application-credential-id (or application-credential-name) is required with application-credential-secret',
  },
  {
    refuseWhen: all(applicationCredential, not(set('applicationCredentialId')), not(set('userId')), not(set('username'))),
    field: 'username',
    message: '[Global] user-id or username is required with application-credential-name',
  },
  {
    refuseWhen: all(applicationCredential, not(set('applicationCredentialId')), not(set('userId')), not(userDomain)),
    field: 'userDomainName',
    message: '[Global] user-domain-name or user-domain-id is required with username and application-credential-name',
  },
  {
    refuseWhen: all(passwordAuth, not(set('userId')), not(set('username'))),
    field: 'username',
    message: '[Global] has no usable credentials: set username (or user-id) and password, or application-credential-id and application-credential-secret',
  },
  {
    refuseWhen: all(passwordAuth, set('userId'), not(set('password'))),
    field: 'password',
    message: '[Global] password is required with user-id',
  },
  {
    refuseWhen: all(passwordAuth, not(set('userId')), set('username'), not(set('password'))),
    field: 'password',
    message: '[Global] password is required with username',
  },
  {
    refuseWhen: all(passwordAuth, not(set('userId')), set('username'), not(userDomain)),
    field: 'userDomainName',
    message: '[Global] user-domain-name (or user-domain-id, domain-name, domain-id) is required with username',
  },
  {
    refuseWhen: all(passwordAuth, unscoped, not(set('projectName'))),
    field: 'projectName',
    message: '[Global] project-id or project-name (tenant-id/tenant-name) is required to scope the token',
  },
  {
    refuseWhen: all(passwordAuth, unscoped, set('projectName'), not(projectDomain)),
    field: 'projectDomainName',
    message: '[Global] project-domain-name (or project-domain-id, domain-name, domain-id) is required with project-name',
  },
] satisfies CredentialRule[]);

/** The fields as the driver holds them: absent or empty means not set. */
export type CredentialFields = { readonly [F in CredentialField]?: string };

/** Whether `condition` holds for `fields`. */
export function holds(condition: CredentialCondition, fields: CredentialFields): boolean {
  switch (condition.op) {
    case 'set': {
      const value = fields[condition.field];
      return value !== undefined && value !== '';
    }
    case 'not': return !holds(condition.of, fields);
    case 'all': return condition.of.every((c) => holds(c, fields));
    case 'any': return condition.of.some((c) => holds(c, fields));
  }
}

/** The first rule `fields` break (what the driver reports), or undefined when the controller can authenticate. */
export function firstBrokenCredentialRule(fields: CredentialFields): CredentialRule | undefined {
  return CREDENTIAL_RULES.find((rule) => holds(rule.refuseWhen, fields));
}
