import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { OpenStackCloud } from '../../src/cloud/openstack-cloud';
import { proxyFor, proxySettingsFromEnv, type ProxySettings } from '../../src/cloud/proxy';
import { toCloudClientConfig } from '../../src/config/client-config';
import { parseCloudConfigText } from '../../src/config/cloud-config';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import { startTestProxy, type TestProxy } from '../helpers/http-proxy';
import { passwordConfig } from './support';

describe('proxy settings from the environment', () => {
  test('upper-case names win; lower-case ones are read when the upper-case ones are unset', () => {
    const settings = proxySettingsFromEnv({ HTTPS_PROXY: 'http://a:3128', https_proxy: 'http://b:3128', http_proxy: 'http://c:8080', no_proxy: ' .svc, Keystone.Internal ' });
    expect(settings.httpsProxy?.href).toBe('http://a:3128/');
    expect(settings.httpProxy?.href).toBe('http://c:8080/');
    expect(settings.noProxy).toEqual(['.svc', 'keystone.internal']);
  });

  test('none set: no proxy', () => {
    expect(proxySettingsFromEnv({})).toEqual({ httpProxy: undefined, httpsProxy: undefined, noProxy: [] });
  });

  test('a host:port without a scheme is an http proxy', () => {
    expect(proxySettingsFromEnv({ HTTP_PROXY: 'proxy.example:3128' }).httpProxy?.href).toBe('http://proxy.example:3128/');
  });

  test('a bad value is refused naming the variable', () => {
    expect(() => proxySettingsFromEnv({ HTTPS_PROXY: 'http://[bad' })).toThrow('HTTPS_PROXY: "http://[bad" is not a URL');
    expect(() => proxySettingsFromEnv({ HTTP_PROXY: 'https://proxy:443' })).toThrow('HTTP_PROXY: unsupported proxy protocol https:');
  });

  test('the driver\'s cloud client config carries the proxies of the environment', () => {
    const config = parseCloudConfigText('[Global]\nauth-url = http://keystone:5000/v3\nusername = u\npassword = p\n', { requireCredentials: false });
    const client = toCloudClientConfig(config, '', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'keystone' });
    expect(client.proxy?.httpsProxy?.host).toBe('proxy:3128');
    expect(client.proxy?.noProxy).toEqual(['keystone']);
  });
});

describe('NO_PROXY', () => {
  const settings = (noProxy: string): ProxySettings => proxySettingsFromEnv({ HTTP_PROXY: 'http://p:1', HTTPS_PROXY: 'http://p:2', NO_PROXY: noProxy });
  const direct = (noProxy: string, host: string, port = 443): boolean => proxyFor(settings(noProxy), 'https:', host, port) === undefined;

  test('a name matches itself and its subdomains, with or without a leading dot or *.', () => {
    expect(direct('example.org', 'example.org')).toBe(true);
    expect(direct('example.org', 'keystone.example.org')).toBe(true);
    expect(direct('.example.org', 'keystone.example.org')).toBe(true);
    expect(direct('*.example.org', 'keystone.example.org')).toBe(true);
    expect(direct('example.org', 'badexample.org')).toBe(false);
    expect(direct('example.org', 'example.org.evil')).toBe(false);
  });

  test('IP addresses and CIDRs, v4 and v6', () => {
    expect(direct('10.0.0.0/8', '10.1.2.3')).toBe(true);
    expect(direct('10.0.0.0/8', '11.1.2.3')).toBe(false);
    expect(direct('192.168.1.5', '192.168.1.5')).toBe(true);
    expect(direct('fd00::/8', '[fd00::1]')).toBe(true);
    expect(direct('::1', '::1')).toBe(true);
    expect(direct('10.0.0.0/8', 'keystone')).toBe(false);
  });

  test('an entry with a port matches that port only; * matches everything', () => {
    expect(direct('keystone:5000', 'keystone', 5000)).toBe(true);
    expect(direct('keystone:5000', 'keystone', 443)).toBe(false);
    expect(direct('*', 'anything.example')).toBe(true);
  });

  test('each scheme has its own proxy', () => {
    const only = proxySettingsFromEnv({ HTTPS_PROXY: 'http://p:2' });
    expect(proxyFor(only, 'http:', 'keystone', 80)).toBeUndefined();
    expect(proxyFor(only, 'https:', 'keystone', 443)?.port).toBe('2');
  });
});

