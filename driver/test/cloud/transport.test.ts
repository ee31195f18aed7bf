import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { selectEndpoint } from '../../src/cloud/catalog';
import { CloudError } from '../../src/cloud/errors';
import { parseRetryAfter } from '../../src/cloud/http-transport';
import { OpenStackCloud } from '../../src/cloud/openstack-cloud';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import { passwordConfig } from './support';

const LIST = '/volume/v3/{project_id}/volumes/detail';
const CREATE = '/volume/v3/{project_id}/volumes';

describe('OpenStack HTTP client', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => emu.close());
  beforeEach(() => emu.faults.clear());

  const created = (name: string) => emu.volumes().filter((v) => v.name === name).length;

  test('a safe GET is retried through 503s and dropped connections, then succeeds', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    await cloud.listVolumes({});
    const r1 = emu.faults.add({ method: 'GET', path: LIST, count: 2, action: { kind: 'status', status: 503 } });
    const r2 = emu.faults.add({ method: 'GET', path: LIST, count: 1, action: { kind: 'drop' } });
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    expect(emu.faults.fired[r1]).toBe(2);
    expect(emu.faults.fired[r2]).toBe(1);
    cloud.close();
  });

  test('a GET that keeps failing gives up after maxAttempts with an Unavailable error', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { maxAttempts: 3 }));
    const rule = emu.faults.add({ method: 'GET', path: LIST, count: Infinity, action: { kind: 'status', status: 500, message: 'db down' } });
    const error = await cloud.listVolumes({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ kind: 'Unavailable', httpStatus: 500 });
    expect((error as Error).message).toContain('db down');
    expect(emu.faults.fired[rule]).toBe(3);
    cloud.close();
  });

  test('a POST create is NOT resent after a 503 (it may have been processed): one attempt, error surfaces', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    const rule = emu.faults.add({ method: 'POST', path: CREATE, count: 5, action: { kind: 'status', status: 503 } });
    await expect(cloud.createVolume({ name: 'no-resend', sizeGiB: 1, metadata: {} })).rejects.toMatchObject({ kind: 'Unavailable' });
    expect(emu.faults.fired[rule]).toBe(1);
    expect(created('no-resend')).toBe(0);
    cloud.close();
  });

  test('429 with Retry-After is retried even for a POST (rate limits reject before processing)', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    const rule = emu.faults.add({ method: 'POST', path: CREATE, count: 1, action: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
    const volume = await cloud.createVolume({ name: 'after-429', sizeGiB: 1, metadata: {} });
    expect(volume.name).toBe('after-429');
    expect(emu.faults.fired[rule]).toBe(1);
    expect(created('after-429')).toBe(1);
    cloud.close();
  });

  test('413 WITH Retry-After is a rate limit: waited out and retried', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    await cloud.listVolumes({});
    const rule = emu.faults.add({ method: 'GET', path: LIST, count: 1, action: { kind: 'status', status: 413, retryAfterSeconds: 1 } });
    const listed = await cloud.listVolumes({});
    expect(listed.items.map((v) => v.id).sort()).toEqual(emu.volumes().map((v) => v.id).sort());
    expect(emu.faults.fired[rule]).toBe(1);
    cloud.close();
  });

  test('413 without Retry-After is a quota error (OverLimit), not retried', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    const rule = emu.faults.add({ method: 'POST', path: CREATE, count: 3, action: { kind: 'status', status: 413, message: 'VolumeLimitExceeded' } });
    await expect(cloud.createVolume({ name: 'quota', sizeGiB: 1, metadata: {} })).rejects.toMatchObject({ kind: 'OverLimit', httpStatus: 413 });
    expect(emu.faults.fired[rule]).toBe(1);
    cloud.close();
  });

  test('a Retry-After longer than the caller deadline fails at once with the rate-limit error', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    await cloud.listVolumes({});
    emu.faults.add({ method: 'GET', path: LIST, count: 1, action: { kind: 'status', status: 429, retryAfterSeconds: 30 } });
    const deadline = Date.now() + 2000;
    await expect(cloud.listVolumes({}, { deadline, signal: AbortSignal.timeout(2000) })).rejects.toMatchObject({ kind: 'OverLimit' });
    cloud.close();
  });

  test('cancelling the caller aborts a slow request with CANCELLED', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu));
    await cloud.listVolumes({});
    emu.faults.add({ method: 'GET', path: LIST, count: 1, action: { kind: 'delay', ms: 1000 } });
    const controller = new AbortController();
    const pending = cloud.listVolumes({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: status.CANCELLED });
    cloud.close();
  });

  test('a request slower than the per-request timeout fails as Timeout (and a safe one is retried first)', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { requestTimeoutMs: 200, maxAttempts: 2 }));
    await cloud.listVolumes({});
    const rule = emu.faults.add({ method: 'GET', path: LIST, count: 2, action: { kind: 'delay', ms: 1000 } });
    await expect(cloud.listVolumes({})).rejects.toMatchObject({ kind: 'Timeout' });
    expect(emu.faults.fired[rule]).toBe(2);
    cloud.close();
  });

  test('Retry-After accepts delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('service catalog selection', () => {
  const catalog = [
    { type: 'block-storage', endpoints: [{ interface: 'public', region_id: 'R1', url: 'http://127.0.0.1:1/bs/' }] },
    {
      type: 'volumev3',
      endpoints: [
        { interface: 'public', region_id: 'R1', url: 'http://127.0.0.1:1/v3-public-r1' },
        { interface: 'internal', region_id: 'R1', url: 'http://127.0.0.1:1/v3-internal-r1' },
        { interface: 'public', region_id: 'R2', url: 'http://127.0.0.1:1/v3-public-r2' },
      ],
    },
  ];
  const types = ['volumev3', 'block-storage'];

  test('picks the preferred service type, then interface and region', () => {
    expect(selectEndpoint(catalog, types, 'public', 'R1')).toBe('http://127.0.0.1:1/v3-public-r1');
    expect(selectEndpoint(catalog, types, 'internal', 'R1')).toBe('http://127.0.0.1:1/v3-internal-r1');
    expect(selectEndpoint(catalog, types, 'public', 'R2')).toBe('http://127.0.0.1:1/v3-public-r2');
  });

  test('falls back to block-storage and strips the trailing slash', () => {
    expect(selectEndpoint(catalog.slice(0, 1), types, 'public', 'R1')).toBe('http://127.0.0.1:1/bs');
  });

  test('a missing region or interface is a configuration error naming what was looked for', () => {
    expect(() => selectEndpoint(catalog, types, 'admin', 'R1')).toThrow('no volumev3 or block-storage endpoint with interface admin in region R1');
    expect(() => selectEndpoint(catalog, ['compute'], 'public', undefined)).toThrow('catalog types: block-storage, volumev3');
  });

  test('against the emulator: a wrong region fails every call with a Configuration error', async () => {
    const emu = await startEmulator();
    try {
      const cloud = new OpenStackCloud(passwordConfig(emu, { region: 'Elsewhere' }));
      await expect(cloud.listVolumes({})).rejects.toMatchObject({ kind: 'Configuration' });
      const internal = new OpenStackCloud(passwordConfig(emu, { endpointInterface: 'internal' }));
      await expect(internal.listVolumes({})).resolves.toEqual({ items: [] });
      cloud.close();
      internal.close();
    } finally {
      await emu.close();
    }
  });
});

