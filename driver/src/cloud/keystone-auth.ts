import { CloudError } from './errors';
import type { CloudCredentials } from './config';

/** The JSON bodies POSTed to /v3/auth/tokens: one, or two for a trust (get a token, then rescope it to the trust). */
export interface AuthPlan {
  readonly method: 'password' | 'application_credential' | 'trust';
  /** Builds the request body; for a trust the first step's token id is passed in. */
  body(previousToken?: string): Record<string, unknown>;
}

type Ref = { id: string } | { name: string; domain: { id: string } | { name: string } };

function domainOf(name: string | undefined, id: string | undefined, field: string): { id: string } | { name: string } {
  if (id) return { id };
  if (name) return { name };
  throw new CloudError('Configuration', `${field}: expected a domain name or id when the name (not the id) is given`);
}

function userRef(c: CloudCredentials): Ref {
  if (c.userId) return { id: c.userId };
  if (c.username) {
    return {
      name: c.username,
      domain: domainOf(c.userDomainName ?? c.domainName, c.userDomainId ?? c.domainId, 'user-domain-name/user-domain-id'),
    };
  }
  throw new CloudError('Configuration', 'username/user-id: expected a user name (with its domain) or a user id');
}

function projectScope(c: CloudCredentials): Record<string, unknown> | undefined {
  if (c.projectId) return { project: { id: c.projectId } };
  if (c.projectName) {
    return {
      project: {
        name: c.projectName,
        domain: domainOf(c.projectDomainName ?? c.domainName, c.projectDomainId ?? c.domainId, 'project-domain-name/project-domain-id'),
      },
    };
  }
  return undefined;
}

function passwordIdentity(c: CloudCredentials): Record<string, unknown> {
  if (!c.password) throw new CloudError('Configuration', 'password: expected the user password');
  return { methods: ['password'], password: { user: { ...userRef(c), password: c.password } } };
}

/**
 * Chooses the Keystone v3 authentication from the credentials: application credential (id+secret or
 * name+user+secret; scoped by the credential itself), trust (the trustee's password token rescoped to the trust),
 * or password (user by id or name+domain, project by id or name+domain).
 */
export function planAuth(c: CloudCredentials): AuthPlan {
  if (c.applicationCredentialId || c.applicationCredentialName || c.applicationCredentialSecret) {
    if (!c.applicationCredentialSecret) {
      throw new CloudError('Configuration', 'application-credential-secret: expected the secret of the application credential');
    }
    const secret = c.applicationCredentialSecret;
    let credential: Record<string, unknown>;
    if (c.applicationCredentialId) {
      credential = { id: c.applicationCredentialId, secret };
    } else {
      credential = { name: c.applicationCredentialName, user: userRef(c), secret };
    }
    return {
      method: 'application_credential',
      body: () => ({ auth: { identity: { methods: ['application_credential'], application_credential: credential } } }),
    };
  }
  if (c.trustId) {
    const trustId = c.trustId;
    const identity = passwordIdentity(c);
    return {
      method: 'trust',
      body: (previousToken) =>
        previousToken === undefined
          ? { auth: { identity } }
          : {
              auth: {
                identity: { methods: ['token'], token: { id: previousToken } },
                scope: { 'OS-TRUST:trust': { id: trustId } },
              },
            },
    };
  }
  const identity = passwordIdentity(c);
  const scope = projectScope(c);
  if (!scope) {
    throw new CloudError('Configuration', 'tenant-name/tenant-id: expected a project name (with its domain) or a project id');
  }
  return { method: 'password', body: () => ({ auth: { identity, scope } }) };
}