describe('OpenStack calls through a proxy', () => {
  let emu: Emulator;
  let proxy: TestProxy;
  beforeAll(async () => {
    emu = await startEmulator();
    proxy = await startTestProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await emu.close();
  });
  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.authorizations.length = 0;
    proxy.refuseConnectWith = undefined;
  });

  test('http:// endpoints are requested from HTTP_PROXY in absolute form', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url }) }));
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    cloud.close();
    const origin = new URL(emu.authUrl).origin;
    expect(proxy.seen[0]).toBe(`POST ${emu.authUrl}/auth/tokens`);
    expect(proxy.seen.every((line) => line.startsWith(`GET ${origin}/`) || line.startsWith(`POST ${origin}/`))).toBe(true);
    expect(proxy.seen.some((line) => /^GET .*\/volumes\/detail/.test(line))).toBe(true);
  });

  test('proxy credentials in the URL are sent as Proxy-Authorization, decoded', async () => {
    const withUser = proxy.url.replace('http://', 'http://svc:p%3Ass@');
    const cloud = new OpenStackCloud(passwordConfig(emu, { proxy: proxySettingsFromEnv({ HTTP_PROXY: withUser }) }));
    await cloud.listVolumes({});
    cloud.close();
    expect(new Set(proxy.authorizations)).toEqual(new Set([`Basic ${Buffer.from('svc:p:ss').toString('base64')}`]));
  });

  test('a host matched by NO_PROXY is reached directly', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.0/8' }) }));
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    cloud.close();
    expect(proxy.seen).toEqual([]);
  });

  describe('https:// endpoints', () => {
    let dir: string;
    let front: https.Server;
    let httpsAuthUrl: string;
    let frontPort: number;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'cinder-csi-proxy-'));
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'ca.pem'),
      ], { stdio: 'ignore' });
      // An HTTPS front for Keystone, forwarding to the emulator.
      const upstream = new URL(emu.authUrl);
      front = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'ca.pem')) }, (req, res) => {
        const forward = http.request({ host: '127.0.0.1', port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        forward.on('error', () => res.destroy());
        req.pipe(forward);
      });
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
      frontPort = (front.address() as { port: number }).port;
      httpsAuthUrl = `https://127.0.0.1:${frontPort}${upstream.pathname}`;
    });
    afterAll(async () => {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    test('go through a CONNECT tunnel of HTTPS_PROXY, with TLS verified end to end (ca-file)', async () => {
      const settings = proxySettingsFromEnv({ HTTPS_PROXY: proxy.url });
      const cloud = new OpenStackCloud(passwordConfig(emu, { authUrl: httpsAuthUrl, caFile: path.join(dir, 'ca.pem'), proxy: settings }));
      await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
      cloud.close();
      expect(proxy.seen[0]).toBe(`CONNECT 127.0.0.1:${frontPort}`);
      // Keystone's catalog names the emulator's http:// endpoints, for which no HTTP_PROXY is set: direct.
      expect(proxy.seen.filter((line) => !line.startsWith('CONNECT '))).toEqual([]);
    });

    test('the endpoint\'s certificate is still checked inside the tunnel', async () => {
      const cloud = new OpenStackCloud(passwordConfig(emu, { authUrl: httpsAuthUrl, maxAttempts: 1, proxy: proxySettingsFromEnv({ HTTPS_PROXY: proxy.url }) }));
      await expect(cloud.listVolumes({})).rejects.toMatchObject({ kind: 'Network' });
      cloud.close();
      expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${frontPort}`]);
    });

    test('inside the tunnel the certificate must name the endpoint\'s host (one for 127.0.0.1 does not do for localhost)', async () => {
      const settings = proxySettingsFromEnv({ HTTPS_PROXY: proxy.url });
      const authUrl = httpsAuthUrl.replace('//127.0.0.1:', '//localhost:');
      const cloud = new OpenStackCloud(passwordConfig(emu, { authUrl, caFile: path.join(dir, 'ca.pem'), maxAttempts: 1, proxy: settings }));
      const error = await cloud.listVolumes({}).then(() => undefined, (e: unknown) => e as Error & { kind: string });
      cloud.close();
      expect([error?.kind, error?.message.includes('ERR_TLS_CERT_ALTNAME_INVALID')]).toEqual(['Network', true]);
      expect(proxy.seen).toEqual([`CONNECT localhost:${frontPort}`]);
    });

    test('a CONNECT the proxy refuses is a network error naming no credentials', async () => {
      proxy.refuseConnectWith = 403;
      const withUser = proxy.url.replace('http://', 'http://svc:hunter2@');
      const cloud = new OpenStackCloud(passwordConfig(emu, {
        authUrl: httpsAuthUrl, caFile: path.join(dir, 'ca.pem'), maxAttempts: 1, proxy: proxySettingsFromEnv({ HTTPS_PROXY: withUser }),
      }));
      const error = await cloud.listVolumes({}).then(() => undefined, (e: unknown) => e as Error & { kind: string });
      cloud.close();
      expect(error?.kind).toBe('Network');
      expect(error?.message).not.toContain('hunter2');
      expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${frontPort}`]);
    });
  });
});