describe('TLS options', () => {
  let emu: Emulator;
  let dir: string;
  let proxy: https.Server;
  let httpsAuthUrl: string;

  beforeAll(async () => {
    emu = await startEmulator();
    dir = mkdtempSync(path.join(tmpdir(), 'cinder-csi-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'ca.pem'),
    ], { stdio: 'ignore' });
    // An HTTPS front for Keystone, forwarding to the emulator, as a TLS-terminating load balancer would.
    const upstream = new URL(emu.authUrl);
    proxy = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'ca.pem')) }, (req, res) => {
      const forward = http.request(
        { host: '127.0.0.1', port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    httpsAuthUrl = `https://127.0.0.1:${port}${upstream.pathname}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    await emu.close();
  });

  test('an untrusted certificate is refused by default', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { authUrl: httpsAuthUrl, maxAttempts: 1 }));
    await expect(cloud.listVolumes({})).rejects.toMatchObject({ kind: 'Network' });
    cloud.close();
  });

  test('ca-file makes the certificate trusted', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { authUrl: httpsAuthUrl, caFile: path.join(dir, 'ca.pem') }));
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    cloud.close();
  });

  test('tls-insecure skips verification', async () => {
    const cloud = new OpenStackCloud(passwordConfig(emu, { authUrl: httpsAuthUrl, tlsInsecure: true }));
    await expect(cloud.listVolumes({})).resolves.toEqual({ items: [] });
    cloud.close();
  });

  test('an unreadable ca-file is a configuration error naming ca-file', () => {
    expect(() => new OpenStackCloud(passwordConfig(emu, { caFile: path.join(dir, 'missing.pem') }))).toThrow('ca-file');
  });
});
