import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import pino from 'pino';
import type { CallContext } from '../../src/grpc/call-context';
import { CsiError } from '../../src/grpc/errors';
import { readConfigDrive } from '../../src/metadata/config-drive';
import { parseMetaData } from '../../src/metadata/instance-metadata';
import { MetadataProvider } from '../../src/metadata/metadata-provider';
import { readMetadataService } from '../../src/metadata/metadata-service';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import { CinderNodeService } from '../../src/node/node-service';
import { resolveNodeServiceConfig, type MetadataConfig } from '../../src/node/node-config';
import { LoopFixture } from '../mounter/loop-fixture';
import { ext4ConfigDrive, isoConfigDrive, startMetadataServer, vfatConfigDrive, writeConfigDriveTree } from './metadata-fixtures';

const mounter = new LinuxMounter();
let fixture: LoopFixture;

beforeAll(async () => {
  fixture = await LoopFixture.create('metadata');
});

afterAll(async () => {
  const mountsLeft = await fixture.leftoverMounts();
  await fixture.cleanup();
  expect(mountsLeft).toEqual([]);
  expect(await fixture.leftoverLoops()).toEqual([]);
});

/** Labels unique to each test, so that drives of other tests on the machine are never picked up. */
function uniqueLabel(): string {
  return `cfg-${randomUUID().slice(0, 6)}`;
}

function metadataConfig(overrides: Partial<MetadataConfig>): MetadataConfig {
  return resolveNodeServiceConfig({ metadata: { requestTimeoutMs: 2_000, ...overrides } }).metadata;
}

describe('meta_data.json parsing', () => {
  it('takes the instance uuid and availability zone', () => {
    const uuid = randomUUID();
    expect(parseMetaData(JSON.stringify({ uuid, availability_zone: 'az-1', name: 'vm' }), 'test')).toEqual({
      uuid,
      availabilityZone: 'az-1',
    });
  });

  it.each([
    ['not json', /test: meta_data.json is not valid JSON/],
    ['[]', /not a JSON object/],
    ['{"availability_zone":"az"}', /field "uuid" is missing or not an instance uuid/],
    ['{"uuid":"../../etc"}', /field "uuid" is missing or not an instance uuid/],
    [`{"uuid":"${randomUUID()}","availability_zone":5}`, /field "availability_zone" is not a string/],
  ])('rejects %s with an error naming the problem', (text, message) => {
    expect(() => parseMetaData(text, 'test')).toThrow(message);
  });
});

describe('config drive', () => {
  // vfat and iso9660 are read through a mount where the kernel supports them and in user space where it does not;
  // ext4 always goes through mount, read, unmount.
  it.each([
    ['vfat', vfatConfigDrive],
    ['iso9660', isoConfigDrive],
    ['ext4', ext4ConfigDrive],
  ])('is found by its label on a %s filesystem, read, and left unmounted', async (_kind, make) => {
    const uuid = randomUUID();
    const label = uniqueLabel();
    await make(fixture, label, { uuid, availability_zone: 'zone-a' });
    expect(await readConfigDrive(mounter, { label })).toEqual({ uuid, availabilityZone: 'zone-a' });
    expect(await fixture.leftoverMounts()).toEqual([]);
  });

  it('is read in place when it is already mounted', async () => {
    const uuid = randomUUID();
    const dir = await fixture.mkdir('mounted-drive');
    await writeConfigDriveTree(dir, { uuid });
    expect(await readConfigDrive(mounter, { label: 'unused', mountedDir: dir })).toEqual({ uuid, availabilityZone: undefined });
  });

  it('reports a missing drive and a drive without meta_data.json clearly', async () => {
    const label = uniqueLabel();
    await expect(readConfigDrive(mounter, { label })).rejects.toThrow(`no config drive: no filesystem labelled ${label}`);
    const empty = await fixture.mkdir('empty-drive');
    await expect(readConfigDrive(mounter, { label, mountedDir: empty })).rejects.toThrow(
      /cannot read openstack\/latest\/meta_data.json \(ENOENT\)/,
    );
  });
});

