import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { OpenStackCloud } from '../../src/cloud/openstack-cloud';
import { CloudError } from '../../src/cloud/errors';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import { passwordConfig } from './support';

describe('Keystone tokens', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      applicationCredentials: [{ id: 'ac-id-1', name: 'csi-cred', secret: 'ac-secret' }],
      users: [{ id: 'trustee1', name: 'trustee', password: 'trustee-pw' }],
      trusts: [{ id: 'trust-1', trusteeUserId: 'trustee1' }],
    });
  });
  afterAll(async () => emu.close());

  test('many calls share one token: Keystone is asked once per token lifetime', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    const before = emu.counters.tokensIssued;
    await Promise.all([...Array(20).keys()].map(() => cloud.listVolumes({})));
    for (let i = 0; i < 10; i++) await cloud.getServer(emu.addServer().id);
    expect(emu.counters.tokensIssued - before).toBe(1);
    expect(cloud.tokensIssued).toBe(1);
    cloud.close();
  });

  test('after the token is revoked, concurrent callers hit 401 and share ONE renewal, and all succeed', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    await cloud.listVolumes({});
    emu.expireAllTokens();
    const before = emu.counters.tokensIssued;
    const results = await Promise.all([...Array(25).keys()].map(() => cloud.listVolumes({})));
    expect(results).toHaveLength(25);
    expect(emu.counters.tokensIssued - before).toBe(1);
    cloud.close();
  });

  test('a token rejected again right after its renewal is reported as a retryable Unavailable, not as bad credentials', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    await cloud.listVolumes({});
    const rule = emu.faults.add({ method: 'GET', path: '/volume/v3/{project_id}/volumes/detail', count: 2, action: { kind: 'expireToken' } });
    await expect(cloud.listVolumes({})).rejects.toMatchObject({ kind: 'Unavailable', httpStatus: 401 });
    expect(emu.faults.fired[rule]).toBe(2);
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    emu.faults.clear();
    cloud.close();
  });

  test('a token is renewed shortly before it expires, without waiting for a 401', async () => {
    const shortLived = await startEmulator({ tokenTtlSeconds: 1 });
    try {
      const cloud = new OpenStackCloud(passwordConfig(shortLived));
      await cloud.listVolumes({});
      // Margin is capped at half the lifetime: after 0.6 s of a 1 s token the client must renew.
      await new Promise((r) => setTimeout(r, 600));
      const before = shortLived.counters.requests['GET /volume/v3/{project_id}/volumes/detail'] ?? 0;
      await cloud.listVolumes({});
      expect(cloud.tokensIssued).toBe(2);
      // The renewal happened up front: exactly one more listing reached Cinder (no 401 + resend).
      expect(shortLived.counters.requests['GET /volume/v3/{project_id}/volumes/detail']).toBe(before + 1);
      cloud.close();
    } finally {
      await shortLived.close();
    }
  });

  test.each([
    ['user name + domain name, project name + domain name', {}],
    ['user id, project id', { username: undefined, userDomainName: undefined, projectName: undefined, projectDomainName: undefined }],
    ['domain id fallback for user and project', { userDomainName: undefined, projectDomainName: undefined, domainId: 'default' }],
  ])('password authentication works with %s', async (_label, overrides) => {
    const config = { ...passwordConfig(emu), ...overrides };
    const withIds = 'username' in overrides ? { ...config, userId: emu.userId, projectId: emu.projectId } : config;
    const cloud = new OpenStackCloud(withIds);
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    cloud.close();
  });

  test('application credential by id + secret, and by name + user + secret', async () => {
    const base = { authUrl: emu.authUrl, region: emu.region };
    const byId = new OpenStackCloud({ ...base, applicationCredentialId: 'ac-id-1', applicationCredentialSecret: 'ac-secret' });
    await expect(byId.listVolumes({})).resolves.toEqual({ items: [] });
    const byName = new OpenStackCloud({
      ...base, applicationCredentialName: 'csi-cred', applicationCredentialSecret: 'ac-secret', username: 'admin', userDomainName: 'Default',
    });
    await expect(byName.listVolumes({})).resolves.toEqual({ items: [] });
    byId.close();
    byName.close();
  });

  test('trust: the trustee password token is rescoped to the trust', async () => {
    const cloud = new OpenStackCloud({
      authUrl: emu.authUrl, region: emu.region, username: 'trustee', password: 'trustee-pw', userDomainName: 'Default', trustId: 'trust-1',
    });
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    expect(cloud.tokensIssued).toBe(2);
    cloud.close();
  });

  test('wrong password fails as Unauthorized and the error never contains the password', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { password: 'very-secret-wrong-pw' }));
    const error = await cloud.listVolumes({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ kind: 'Unauthorized', httpStatus: 401 });
    expect(JSON.stringify(error) + String((error as Error).message) + String((error as Error).stack)).not.toContain('very-secret-wrong-pw');
    cloud.close();
  });

  test.each([
    ['password', { password: undefined }],
    ['username/user-id', { username: undefined }],
    ['tenant-name/tenant-id', { projectName: undefined }],
    ['user-domain-name', { userDomainName: undefined }],
    ['auth-url', { authUrl: 'keystone:5000' }],
    ['application-credential-secret', { applicationCredentialId: 'x' }],
  ])('bad or incomplete credentials are refused up front naming the setting %s', (field, overrides) => {
    expect(() => new OpenStackCloud(passwordConfig(emu, overrides as never))).toThrow(field);
  });
});
