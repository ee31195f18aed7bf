import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CloudError } from '../../src/cloud/errors';
import { DRIVER_MAX, Microversions, parseVersionDocument, versionDocumentUrl, type VersionedService } from '../../src/cloud/microversions';
import { OpenStackCloud } from '../../src/cloud/openstack-cloud';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import { passwordConfig } from './support';

/** The documents of Debian 12's Cinder 21 and Nova 26 (Zed), as GET /v3/ and GET /v2.1/ answer them (trimmed). */
const CINDER_ZED = { versions: [{ id: 'v3.0', status: 'CURRENT', version: '3.70', min_version: '3.0', updated: '2023-08-31T00:00:00Z', links: [] }] };
const NOVA_ZED = { version: { id: 'v2.1', status: 'CURRENT', version: '2.93', min_version: '2.1', updated: '2013-07-23T11:33:21Z', links: [] } };
const NOVA_ROOT = { versions: [
  { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [] },
  { id: 'v2.1', status: 'CURRENT', version: '2.93', min_version: '2.1', updated: '2013-07-23T11:33:21Z', links: [] },
] };

/** A Microversions reading fixed documents, counting the reads. */
function fixed(docs: Record<VersionedService, unknown>, options: { ignoreVolumeMicroversion?: boolean } = {}): { mv: Microversions; reads: VersionedService[] } {
  const reads: VersionedService[] = [];
  const mv = new Microversions(async (service) => {
    reads.push(service);
    return { url: service === 'volume' ? 'http://cinder.example:8776/v3/' : 'http://nova.example:8774/v2.1/', body: docs[service] };
  }, options);
  return { mv, reads };
}