describe('metadata service', () => {
  it('is asked for /openstack/latest/meta_data.json', async () => {
    const uuid = randomUUID();
    const server = await startMetadataServer(() => ({ uuid, availability_zone: 'zone-b' }));
    try {
      expect(await readMetadataService({ url: server.url, timeoutMs: 2_000 })).toEqual({ uuid, availabilityZone: 'zone-b' });
      expect(server.requests).toEqual(['/openstack/latest/meta_data.json']);
    } finally {
      await server.close();
    }
  });

  it.each([
    [500, /metadata service http:\/\/127.0.0.1:\d+\/openstack\/latest\/meta_data.json: HTTP 500/],
    ['<html>', /meta_data.json is not valid JSON/],
    ['hang', /no answer within 300 ms/],
  ] as const)('answering %s gives a clear error', async (answer, message) => {
    const server = await startMetadataServer(() => answer);
    try {
      await expect(readMetadataService({ url: server.url, timeoutMs: 300 })).rejects.toThrow(message);
    } finally {
      await server.close();
    }
  });

  it('that is not listening gives a clear error', async () => {
    const server = await startMetadataServer(() => 404);
    const url = server.url;
    await server.close();
    await expect(readMetadataService({ url, timeoutMs: 2_000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('search order', () => {
  it('takes the config drive first when it is listed first and present', async () => {
    const driveUuid = randomUUID();
    const label = uniqueLabel();
    await vfatConfigDrive(fixture, label, { uuid: driveUuid, availability_zone: 'drive-zone' });
    const server = await startMetadataServer(() => ({ uuid: randomUUID() }));
    try {
      const provider = new MetadataProvider(
        mounter,
        metadataConfig({ searchOrder: ['configDrive', 'metadataService'], configDriveLabel: label, metadataUrl: server.url }),
      );
      expect(await provider.get()).toEqual({ uuid: driveUuid, availabilityZone: 'drive-zone' });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('falls back to the metadata service when there is no config drive', async () => {
    const uuid = randomUUID();
    const server = await startMetadataServer(() => ({ uuid, availability_zone: 'svc-zone' }));
    try {
      const provider = new MetadataProvider(mounter, metadataConfig({ configDriveLabel: uniqueLabel(), metadataUrl: server.url }));
      expect(await provider.get()).toEqual({ uuid, availabilityZone: 'svc-zone' });
    } finally {
      await server.close();
    }
  });

  it('asks the metadata service first when it is listed first', async () => {
    const uuid = randomUUID();
    const dir = await fixture.mkdir('drive-second');
    await writeConfigDriveTree(dir, { uuid: randomUUID() });
    const server = await startMetadataServer(() => ({ uuid }));
    try {
      const provider = new MetadataProvider(
        mounter,
        metadataConfig({ searchOrder: ['metadataService', 'configDrive'], configDriveDir: dir, metadataUrl: server.url }),
      );
      expect((await provider.get()).uuid).toBe(uuid);
    } finally {
      await server.close();
    }
  });

  it('names every source that failed when none answers', async () => {
    const server = await startMetadataServer(() => 503);
    try {
      const label = uniqueLabel();
      const provider = new MetadataProvider(mounter, metadataConfig({ configDriveLabel: label, metadataUrl: server.url }));
      await expect(provider.get()).rejects.toThrow(
        new RegExp(`search order configDrive,metadataService\\): no config drive: no filesystem labelled ${label}; metadata service .*HTTP 503`),
      );
    } finally {
      await server.close();
    }
  });
});

describe('NodeGetInfo', () => {
  const ctx: CallContext = { signal: new AbortController().signal, deadline: undefined, log: pino({ level: 'silent' }) };

  it('reports the instance uuid as node id and the zone as topology, from metadata', async () => {
    const uuid = randomUUID();
    const server = await startMetadataServer(() => ({ uuid, availability_zone: 'az-7' }));
    try {
      const node = new CinderNodeService(resolveNodeServiceConfig({ maxVolumesPerNode: 64, metadata: { searchOrder: ['metadataService'], metadataUrl: server.url } }));
      expect(await node.nodeGetInfo({}, ctx)).toEqual({
        nodeId: uuid,
        maxVolumesPerNode: 64,
        accessibleTopology: { segments: { 'topology.cinder.csi.openstack.org/zone': 'az-7' } },
      });
    } finally {
      await server.close();
    }
  });

  it('lets an override replace the zone while the node id still comes from metadata', async () => {
    const uuid = randomUUID();
    const server = await startMetadataServer(() => ({ uuid, availability_zone: 'az-7' }));
    try {
      const node = new CinderNodeService(
        resolveNodeServiceConfig({ availabilityZoneOverride: 'rack-3', metadata: { searchOrder: ['metadataService'], metadataUrl: server.url } }),
      );
      const info = await node.nodeGetInfo({}, ctx);
      expect(info.nodeId).toBe(uuid);
      expect(info.accessibleTopology).toEqual({ segments: { 'topology.cinder.csi.openstack.org/zone': 'rack-3' } });
    } finally {
      await server.close();
    }
  });

  it('reports additional topology segments next to the zone', async () => {
    const node = new CinderNodeService(
      resolveNodeServiceConfig({
        nodeIdOverride: 'n1',
        availabilityZoneOverride: 'az-1',
        additionalTopology: { 'topology.kubernetes.io/region': 'r1' },
      }),
    );
    expect((await node.nodeGetInfo({}, ctx)).accessibleTopology).toEqual({
      segments: { 'topology.kubernetes.io/region': 'r1', 'topology.cinder.csi.openstack.org/zone': 'az-1' },
    });
  });

  it('needs no metadata at all when node id and zone are both given (bare metal)', async () => {
    const node = new CinderNodeService(
      resolveNodeServiceConfig({
        nodeIdOverride: 'metal-1',
        availabilityZoneOverride: 'dc-1',
        metadata: { searchOrder: ['metadataService'], metadataUrl: 'http://127.0.0.1:9' },
      }),
    );
    expect((await node.nodeGetInfo({}, ctx)).nodeId).toBe('metal-1');
  });

  it('answers UNAVAILABLE, saying what to configure, when no metadata source answers', async () => {
    const node = new CinderNodeService(
      resolveNodeServiceConfig({
        metadata: { searchOrder: ['configDrive', 'metadataService'], configDriveLabel: uniqueLabel(), metadataUrl: 'http://127.0.0.1:9', requestTimeoutMs: 1_000 },
      }),
    );
    const failure = await node.nodeGetInfo({}, ctx).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CsiError);
    expect(failure).toMatchObject({ code: status.UNAVAILABLE });
    expect((failure as Error).message).toMatch(/cannot determine the node id: .*set the node id and availability zone explicitly/);
  });
});

describe('node configuration', () => {
  it.each([
    [{ maxVolumesPerNode: 0 }, 'maxVolumesPerNode: expected a whole number of at least 1, got 0'],
    [{ kubeletDir: 'var/lib/kubelet' }, 'kubeletDir: expected an absolute path'],
    [{ metadata: { searchOrder: [] } }, 'metadata.searchOrder: expected one or more of configDrive, metadataService'],
    [{ metadata: { searchOrder: ['cloudInit' as 'configDrive'] } }, 'metadata.searchOrder: expected configDrive or metadataService, got "cloudInit"'],
    [{ metadata: { metadataUrl: 'ftp://x' } }, 'metadata.metadataUrl: expected an http(s) URL'],
    [{ nodeIdOverride: ' ' }, 'nodeIdOverride: expected a non-empty value'],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => resolveNodeServiceConfig(input)).toThrow(message);
  });

  it('defaults to an attach limit of 256, never 0 (unlimited)', () => {
    expect(resolveNodeServiceConfig().maxVolumesPerNode).toBe(256);
  });
});
