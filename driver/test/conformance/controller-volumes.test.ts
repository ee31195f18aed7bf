import type { ControllerRpcType__Output } from '../../src/grpc/csi-types';
import type { ControllerClient } from '../helpers/csi-client';
import { DriverUnderTest } from './driver-under-test';
import { blockCapability, Cleanup, createVolume, failure, GiB, MISSING_SNAPSHOT_ID, MISSING_VOLUME_ID, mountCapability, outcome } from './spec-support';

const ZONE_KEY = 'topology.cinder.csi.openstack.org/zone';

describe('CSI conformance: Controller service (volumes)', () => {
  let driver: DriverUnderTest;
  const cleanup = new Cleanup(() => driver);
  let capabilities: ControllerRpcType__Output[];
  beforeAll(async () => {
    driver = await DriverUnderTest.start({ extraZones: ['az2'] });
    capabilities = (await driver.controller.controllerGetCapabilities({})).capabilities.map((c) => c.rpc?.type ?? 'UNKNOWN');
  });
  afterEach(async () => cleanup.run());
  afterAll(async () => driver?.close());

  const c = (): ControllerClient => driver.controller;

  describe('ControllerGetCapabilities', () => {
    // spec.md ControllerGetCapabilities: "A Controller Plugin MUST implement this RPC call."
    it('lists only known capabilities, each once', () => {
      expect(capabilities).not.toContain('UNKNOWN');
      expect(new Set(capabilities).size).toBe(capabilities.length);
    });

    // spec.md: each "A Controller Plugin MUST implement this RPC call if it has <CAPABILITY>"; UNIMPLEMENTED is
    // what an RPC that is not implemented returns, so an advertised RPC must never answer it.
    const byCapability: Array<[ControllerRpcType__Output, Array<(c: ControllerClient) => Promise<unknown>>]> = [
      ['CREATE_DELETE_VOLUME', [(x) => x.createVolume({}), (x) => x.deleteVolume({})]],
      ['PUBLISH_UNPUBLISH_VOLUME', [(x) => x.controllerPublishVolume({}), (x) => x.controllerUnpublishVolume({})]],
      ['LIST_VOLUMES', [(x) => x.listVolumes({})]],
      ['GET_CAPACITY', [(x) => x.getCapacity({})]],
      ['CREATE_DELETE_SNAPSHOT', [(x) => x.createSnapshot({}), (x) => x.deleteSnapshot({})]],
      ['LIST_SNAPSHOTS', [(x) => x.listSnapshots({})]],
      ['EXPAND_VOLUME', [(x) => x.controllerExpandVolume({})]],
      ['GET_VOLUME', [(x) => x.controllerGetVolume({})]],
      ['MODIFY_VOLUME', [(x) => x.controllerModifyVolume({})]],
      ['GET_SNAPSHOT', [(x) => x.getSnapshot({})]],
    ];
    // Which capabilities are advertised is pinned (test/core/capabilities.test.ts); each is checked here, and the
    // RPCs of one not advertised (GET_CAPACITY, GET_SNAPSHOT) are still looked at: they must not pretend either way.
    it.each(byCapability)('implements the RPCs of %s when it advertises it', async (capability, calls) => {
      if (!capabilities.includes(capability)) {
        expect(['GET_CAPACITY', 'GET_SNAPSHOT']).toContain(capability);
        return;
      }
      for (const call of calls) expect(await outcome(call(c()))).not.toBe('UNIMPLEMENTED');
    });

    // spec.md: LIST_VOLUMES_PUBLISHED_NODES "The SP MUST also support PUBLISH_UNPUBLISH_VOLUME"; CLONE_VOLUME and
    // snapshot-sourced volumes need CREATE_DELETE_VOLUME ("Plugins MAY create 3 types of volumes").
    it('advertises the capabilities other capabilities depend on', () => {
      if (capabilities.includes('LIST_VOLUMES_PUBLISHED_NODES')) expect(capabilities).toContain('PUBLISH_UNPUBLISH_VOLUME');
      if (capabilities.includes('CLONE_VOLUME')) expect(capabilities).toContain('CREATE_DELETE_VOLUME');
    });

    // spec.md ValidateVolumeCapabilities: "A Controller Plugin MUST implement this RPC call." (no capability).
    it('implements ValidateVolumeCapabilities regardless of capabilities', async () => {
      expect(await outcome(c().validateVolumeCapabilities({}))).toBe('INVALID_ARGUMENT');
    });
  });

  describe('CreateVolume', () => {
    // spec.md CreateVolumeRequest.name / .volume_capabilities: "This field is REQUIRED"; Error Scheme: a missing
    // required field is 3 INVALID_ARGUMENT; a REQUIRED repeated field MUST contain at least 1 element.
    it('rejects a request without name with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().createVolume({ volumeCapabilities: [mountCapability()] }))).toBe('INVALID_ARGUMENT');
    });

    it('rejects a request without volume_capabilities with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().createVolume({ name: DriverUnderTest.name(), volumeCapabilities: [] }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md VolumeCapability.access_mode: "This is a REQUIRED field."; access_type: "One of the following
    // fields MUST be specified."
    it('rejects a capability without access_mode or without access type with INVALID_ARGUMENT', async () => {
      const name = DriverUnderTest.name();
      expect(await outcome(c().createVolume({ name, volumeCapabilities: [{ mount: {} }] }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(c().createVolume({ name, volumeCapabilities: [{ accessMode: { mode: 'SINGLE_NODE_WRITER' } }] }))).toBe(
        'INVALID_ARGUMENT',
      );
      expect(driver.emu.volumes().filter((v) => v.name === name)).toEqual([]);
    });

    // spec.md CreateVolumeRequest.volume_capabilities: "SP MUST provision a volume that will satisfy ALL of the
    // capabilities specified in this list. Otherwise SP MUST return the appropriate gRPC error code." A plain
    // Cinder volume type cannot be written from several nodes.
    it('refuses a list of capabilities one of which the volume type cannot satisfy, creating nothing', async () => {
      const name = DriverUnderTest.name();
      const call = c().createVolume({
        name,
        volumeCapabilities: [mountCapability(), blockCapability('MULTI_NODE_MULTI_WRITER')],
        capacityRange: { requiredBytes: GiB },
      });
      expect(await outcome(call)).toBe('INVALID_ARGUMENT');
      expect(driver.emu.volumes().filter((v) => v.name === name)).toEqual([]);
    });

    // spec.md Error Scheme: "Invalid or unsupported field in the request | 3 INVALID_ARGUMENT — one or more fields
    // ... not allowed by the Plugin". A misspelt StorageClass parameter must not be silently ignored.
    it('rejects a parameter it does not know with INVALID_ARGUMENT naming it, creating nothing', async () => {
      const name = DriverUnderTest.name();
      const call = c().createVolume({ name, volumeCapabilities: [mountCapability()], parameters: { tpye: 'standard' } });
      const { code, message } = await failure(call);
      expect(code).toBe('INVALID_ARGUMENT');
      expect(message).toContain('tpye');
      expect(driver.emu.volumes().filter((v) => v.name === name)).toEqual([]);
    });

    // spec.md Volume.volume_id: REQUIRED; CapacityRange: "Volume MUST be at least this big" (required_bytes) and
    // "MUST not be bigger than this" (limit_bytes).
    it('creates a volume with a volume_id and a capacity within [required_bytes, limit_bytes]', async () => {
      const name = DriverUnderTest.name();
      const res = await c().createVolume({
        name,
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: GiB + 1, limitBytes: 3 * GiB },
      });
      const volume = res.volume!;
      cleanup.volume(volume.volumeId);
      expect(volume.volumeId).not.toBe('');
      expect(volume.capacityBytes).toBeGreaterThanOrEqual(GiB + 1);
      expect(volume.capacityBytes).toBeLessThanOrEqual(3 * GiB);
      expect(driver.emu.volumes().filter((v) => v.id === volume.volumeId)).toHaveLength(1);
    });

    // spec.md CapacityRange: "To specify an exact size, required_bytes and limit_bytes SHALL be set to the same value."
    it('honours an exact size (required_bytes == limit_bytes)', async () => {
      const volume = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [blockCapability()],
        capacityRange: { requiredBytes: 2 * GiB, limitBytes: 2 * GiB },
      })).volume!;
      cleanup.volume(volume.volumeId);
      expect(volume.capacityBytes).toBe(2 * GiB);
    });

    // spec.md CreateVolume: "This operation MUST be idempotent. If a volume corresponding to the specified volume
    // name already exists ... and is compatible ..., the Plugin MUST reply 0 OK with the corresponding response."
    it('is idempotent: the same request twice yields the same volume and provisions storage once', async () => {
      const request = { name: DriverUnderTest.name(), volumeCapabilities: [mountCapability()], capacityRange: { requiredBytes: GiB } };
      const first = (await c().createVolume(request)).volume!;
      cleanup.volume(first.volumeId);
      const second = (await c().createVolume(request)).volume!;
      expect(second.volumeId).toBe(first.volumeId);
      expect(second.capacityBytes).toBe(first.capacityBytes);
      expect(second.accessibleTopology).toEqual(first.accessibleTopology);
      expect(second.volumeContext).toEqual(first.volumeContext);
      expect(driver.emu.volumes().filter((v) => v.name === request.name)).toHaveLength(1);
    });

    // spec.md CreateVolume Errors: "Volume already exists but is incompatible | 6 ALREADY_EXISTS" (capacity_range).
    it('answers ALREADY_EXISTS for the same name with an incompatible capacity_range', async () => {
      const name = DriverUnderTest.name();
      await createVolume(driver, cleanup, { name, requiredBytes: GiB });
      const repeat = c().createVolume({ name, volumeCapabilities: [mountCapability()], capacityRange: { requiredBytes: 5 * GiB } });
      expect(await outcome(repeat)).toBe('ALREADY_EXISTS');
      expect(driver.emu.volumes().filter((v) => v.name === name)).toHaveLength(1);
    });

    // spec.md CreateVolume Errors: "Volume already exists but is incompatible" also covers volume_content_source.
    it('answers ALREADY_EXISTS for the same name with a different volume_content_source', async () => {
      const name = DriverUnderTest.name();
      const source = await createVolume(driver, cleanup);
      await createVolume(driver, cleanup, { name });
      const repeat = c().createVolume({
        name,
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: GiB },
        volumeContentSource: { volume: { volumeId: source.volumeId } },
      });
      expect(await outcome(repeat)).toBe('ALREADY_EXISTS');
    });

    // spec.md CreateVolume Errors: "Unsupported capacity_range | 11 OUT_OF_RANGE". Cinder allocates whole GiB, so
    // a range holding no whole GiB cannot be honoured.
    it('answers OUT_OF_RANGE for a capacity range no volume can satisfy', async () => {
      const name = DriverUnderTest.name();
      const tooSmall = c().createVolume({ name, volumeCapabilities: [mountCapability()], capacityRange: { limitBytes: 1024 * 1024 } });
      expect(await outcome(tooSmall)).toBe('OUT_OF_RANGE');
      const between = c().createVolume({
        name,
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: 1.25 * GiB, limitBytes: 1.75 * GiB },
      });
      expect(await outcome(between)).toBe('OUT_OF_RANGE');
      expect(driver.emu.volumes().filter((v) => v.name === name)).toEqual([]);
    });

    // spec.md CapacityRange: required_bytes/limit_bytes "MUST NOT be negative", and a limit below the requirement
    // is contradictory. The general Error Scheme's INVALID_ARGUMENT and the RPC's OUT_OF_RANGE both name this case.
    it('refuses negative sizes and required_bytes above limit_bytes without creating anything', async () => {
      const name = DriverUnderTest.name();
      const negative = await outcome(c().createVolume({ name, volumeCapabilities: [mountCapability()], capacityRange: { requiredBytes: -1 } }));
      expect(['INVALID_ARGUMENT', 'OUT_OF_RANGE']).toContain(negative);
      const inverted = await outcome(
        c().createVolume({ name, volumeCapabilities: [mountCapability()], capacityRange: { requiredBytes: 3 * GiB, limitBytes: 2 * GiB } }),
      );
      expect(['INVALID_ARGUMENT', 'OUT_OF_RANGE']).toContain(inverted);
      expect(driver.emu.volumes().filter((v) => v.name === name)).toEqual([]);
    });

    // spec.md TopologyRequirement.requisite: "the provisioned volume MUST be accessible from at least one of the
    // requisite topologies"; Volume.accessible_topology tells the CO where.
    it('provisions in a requisite topology and reports it as accessible_topology', async () => {
      for (const zone of ['nova', 'az2']) {
        const volume = (await c().createVolume({
          name: DriverUnderTest.name(),
          volumeCapabilities: [mountCapability()],
          capacityRange: { requiredBytes: GiB },
          accessibilityRequirements: { requisite: [{ segments: { [ZONE_KEY]: zone } }], preferred: [] },
        })).volume!;
        cleanup.volume(volume.volumeId);
        expect(volume.accessibleTopology.map((t) => t.segments)).toEqual([{ [ZONE_KEY]: zone }]);
        expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.availabilityZone).toBe(zone);
      }
    });

    // spec.md TopologyRequirement: "If requisite is specified, all topologies in preferred list MUST also be
    // present in the list of requisite topologies" and the SP "MUST attempt ... the preferred topologies in order".
    it('chooses the first preferred topology when it is also requisite', async () => {
      const volume = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: GiB },
        accessibilityRequirements: {
          requisite: [{ segments: { [ZONE_KEY]: 'nova' } }, { segments: { [ZONE_KEY]: 'az2' } }],
          preferred: [{ segments: { [ZONE_KEY]: 'az2' } }, { segments: { [ZONE_KEY]: 'nova' } }],
        },
      })).volume!;
      cleanup.volume(volume.volumeId);
      expect(volume.accessibleTopology.map((t) => t.segments[ZONE_KEY])).toEqual(['az2']);
    });

    // spec.md TopologyRequirement.requisite: "The SP MUST ensure x >= 1. If x==n, then the SP MUST make the
    // provisioned volume available to all topologies from the list of requisite topologies. If it is unable to do
    // so, the SP MUST fail the CreateVolume call." This driver stands behind a zone Cinder does not have (Nova and
    // Cinder zones named differently; README "Zones"): it creates the volume in Cinder's default zone and reports it
    // accessible from exactly the requisite topology.
    it('creates a volume for a requisite zone Cinder does not have and reports it accessible from exactly that zone', async () => {
      const name = DriverUnderTest.name();
      const requisite = [{ segments: { [ZONE_KEY]: 'no-such-zone' } }];
      const result = (
        await c().createVolume({
          name,
          volumeCapabilities: [mountCapability()],
          capacityRange: { requiredBytes: GiB },
          accessibilityRequirements: { requisite, preferred: [] },
        })
      ).volume!;
      cleanup.volume(result.volumeId);
      expect(result.accessibleTopology.map((t) => t.segments)).toEqual(requisite.map((t) => t.segments));
      expect(driver.emu.volumes().filter((v) => v.name === name).map((v) => v.id)).toEqual([result.volumeId]);
    });

    // spec.md NodeGetInfo/Volume accessible_topology: the CO matches a volume's topology against the node's, so
    // every segment the volume reports must be one the node can report too (same keys).
    it('reports volume topology in the same keys NodeGetInfo uses', async () => {
      const volume = await createVolume(driver, cleanup);
      const node = await driver.node.nodeGetInfo({});
      for (const topology of volume.accessibleTopology) {
        for (const key of Object.keys(topology.segments)) expect(Object.keys(node.accessibleTopology?.segments ?? {})).toContain(key);
      }
      expect(volume.accessibleTopology.some((t) => t.segments[ZONE_KEY] === node.accessibleTopology?.segments[ZONE_KEY])).toBe(true);
    });

    // spec.md CreateVolume Errors: "Source does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a snapshot or volume content source that does not exist', async () => {
      const name = DriverUnderTest.name();
      const fromSnapshot = c().createVolume({
        name,
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: GiB },
        volumeContentSource: { snapshot: { snapshotId: MISSING_SNAPSHOT_ID } },
      });
      expect(await outcome(fromSnapshot)).toBe('NOT_FOUND');
      const fromVolume = c().createVolume({
        name,
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: GiB },
        volumeContentSource: { volume: { volumeId: MISSING_VOLUME_ID } },
      });
      expect(await outcome(fromVolume)).toBe('NOT_FOUND');
      expect(driver.emu.volumes().filter((v) => v.name === name)).toEqual([]);
    });

    // spec.md CLONE_VOLUME: "Plugins reporting CLONE_VOLUME capability MUST support creating a volume from another
    // volume"; CreateVolumeRequest.capacity_range "MUST always be honored, even when creating volumes from a source".
    it('clones a volume when CLONE_VOLUME is advertised, honouring a larger capacity', async () => {
      if (!capabilities.includes('CLONE_VOLUME')) return;
      const source = await createVolume(driver, cleanup);
      const clone = (await c().createVolume({
        name: DriverUnderTest.name(),
        volumeCapabilities: [mountCapability()],
        capacityRange: { requiredBytes: 2 * GiB },
        volumeContentSource: { volume: { volumeId: source.volumeId } },
      })).volume!;
      cleanup.volume(clone.volumeId);
      expect(clone.volumeId).not.toBe(source.volumeId);
      expect(clone.capacityBytes).toBeGreaterThanOrEqual(2 * GiB);
      expect(driver.emu.volumes().find((v) => v.id === clone.volumeId)?.sourceVolid).toBe(source.volumeId);
    });
  });

  describe('DeleteVolume', () => {
    // spec.md DeleteVolumeRequest.volume_id: "This field is REQUIRED."
    it('rejects a request without volume_id with INVALID_ARGUMENT', async () => {
      expect(await outcome(c().deleteVolume({}))).toBe('INVALID_ARGUMENT');
    });

    // spec.md DeleteVolume: "If a volume corresponding to the specified volume_id does not exist or the artifacts
    // associated with the volume do not exist anymore, the Plugin MUST reply 0 OK."
    it('answers OK for a volume that does not exist', async () => {
      expect(await outcome(c().deleteVolume({ volumeId: MISSING_VOLUME_ID }))).toBe('OK');
    });

    // spec.md DeleteVolume: "This operation MUST be idempotent."
    it('deletes the volume and answers OK again when repeated', async () => {
      const volume = (await c().createVolume({ name: DriverUnderTest.name(), volumeCapabilities: [mountCapability()] })).volume!;
      expect(await outcome(c().deleteVolume({ volumeId: volume.volumeId }))).toBe('OK');
      expect(await outcome(c().deleteVolume({ volumeId: volume.volumeId }))).toBe('OK');
      expect(driver.emu.volumes().filter((v) => v.id === volume.volumeId)).toEqual([]);
    });
  });

  describe('ValidateVolumeCapabilities', () => {
    // spec.md ValidateVolumeCapabilitiesRequest: volume_id and volume_capabilities are REQUIRED.
    it('rejects a request without volume_id or without volume_capabilities with INVALID_ARGUMENT', async () => {
      const volume = await createVolume(driver, cleanup);
      expect(await outcome(c().validateVolumeCapabilities({ volumeCapabilities: [mountCapability()] }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(c().validateVolumeCapabilities({ volumeId: volume.volumeId, volumeCapabilities: [] }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md ValidateVolumeCapabilities Errors: "Volume does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a volume that does not exist', async () => {
      expect(await outcome(c().validateVolumeCapabilities({ volumeId: MISSING_VOLUME_ID, volumeCapabilities: [mountCapability()] }))).toBe(
        'NOT_FOUND',
      );
    });

    // spec.md Confirmed.volume_capabilities: REQUIRED when confirmed; the CO compares them with what it asked, so
    // they must be the requested ones.
    it('confirms the capabilities the volume was created with, echoing them', async () => {
      const volume = await createVolume(driver, cleanup);
      const requested = [mountCapability(), blockCapability()];
      const res = await c().validateVolumeCapabilities({ volumeId: volume.volumeId, volumeContext: volume.volumeContext, volumeCapabilities: requested });
      expect(res.confirmed).not.toBeNull();
      expect(res.confirmed!.volumeCapabilities.map((cap) => [cap.accessType, cap.accessMode?.mode])).toEqual([
        ['mount', 'SINGLE_NODE_WRITER'],
        ['block', 'SINGLE_NODE_WRITER'],
      ]);
    });

    // spec.md ValidateVolumeCapabilities: "This RPC call SHALL return confirmed only if all the volume capabilities
    // specified in the request are supported." A plain Cinder volume cannot be written from several nodes.
    it('does not confirm when one capability is unsupported', async () => {
      const volume = await createVolume(driver, cleanup);
      const call = c().validateVolumeCapabilities({
        volumeId: volume.volumeId,
        volumeCapabilities: [mountCapability(), mountCapability('MULTI_NODE_MULTI_WRITER')],
      });
      const result = await call.then(
        (res) => ({ ok: true, confirmed: res.confirmed }),
        () => ({ ok: false, confirmed: null }),
      );
      expect(result.confirmed).toBeNull();
    });

    // spec.md ValidateVolumeCapabilities: "This operation MUST be idempotent."
    it('gives the same answer when repeated', async () => {
      const volume = await createVolume(driver, cleanup);
      const request = { volumeId: volume.volumeId, volumeCapabilities: [mountCapability()] };
      expect(await c().validateVolumeCapabilities(request)).toEqual(await c().validateVolumeCapabilities(request));
    });
  });
});