describe('microversion negotiation from the version documents', () => {
  test('parseVersionDocument reads Cinder\'s and Nova\'s documents, and Nova\'s root (v2.1 over v2.0)', () => {
    expect(parseVersionDocument(CINDER_ZED, 3)).toEqual({ min: { major: 3, minor: 0 }, max: { major: 3, minor: 70 } });
    expect(parseVersionDocument(NOVA_ZED, 2)).toEqual({ min: { major: 2, minor: 1 }, max: { major: 2, minor: 93 } });
    expect(parseVersionDocument(NOVA_ROOT, 2)).toEqual({ min: { major: 2, minor: 1 }, max: { major: 2, minor: 93 } });
    expect(parseVersionDocument(NOVA_ZED, 3)).toBeUndefined();
    expect(parseVersionDocument({ error: 'nope' }, 3)).toBeUndefined();
  });

  test('versionDocumentUrl cuts the catalog endpoint after its version segment', () => {
    expect(versionDocumentUrl('http://127.0.0.1:8776/v3/4f1b2c')).toBe('http://127.0.0.1:8776/v3/');
    expect(versionDocumentUrl('https://cloud.example/volume/v3/4f1b2c?x=1')).toBe('https://cloud.example/volume/v3/');
    expect(versionDocumentUrl('http://127.0.0.1:8774/v2.1')).toBe('http://127.0.0.1:8774/v2.1/');
    expect(versionDocumentUrl('http://127.0.0.1:8776/')).toBe('http://127.0.0.1:8776/');
  });

  test('each feature gets the highest version the driver needs on its service, one document read per service', async () => {
    const { mv, reads } = fixed({ volume: CINDER_ZED, compute: NOVA_ZED });
    expect(DRIVER_MAX).toEqual({ volume: { major: 3, minor: 50 }, compute: { major: 2, minor: 60 } });
    expect(await mv.forFeature('cinderAttachments')).toBe('3.50');
    expect(await mv.forFeature('cinderInUseExtend')).toBe('3.50');
    expect(await mv.forFeature('cinderMultiattach')).toBe('3.50');
    expect(await mv.forFeature('novaMultiattach')).toBe('2.60');
    expect(reads).toEqual(['volume', 'compute']);
  });

  test('an older cloud gets its own maximum where that suffices, and a clear refusal where it does not', async () => {
    const { mv } = fixed({
      volume: { versions: [{ id: 'v3.0', status: 'CURRENT', version: '3.44', min_version: '3.0' }] },
      compute: { version: { id: 'v2.1', status: 'CURRENT', version: '2.53', min_version: '2.1' } },
    });
    expect(await mv.forFeature('cinderInUseExtend')).toBe('3.44');
    expect(await mv.supports('cinderMultiattach')).toBe(false);
    const refused = await mv.forFeature('cinderMultiattach').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CloudError);
    expect(refused).toMatchObject({
      kind: 'Configuration',
      message: 'creating a multiattach volume needs Cinder microversion 3.50, but http://cinder.example:8776/v3/ accepts 3.0 to 3.44',
    });
    await expect(mv.forFeature('novaMultiattach')).rejects.toMatchObject({
      kind: 'Configuration',
      message: 'attaching a multiattach volume needs Nova microversion 2.60, but http://nova.example:8774/v2.1/ accepts 2.1 to 2.53',
    });
  });

  test('a document without the service\'s major is an error naming it; the next call reads it again', async () => {
    const { mv, reads } = fixed({ volume: { versions: [] }, compute: NOVA_ZED });
    await expect(mv.forFeature('cinderAttachments')).rejects.toMatchObject({
      kind: 'Unexpected', message: 'Cinder\'s version document at http://cinder.example:8776/v3/ has no v3 entry',
    });
    await expect(mv.forFeature('cinderAttachments')).rejects.toMatchObject({ kind: 'Unexpected' });
    expect(reads).toEqual(['volume', 'volume']);
  });

  test('[BlockStorage] ignore-volume-microversion: Cinder features send their own version without reading the document', async () => {
    const { mv, reads } = fixed({ volume: { versions: [] }, compute: NOVA_ZED }, { ignoreVolumeMicroversion: true });
    expect(await mv.forFeature('cinderInUseExtend')).toBe('3.42');
    expect(await mv.forFeature('cinderAttachments')).toBe('3.27');
    expect(reads).toEqual([]);
  });

  describe('against the emulator (which serves the documents as Cinder and Nova of Zed do)', () => {
    let emu: Emulator;
    let cloud: OpenStackCloud;
    const base = (): string => emu.authUrl.replace(/\/identity\/v3$/, '');
    beforeAll(async () => {
      emu = await startEmulator();
      cloud = new OpenStackCloud(passwordConfig(emu));
    });
    afterAll(async () => {
      cloud.close();
      await emu.close();
    });

    test('reads GET /v3/ and GET /v2.1/ and negotiates 3.50 and 2.60', async () => {
      expect(await cloud.microversions.range('volume')).toEqual({
        range: { min: { major: 3, minor: 0 }, max: { major: 3, minor: 70 } }, url: `${base()}/volume/v3/`,
      });
      expect(await cloud.microversions.range('compute')).toEqual({
        range: { min: { major: 2, minor: 1 }, max: { major: 2, minor: 93 } }, url: `${base()}/compute/v2.1/`,
      });
      expect(await cloud.microversions.forFeature('cinderInUseExtend')).toBe('3.50');
      expect(await cloud.microversions.forFeature('novaMultiattach')).toBe('2.60');
    });

    test('an in-use volume extends with the negotiated version', async () => {
      const server = emu.addServer();
      const volume = await cloud.createVolume({ name: 'mv-extend', sizeGiB: 1, metadata: {} });
      await untilStatus(cloud, volume.id, 'available');
      await cloud.attachVolume(server.id, volume.id, { multiattach: false });
      await untilStatus(cloud, volume.id, 'in-use');
      await cloud.extendVolume(volume.id, 2, { inUse: true });
      const grown = await untilStatus(cloud, volume.id, 'in-use', (v) => v.size === 2);
      expect(grown.size).toBe(2);
    });
  });
});

async function untilStatus(cloud: OpenStackCloud, id: string, status: string, also: (v: { size: number }) => boolean = () => true): Promise<{ size: number; status: string }> {
  for (let i = 0; i < 400; i++) {
    const v = await cloud.getVolume(id);
    if (v.status === status && also(v)) return v;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`volume ${id} never became ${status}`);
}
