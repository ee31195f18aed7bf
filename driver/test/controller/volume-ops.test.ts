import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { blockCap, ControllerHarness, failure, GiB, mountCap } from './harness';

const MISSING = '00000000-0000-0000-0000-000000000000';

describe('list, get, validate, expand, modify, capabilities', () => {
  let h: ControllerHarness;
  let node: string;
  beforeAll(async () => {
    h = await ControllerHarness.start({ quotas: { volumes: 50, gigabytes: 300 } });
    node = h.emu.addServer().id;
  });
  afterAll(async () => h.close());
  beforeEach(() => h.emu.faults.clear());

  const create = async (name: string, extra: Record<string, unknown> = {}): Promise<string> =>
    (await h.controller.createVolume({ name, volumeCapabilities: [mountCap()], ...extra })).volume!.volumeId;
  const stored = (id: string) => h.emu.volumes().find((v) => v.id === id);

  test('ListVolumes pages through every volume with published node ids; a bad token is ABORTED', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await create(`list-${i}`));
    await h.controller.controllerPublishVolume({ volumeId: ids[0] as string, nodeId: node, volumeCapability: mountCap() });
    const seen = new Map<string, string[]>();
    let token = '';
    let pages = 0;
    do {
      const page = await h.controller.listVolumes({ maxEntries: 2, startingToken: token });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      for (const e of page.entries) seen.set(e.volume!.volumeId, e.status!.publishedNodeIds);
      token = page.nextToken;
      pages++;
    } while (token !== '' && pages < 50);
    expect(new Set(seen.keys())).toEqual(new Set(h.emu.volumes().map((v) => v.id)));
    expect(seen.get(ids[0] as string)).toEqual([node]);
    expect(seen.get(ids[1] as string)).toEqual([]);
    const all = await h.controller.listVolumes({});
    expect(all.entries).toHaveLength(h.emu.volumes().length);
    expect(all.nextToken).toBe('');
    expect((await failure(h.controller.listVolumes({ startingToken: 'not-a-token' }))).code).toBe(status.ABORTED);
    expect((await failure(h.controller.listVolumes({ startingToken: `v1.${MISSING}` }))).code).toBe(status.ABORTED);
    await h.controller.controllerUnpublishVolume({ volumeId: ids[0] as string, nodeId: node });
  });

  test('ListVolumes never hands out an empty last page, even when the volumes fill the last page exactly', async () => {
    for (let i = 0; i < 3; i++) await create(`exact-${i}`);
    const total = h.emu.volumes().length;
    // A page size dividing the total: Cinder links a next page after every full page, even the last one.
    const max = total % 3 === 0 ? 3 : total % 2 === 0 ? 2 : 1;
    const sizes: number[] = [];
    let token = '';
    do {
      const page = await h.controller.listVolumes({ maxEntries: max, startingToken: token });
      sizes.push(page.entries.length);
      token = page.nextToken;
    } while (token !== '' && sizes.length < 100);
    expect(sizes).toEqual(Array.from({ length: total / max }, () => max));
  });

  test('ControllerGetVolume reports size, zone, publication and a healthy condition; NOT_FOUND when missing', async () => {
    const id = await create('get-1', { capacityRange: { requiredBytes: 3 * GiB } });
    const res = await h.controller.controllerGetVolume({ volumeId: id });
    expect(res.volume!.capacityBytes).toBe(3 * GiB);
    expect(res.status!.volumeCondition).toMatchObject({ abnormal: false });
    expect(res.status!.publishedNodeIds).toEqual([]);
    expect((await failure(h.controller.controllerGetVolume({ volumeId: MISSING }))).code).toBe(status.NOT_FOUND);
  });

  test('a volume Cinder reports in error has an abnormal condition naming the status (GetVolume and ListVolumes)', async () => {
    const id = await create('get-err');
    await h.cloud.session.request({
      service: 'volume', method: 'POST', path: `/volumes/${id}/action`, body: { 'os-reset_status': { status: 'error' } }, operation: 'reset status',
    });
    const res = await h.controller.controllerGetVolume({ volumeId: id });
    expect(res.status!.volumeCondition).toEqual({ abnormal: true, message: 'Cinder reports volume status error' });
    const listed = (await h.controller.listVolumes({})).entries.find((e) => e.volume!.volumeId === id);
    expect(listed?.status?.volumeCondition?.abnormal).toBe(true);
  });

  test('ValidateVolumeCapabilities confirms supported capabilities only', async () => {
    const id = await create('validate-1');
    const ok = await h.controller.validateVolumeCapabilities({ volumeId: id, volumeCapabilities: [mountCap(), blockCap()] });
    expect(ok.confirmed?.volumeCapabilities).toHaveLength(2);
    const rwx = await h.controller.validateVolumeCapabilities({ volumeId: id, volumeCapabilities: [blockCap('MULTI_NODE_MULTI_WRITER')] });
    expect(rwx.confirmed).toBeFalsy();
    expect(rwx.message).toContain('multiattach');
    const badParam = await h.controller.validateVolumeCapabilities({ volumeId: id, volumeCapabilities: [mountCap()], parameters: { nope: '1' } });
    expect(badParam.confirmed).toBeFalsy();
    expect((await failure(h.controller.validateVolumeCapabilities({ volumeId: MISSING, volumeCapabilities: [mountCap()] }))).code).toBe(status.NOT_FOUND);
    expect((await failure(h.controller.validateVolumeCapabilities({ volumeId: id }))).code).toBe(status.INVALID_ARGUMENT);
  });

  test('ControllerExpandVolume grows offline and online volumes; filesystems need node expansion, block does not', async () => {
    const id = await create('expand-1');
    const offline = await h.controller.controllerExpandVolume({ volumeId: id, capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: mountCap() });
    expect(offline).toMatchObject({ capacityBytes: 2 * GiB, nodeExpansionRequired: true });
    expect(stored(id)?.size).toBe(2);
    await h.controller.controllerPublishVolume({ volumeId: id, nodeId: node, volumeCapability: mountCap() });
    const online = await h.controller.controllerExpandVolume({ volumeId: id, capacityRange: { requiredBytes: 2.5 * GiB }, volumeCapability: blockCap() });
    expect(online).toMatchObject({ capacityBytes: 3 * GiB, nodeExpansionRequired: false });
    expect(stored(id)).toMatchObject({ size: 3, status: 'in-use' });
    const repeat = await h.controller.controllerExpandVolume({ volumeId: id, capacityRange: { requiredBytes: 3 * GiB } });
    expect(repeat.capacityBytes).toBe(3 * GiB);
    await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: node });
  });

  test('ControllerExpandVolume errors: NOT_FOUND, OUT_OF_RANGE, INVALID_ARGUMENT, and a failed extend is reported', async () => {
    const id = await create('expand-2');
    expect((await failure(h.controller.controllerExpandVolume({ volumeId: MISSING, capacityRange: { requiredBytes: 2 * GiB } }))).code).toBe(status.NOT_FOUND);
    expect((await failure(h.controller.controllerExpandVolume({ volumeId: id, capacityRange: { requiredBytes: 2.5 * GiB, limitBytes: 2.7 * GiB } }))).code).toBe(
      status.OUT_OF_RANGE,
    );
    expect((await failure(h.controller.controllerExpandVolume({ volumeId: id }))).code).toBe(status.INVALID_ARGUMENT);
    h.emu.faults.failVolumeExtend({ volumeId: id });
    const failed = await failure(h.controller.controllerExpandVolume({ volumeId: id, capacityRange: { requiredBytes: 2 * GiB } }));
    expect(failed.code).toBe(status.INTERNAL);
    expect(failed.message).toContain('error_extending');
  });

  test('ControllerModifyVolume retypes through Cinder; unknown keys and types are INVALID_ARGUMENT', async () => {
    const id = await create('modify-1');
    expect(stored(id)?.volumeType).toBe('standard');
    await h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: { type: 'multiattach' } });
    expect(stored(id)).toMatchObject({ volumeType: 'multiattach', status: 'available' });
    await h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: { type: 'multiattach' } });
    const empty = await failure(h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: {} }));
    expect(empty.code).toBe(status.INVALID_ARGUMENT);
    expect(empty.message).toContain('mutable_parameters');
    const unknownKey = await failure(h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: { iops: '5' } }));
    expect(unknownKey.code).toBe(status.INVALID_ARGUMENT);
    expect(unknownKey.message).toContain('mutable_parameters.iops');
    const unknownType = await failure(h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: { type: 'platinum' } }));
    expect(unknownType.code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(h.controller.controllerModifyVolume({ volumeId: MISSING, mutableParameters: { type: 'standard' } }))).code).toBe(status.NOT_FOUND);
  });

  // Real Cinder (test/openstack): a cross-backend retype whose migration fails ends `available` with the OLD type and
  // migration_status `error`; the emulator's failVolumeRetype does the same.
  test('ControllerModifyVolume whose migration Cinder fails is FAILED_PRECONDITION naming the volume, the type and the migration error', async () => {
    const id = await create('modify-migration-fails');
    h.emu.faults.failVolumeRetype({ volumeId: id });
    const failed = await failure(h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: { type: 'multiattach' } }));
    expect(failed).toEqual({
      code: status.FAILED_PRECONDITION,
      message: `volume ${id} was not retyped to multiattach: Cinder ended the retype with the volume available and still of type standard (Cinder's migration_status is error): the migration to the new type's backend failed`,
    });
    expect(stored(id)).toMatchObject({ volumeType: 'standard', status: 'available' });
    // Once the backend can take it, the CO's retry retypes.
    await h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: { type: 'multiattach' } });
    expect(stored(id)).toMatchObject({ volumeType: 'multiattach', status: 'available' });
  });

  test('ControllerGetCapabilities advertises what is implemented; GetCapacity reports the quota left', async () => {
    const caps = await h.controller.controllerGetCapabilities({});
    const types = caps.capabilities.map((c) => c.rpc?.type);
    expect(types).toEqual(expect.arrayContaining(['CREATE_DELETE_VOLUME', 'PUBLISH_UNPUBLISH_VOLUME', 'LIST_VOLUMES', 'CREATE_DELETE_SNAPSHOT',
      'LIST_SNAPSHOTS', 'CLONE_VOLUME', 'EXPAND_VOLUME', 'GET_VOLUME', 'VOLUME_CONDITION', 'MODIFY_VOLUME', 'SINGLE_NODE_MULTI_WRITER',
      'LIST_VOLUMES_PUBLISHED_NODES']));
    const used = h.emu.volumes().reduce((sum, v) => sum + v.size, 0) + h.emu.snapshots().reduce((sum, s) => sum + s.size, 0);
    const capacity = await h.controller.getCapacity({});
    expect(Number(capacity.availableCapacity)).toBe((300 - used) * GiB);
  });
});
