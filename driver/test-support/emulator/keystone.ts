import { randomBytes } from 'node:crypto';
import type { Context, UserRecord } from './context';
import { ApiError } from './errors';
import type { ApiRequest, ApiResponse, Router } from './router';
import { keystoneTime, type TokenRecord } from './state';

const PREFIX = '/identity';
const UNAUTHORIZED = 'The request you have made requires authentication.';

const unauthorized = (): ApiError => new ApiError(401, UNAUTHORIZED, 'keystone');
const invalid = (message: string): ApiError => new ApiError(400, message, 'keystone');

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function versionDocument(baseUrl: string): Json {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${baseUrl}${PREFIX}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export function registerKeystone(router: Router, ctx: Context): void {
  const cfg = ctx.config;
  const domain = { id: cfg.domainId, name: cfg.domainName };

  router.add('GET', PREFIX, (req) => ({
    status: 300,
    body: { versions: { values: [versionDocument(req.baseUrl)] } },
  }));
  router.add('GET', `${PREFIX}/v3`, (req) => ({ status: 200, body: { version: versionDocument(req.baseUrl) } }));

  const domainMatches = (d: Json | undefined): boolean => {
    if (!d) return false;
    if (d.id !== undefined) return d.id === cfg.domainId;
    return d.name === cfg.domainName;
  };

  const findUser = (spec: Json | undefined): UserRecord | undefined => {
    if (!spec) throw invalid("Invalid input for field 'identity/password/user': expected an object.");
    const id = str(spec.id);
    if (id) return cfg.users.find((u) => u.id === id);
    const name = str(spec.name);
    if (!name) throw invalid("Invalid input for field 'user': expected 'id' or 'name' with 'domain'.");
    if (!obj(spec.domain)) throw invalid("Invalid input for field 'user/domain': a user name needs a domain id or name.");
    if (!domainMatches(obj(spec.domain))) return undefined;
    return cfg.users.find((u) => u.name === name);
  };

  const checkProjectScope = (scope: Json | undefined): string | undefined => {
    if (!scope) return undefined;
    const project = obj(scope.project);
    if (!project) {
      if (scope.domain !== undefined || scope.system !== undefined) throw unauthorized();
      throw invalid("Invalid input for field 'scope': expected 'project' or 'OS-TRUST:trust'.");
    }
    if (str(project.id)) {
      if (project.id !== cfg.projectId) throw unauthorized();
    } else if (str(project.name)) {
      if (!obj(project.domain)) throw invalid("Invalid input for field 'scope/project/domain': required with a name.");
      if (project.name !== cfg.projectName || !domainMatches(obj(project.domain))) throw unauthorized();
    } else {
      throw invalid("Invalid input for field 'scope/project': expected 'id' or 'name'.");
    }
    return cfg.projectId;
  };

  const liveToken = (id: string | undefined): TokenRecord | undefined => {
    if (!id) return undefined;
    const t = ctx.state.tokens.get(id);
    if (!t || t.revoked || t.expiresAt <= Date.now()) return undefined;
    return t;
  };

  const issue = (t: Omit<TokenRecord, 'id' | 'issuedAt' | 'expiresAt' | 'revoked'>): TokenRecord => {
    const now = Date.now();
    const record: TokenRecord = {
      ...t,
      id: `gAAAAAB${randomBytes(60).toString('base64url')}`,
      issuedAt: now,
      expiresAt: now + cfg.tokenTtlSeconds * 1000,
      revoked: false,
    };
    ctx.state.tokens.set(record.id, record);
    ctx.counters.tokensIssued++;
    return record;
  };

  const tokenBody = (t: TokenRecord, baseUrl: string): Json => {
    const user = cfg.users.find((u) => u.id === t.userId) as UserRecord;
    const token: Json = {
      methods: t.methods,
      user: { id: user.id, name: user.name, domain, password_expires_at: null },
      audit_ids: [randomBytes(16).toString('base64url').slice(0, 22)],
      expires_at: keystoneTime(t.expiresAt),
      issued_at: keystoneTime(t.issuedAt),
    };
    if (t.projectId) {
      token.project = { id: cfg.projectId, name: cfg.projectName, domain };
      token.is_domain = false;
      token.roles = [
        { id: 'a2e0c8e6a7b54a0d9bd2f9c7a8e4a0c1', name: 'admin' },
        { id: 'f1b4a3d5c6e7489aa0b1c2d3e4f5a6b7', name: 'member' },
        { id: '0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f', name: 'reader' },
      ];
      token.catalog = catalog(baseUrl, cfg.region, cfg.projectId);
    }
    if (t.applicationCredentialId) {
      const ac = cfg.applicationCredentials.find((a) => a.id === t.applicationCredentialId);
      token.application_credential = { id: ac?.id, name: ac?.name ?? ac?.id, restricted: ac?.restricted ?? true };
    }
    if (t.trustId) {
      const trust = cfg.trusts.find((x) => x.id === t.trustId);
      token['OS-TRUST:trust'] = {
        id: t.trustId,
        impersonation: trust?.impersonation ?? false,
        trustee_user: { id: trust?.trusteeUserId ?? cfg.mainUser.id },
        trustor_user: { id: cfg.mainUser.id },
      };
    }
    return token;
  };

  router.add('POST', `${PREFIX}/v3/auth/tokens`, (req: ApiRequest): ApiResponse => {
    const auth = obj(obj(req.body)?.auth);
    if (!auth) throw invalid("Invalid input for field 'auth': expected an object.");
    const identity = obj(auth.identity);
    if (!identity) throw invalid("Invalid input for field 'identity': 'identity' is a required property.");
    const methods = identity.methods;
    if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => typeof m === 'string')) {
      throw invalid("Invalid input for field 'identity/methods': expected a non-empty list of strings.");
    }
    const scope = obj(auth.scope);
    const method = methods[0] as string;
    let record: TokenRecord;
    if (method === 'password') {
      const password = obj(identity.password);
      const user = findUser(obj(password?.user));
      if (!user || obj(password?.user)?.password !== user.password) throw unauthorized();
      record = issue({ userId: user.id, projectId: checkProjectScope(scope), methods: ['password'] });
    } else if (method === 'application_credential') {
      const spec = obj(identity.application_credential);
      if (!spec) throw invalid("Invalid input for field 'identity/application_credential': expected an object.");
      const secret = str(spec.secret);
      if (!secret) throw invalid("Invalid input for field 'application_credential/secret': required.");
      let ac: (typeof cfg.applicationCredentials)[number] | undefined;
      if (str(spec.id)) {
        ac = cfg.applicationCredentials.find((a) => a.id === spec.id);
      } else if (str(spec.name)) {
        const owner = findUser(obj(spec.user));
        ac = cfg.applicationCredentials.find(
          (a) => (a.name ?? a.id) === spec.name && (a.userId ?? cfg.mainUser.id) === owner?.id,
        );
      } else {
        throw invalid("Invalid input for field 'application_credential': expected 'id', or 'name' and 'user'.");
      }
      if (!ac || ac.secret !== secret) throw unauthorized();
      // Keystone refuses any explicit scope with an application credential: it is bound to its project.
      if (scope) throw unauthorized();
      record = issue({
        userId: ac.userId ?? cfg.mainUser.id,
        projectId: cfg.projectId,
        methods: ['application_credential'],
        applicationCredentialId: ac.id,
      });
    } else if (method === 'token') {
      const subject = liveToken(str(obj(identity.token)?.id));
      if (!subject) throw new ApiError(404, 'Could not find token.', 'keystone');
      const trustScope = obj(scope?.['OS-TRUST:trust']);
      if (trustScope) {
        const trust = cfg.trusts.find((x) => x.id === trustScope.id);
        if (!trust) throw new ApiError(404, `Could not find trust: ${String(trustScope.id)}.`, 'keystone');
        if ((trust.trusteeUserId ?? cfg.mainUser.id) !== subject.userId) {
          throw new ApiError(403, 'You are not authorized to perform the requested action.', 'keystone');
        }
        record = issue({
          userId: trust.impersonation ? cfg.mainUser.id : subject.userId,
          projectId: cfg.projectId,
          methods: ['token'],
          trustId: trust.id,
        });
      } else {
        record = issue({ userId: subject.userId, projectId: checkProjectScope(scope), methods: ['token'] });
      }
    } else {
      throw unauthorized();
    }
    return {
      status: 201,
      headers: { 'X-Subject-Token': record.id },
      body: { token: tokenBody(record, req.baseUrl) },
    };
  });

  router.add('GET', `${PREFIX}/v3/auth/tokens`, (req) => {
    if (!liveToken(header(req, 'x-auth-token'))) throw unauthorized();
    const subject = liveToken(header(req, 'x-subject-token'));
    if (!subject) throw new ApiError(404, 'Could not find token.', 'keystone');
    return { status: 200, headers: { 'X-Subject-Token': subject.id }, body: { token: tokenBody(subject, req.baseUrl) } };
  });

  router.add('DELETE', `${PREFIX}/v3/auth/tokens`, (req) => {
    if (!liveToken(header(req, 'x-auth-token'))) throw unauthorized();
    const subject = liveToken(header(req, 'x-subject-token'));
    if (!subject) throw new ApiError(404, 'Could not find token.', 'keystone');
    subject.revoked = true;
    return { status: 204 };
  });
}

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function catalog(baseUrl: string, region: string, projectId: string): Json[] {
  const service = (type: string, name: string, url: string, n: number): Json => ({
    id: `${n}${'0'.repeat(31)}`.slice(0, 32),
    type,
    name,
    endpoints: ['public', 'internal', 'admin'].map((iface, i) => ({
      id: `${n}${i}${'e'.repeat(30)}`,
      interface: iface,
      region,
      region_id: region,
      url,
    })),
  });
  return [
    service('identity', 'keystone', `${baseUrl}${PREFIX}/v3`, 1),
    service('volumev3', 'cinderv3', `${baseUrl}/volume/v3/${projectId}`, 2),
    service('block-storage', 'cinder', `${baseUrl}/volume/v3/${projectId}`, 3),
    service('compute', 'nova', `${baseUrl}/compute/v2.1`, 4),
  ];
}
