import type { Snapshot__Output, Volume__Output } from '../../src/grpc/csi-types';
import { ControllerDriver, GiB, mountCapability, outcome } from './controller-driver';
import { ADMIN, type CreatedByRun, OpenStackAdmin } from './openstack-admin';

/*
 * The driver's Controller service against REAL Keystone, Cinder (volume types `fake` and `localfs`) and Nova (fake
 * compute), started by test/openstack/harness. The steps build on each other (a volume created in one test is
 * published, snapshotted, expanded and deleted by later ones), as a provisioner + attacher + snapshotter + resizer
 * would drive one PVC's life. Run with `npm run test:openstack` (global-setup.ts starts the services).
 */

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Every name this run gives starts with RUN; with the ids it records, that is all its clean-up deletes. */
const RUN = `e2e-${process.pid}-${Date.now().toString(36)}`;
const TYPES = ['fake', 'localfs'] as const;
type Backend = (typeof TYPES)[number];

describe('Controller service on a real OpenStack (Keystone, Cinder fake + localfs, Nova fake compute)', () => {
  let admin: OpenStackAdmin;
  let driver: ControllerDriver | undefined;
  let server: { serverId: string; bootVolumeId: string } | undefined;
  const volumes: Partial<Record<Backend, Volume__Output>> = {};
  const snapshots: Partial<Record<Backend, Snapshot__Output>> = {};
  const extraVolumeIds: string[] = [];
  const created: CreatedByRun = { tag: RUN, volumeIds: new Set(), snapshotIds: new Set() };
  /** A volume of the project that this run did not create (made before the driver starts): it must survive. */
  let preexistingId: string | undefined;

  const c = (): ControllerDriver['client']['controller'] => driver!.client.controller;
  const volumeOf = (backend: Backend): Volume__Output => {
    const v = volumes[backend];
    if (!v) throw new Error(`no ${backend} volume: an earlier step failed`);
    return v;
  };

  async function createVolume(name: string, sizeGiB: number, type: string, source?: { snapshotId?: string; volumeId?: string }): Promise<Volume__Output> {
    const res = await c().createVolume({
      name,
      capacityRange: { requiredBytes: sizeGiB * GiB },
      volumeCapabilities: [mountCapability()],
      parameters: { type },
      ...(source?.snapshotId ? { volumeContentSource: { snapshot: { snapshotId: source.snapshotId } } } : {}),
      ...(source?.volumeId ? { volumeContentSource: { volume: { volumeId: source.volumeId } } } : {}),
    }, { deadlineMs: 300_000 });
    created.volumeIds.add(res.volume!.volumeId);
    return res.volume!;
  }

  /** CreateSnapshot repeated until ready_to_use, as the external-snapshotter does. */
  async function snapshotUntilReady(volumeId: string, name: string, parameters: Record<string, string> = {}): Promise<Snapshot__Output> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const snapshot = (await c().createSnapshot({ sourceVolumeId: volumeId, name, parameters }, { deadlineMs: 120_000 })).snapshot!;
      created.snapshotIds.add(snapshot.snapshotId);
      if (snapshot.readyToUse) return snapshot;
      await sleep(500);
    }
    throw new Error(`snapshot ${name} never became ready_to_use`);
  }

  beforeAll(async () => {
    admin = await OpenStackAdmin.login();
    preexistingId = await admin.createVolume(`preexisting-${RUN.slice(4)}`);
    server = await admin.bootServer(`${RUN}-node`);
    driver = await ControllerDriver.start();
  }, 900_000);

  afterAll(async () => {
    if (driver) {
      const exit = await driver.stop();
      if (exit.code !== 0) process.stderr.write(`driver exit ${JSON.stringify(exit)}\n${driver.log.text.slice(-5000)}\n`);
    }
    if (admin) {
      if (server) await admin.deleteServer(server.serverId, server.bootVolumeId);
      await admin.deleteCreated(created);
      if (preexistingId) await admin.deleteVolumeAndWait(preexistingId);
    }
  }, 900_000);

  it('Probe answers ready once the driver has reached Keystone and Cinder', async () => {
    let ready = false;
    for (let i = 0; i < 60 && !ready; i++) {
      ready = (await driver!.client.identity.probe({})).ready?.value === true;
      if (!ready) await sleep(500);
    }
    expect(ready).toBe(true);
  });

  it.each(TYPES)('CreateVolume with parameters.type=%s creates an available 1 GiB Cinder volume of that type', async (backend) => {
    const volume = await createVolume(`${RUN}-${backend}`, 1, backend);
    volumes[backend] = volume;
    expect(volume.capacityBytes).toBe(GiB);
    const cinder = await admin.volume(volume.volumeId);
    expect(cinder).toMatchObject({ name: `${RUN}-${backend}`, size: 1, volume_type: backend, status: 'available' });
  }, 300_000);

  it('CreateVolume repeated with the same name and size returns the same volume and creates no second one', async () => {
    const again = await createVolume(`${RUN}-fake`, 1, 'fake');
    expect(again.volumeId).toBe(volumeOf('fake').volumeId);
    expect((await admin.volumes()).filter((v) => v.name === `${RUN}-fake`)).toHaveLength(1);
  });

  it('CreateVolume with the same name but another size answers ALREADY_EXISTS', async () => {
    const result = await outcome(createVolume(`${RUN}-fake`, 2, 'fake'));
    expect(result.code).toBe('ALREADY_EXISTS');
    expect((await admin.volumes()).filter((v) => v.name === `${RUN}-fake`)).toHaveLength(1);
  });

  it('ListVolumes pages through every volume with max_entries=1, each exactly once', async () => {
    const seen: string[] = [];
    let token = '';
    for (let page = 0; page < 100; page++) {
      const res = await c().listVolumes({ maxEntries: 1, startingToken: token });
      expect(res.entries.length).toBeLessThanOrEqual(1);
      seen.push(...res.entries.map((e) => e.volume!.volumeId));
      token = res.nextToken;
      if (!token) break;
    }
    expect(token).toBe('');
    expect(new Set(seen).size).toBe(seen.length);
    const cinderIds = (await admin.volumes()).map((v) => String(v.id)).sort();
    expect([...seen].sort()).toEqual(cinderIds);
    expect(seen).toEqual(expect.arrayContaining([volumeOf('fake').volumeId, volumeOf('localfs').volumeId]));
  });

  it('ControllerGetVolume reports the volume, its capacity and no published node', async () => {
    const res = await c().controllerGetVolume({ volumeId: volumeOf('localfs').volumeId });
    expect(res.volume?.volumeId).toBe(volumeOf('localfs').volumeId);
    expect(res.volume?.capacityBytes).toBe(GiB);
    expect(res.status?.publishedNodeIds).toEqual([]);
  });

  it('GetCapacity reports what the project\'s Cinder gigabytes quota still allows (GET /limits)', async () => {
    const limits = (await admin.raw('volumev3', 'GET', '/limits')).body as { limits: { absolute: { maxTotalVolumeGigabytes: number; totalGigabytesUsed: number } } };
    const { maxTotalVolumeGigabytes: max, totalGigabytesUsed: used } = limits.limits.absolute;
    expect(max).toBeGreaterThan(0);
    const res = await c().getCapacity({});
    expect(res.availableCapacity).toBe((max - used) * GiB);
  });

  it('ControllerGetVolume of a volume Cinder does not have answers NOT_FOUND', async () => {
    expect((await outcome(c().controllerGetVolume({ volumeId: '00000000-0000-4000-8000-00000000dead' }))).code).toBe('NOT_FOUND');
  });

  // A token names the last volume of its page (Cinder's marker). When that volume is deleted before the next call,
  // real Cinder answers the marker with 404 "Volume <id> could not be found.": the CSI answer is ABORTED (restart).
  it('ListVolumes with a starting_token whose volume was deleted meanwhile answers ABORTED', async () => {
    const temp = await createVolume(`${RUN}-listing-temp`, 1, 'fake');
    try {
      let token = '';
      let tokenAfterTemp: string | undefined;
      for (let page = 0; page < 100 && tokenAfterTemp === undefined; page++) {
        const res = await c().listVolumes({ maxEntries: 1, startingToken: token });
        if (res.entries.some((e) => e.volume!.volumeId === temp.volumeId)) tokenAfterTemp = res.nextToken;
        token = res.nextToken;
        if (!token) break;
      }
      expect(tokenAfterTemp).toBeTruthy();
      await c().deleteVolume({ volumeId: temp.volumeId });
      await admin.until('temp volume gone', () => admin.volume(temp.volumeId), (v) => v === undefined);
      const result = await outcome(c().listVolumes({ maxEntries: 1, startingToken: tokenAfterTemp! }));
      expect(result.code).toBe('ABORTED');
    } finally {
      await c().deleteVolume({ volumeId: temp.volumeId });
    }
  }, 300_000);

  it('ControllerPublishVolume to a node id that is no Nova server answers NOT_FOUND and attaches nothing', async () => {
    const volumeId = volumeOf('fake').volumeId;
    const result = await outcome(c().controllerPublishVolume({ volumeId, nodeId: '00000000-0000-4000-8000-00000000cafe', volumeCapability: mountCapability(), readonly: false }));
    expect(result.code).toBe('NOT_FOUND');
    expect((await admin.volume(volumeId))?.status).toBe('available');
  });

  it.each(TYPES)('ControllerPublishVolume attaches the %s volume to the Nova server (idempotently) and Unpublish detaches it', async (backend) => {
    const volumeId = volumeOf(backend).volumeId;
    const nodeId = server!.serverId;
    const first = await c().controllerPublishVolume({ volumeId, nodeId, volumeCapability: mountCapability(), readonly: false }, { deadlineMs: 300_000 });
    const cinder = await admin.volume(volumeId);
    expect(cinder?.status).toBe('in-use');
    expect(cinder?.attachments).toEqual([expect.objectContaining({ server_id: nodeId, volume_id: volumeId })]);
    const again = await c().controllerPublishVolume({ volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
    expect(again.publishContext).toEqual(first.publishContext);
    expect((await c().controllerGetVolume({ volumeId })).status?.publishedNodeIds).toEqual([nodeId]);

    await c().controllerUnpublishVolume({ volumeId, nodeId }, { deadlineMs: 300_000 });
    expect((await admin.volume(volumeId))?.status).toBe('available');
    await c().controllerUnpublishVolume({ volumeId, nodeId });
    expect((await c().controllerGetVolume({ volumeId })).status?.publishedNodeIds).toEqual([]);
  }, 600_000);

  it.each(TYPES)('CreateVolume from the %s volume clones it', async (backend) => {
    const source = volumeOf(backend);
    const clone = await createVolume(`${RUN}-clone-${backend}`, 1, backend, { volumeId: source.volumeId });
    extraVolumeIds.push(clone.volumeId);
    expect(clone.contentSource?.volume?.volumeId).toBe(source.volumeId);
    expect(await admin.volume(clone.volumeId)).toMatchObject({ status: 'available', source_volid: source.volumeId, volume_type: backend });
  }, 300_000);

  it.each(TYPES)('CreateSnapshot of the %s volume becomes ready_to_use, is idempotent, and ListSnapshots finds it', async (backend) => {
    const volumeId = volumeOf(backend).volumeId;
    const snapshot = await snapshotUntilReady(volumeId, `${RUN}-snap-${backend}`);
    snapshots[backend] = snapshot;
    expect(snapshot.sourceVolumeId).toBe(volumeId);
    expect(snapshot.sizeBytes).toBe(GiB);
    const again = await snapshotUntilReady(volumeId, `${RUN}-snap-${backend}`);
    expect(again.snapshotId).toBe(snapshot.snapshotId);
    expect((await admin.snapshots()).filter((s) => s.name === `${RUN}-snap-${backend}`)).toHaveLength(1);

    const byId = await c().listSnapshots({ snapshotId: snapshot.snapshotId });
    expect(byId.entries.map((e) => e.snapshot!.snapshotId)).toEqual([snapshot.snapshotId]);
    const bySource = await c().listSnapshots({ sourceVolumeId: volumeId });
    expect(bySource.entries.map((e) => e.snapshot!.snapshotId)).toEqual([snapshot.snapshotId]);
  }, 600_000);

  it('CreateSnapshot of the fake volume while it is attached cuts a ready snapshot (force below volume 3.66)', async () => {
    const volumeId = volumeOf('fake').volumeId;
    const nodeId = server!.serverId;
    await c().controllerPublishVolume({ volumeId, nodeId, volumeCapability: mountCapability(), readonly: false }, { deadlineMs: 300_000 });
    try {
      const snapshot = await snapshotUntilReady(volumeId, `${RUN}-snap-in-use`, { 'force-create': 'true' });
      expect(snapshot.readyToUse).toBe(true);
      await c().deleteSnapshot({ snapshotId: snapshot.snapshotId }, { deadlineMs: 300_000 });
      await admin.until('in-use snapshot gone', () => admin.snapshots(), (list) => !list.some((x) => x.id === snapshot.snapshotId));
    } finally {
      await c().controllerUnpublishVolume({ volumeId, nodeId }, { deadlineMs: 300_000 });
    }
  }, 600_000);

  it('ListSnapshots pages through every snapshot with max_entries=1', async () => {
    const seen: string[] = [];
    let token = '';
    for (let page = 0; page < 100; page++) {
      const res = await c().listSnapshots({ maxEntries: 1, startingToken: token });
      seen.push(...res.entries.map((e) => e.snapshot!.snapshotId));
      token = res.nextToken;
      if (!token) break;
    }
    expect(token).toBe('');
    expect([...seen].sort()).toEqual((await admin.snapshots()).map((s) => String(s.id)).sort());
  });

  it.each(TYPES)('CreateVolume from the %s snapshot restores a new available volume', async (backend) => {
    const snapshot = snapshots[backend];
    if (!snapshot) throw new Error('no snapshot: an earlier step failed');
    const restored = await createVolume(`${RUN}-restore-${backend}`, 1, backend, { snapshotId: snapshot.snapshotId });
    extraVolumeIds.push(restored.volumeId);
    expect(restored.contentSource?.snapshot?.snapshotId).toBe(snapshot.snapshotId);
    expect(await admin.volume(restored.volumeId)).toMatchObject({ status: 'available', snapshot_id: snapshot.snapshotId, volume_type: backend });
  }, 300_000);

  // Real Cinder (Zed) NFS/localfs: once a volume has a snapshot its active file is a qcow2 overlay, and cloning it
  // fails in cinder-volume (image_utils refuses a qcow2 with a backing file: "Unacceptable parameters"). The driver
  // must answer an error and delete the volume that went to status error, so nothing is left behind.
  it('CreateVolume cloning a localfs volume that has a snapshot fails cleanly and leaves no volume in Cinder', async () => {
    const name = `${RUN}-clone-after-snapshot`;
    const result = await outcome(createVolume(name, 1, 'localfs', { volumeId: volumeOf('localfs').volumeId }));
    process.stderr.write(`clone of a localfs volume with a snapshot: ${JSON.stringify(result)}\n`);
    expect(result.code).not.toBe('OK');
    expect(result.details).toContain('Cinder could not create volume');
    await admin.until('errored clone deleted', () => admin.volumes(), (list) => !list.some((v) => v.name === name));
  }, 300_000);

  it.each(TYPES)('DeleteSnapshot of the %s snapshot removes it from Cinder and is idempotent', async (backend) => {
    const snapshot = snapshots[backend];
    if (!snapshot) throw new Error('no snapshot: an earlier step failed');
    await c().deleteSnapshot({ snapshotId: snapshot.snapshotId }, { deadlineMs: 300_000 });
    await admin.until('snapshot gone', () => admin.snapshots(), (list) => !list.some((s) => s.id === snapshot.snapshotId));
    await c().deleteSnapshot({ snapshotId: snapshot.snapshotId });
    expect((await c().listSnapshots({ snapshotId: snapshot.snapshotId })).entries).toEqual([]);
  }, 300_000);

  it.each(TYPES)('ControllerExpandVolume grows the detached %s volume to 2 GiB and asks for node expansion', async (backend) => {
    const volumeId = volumeOf(backend).volumeId;
    const res = await c().controllerExpandVolume({ volumeId, capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: mountCapability() }, { deadlineMs: 300_000 });
    expect(res.capacityBytes).toBe(2 * GiB);
    expect(res.nodeExpansionRequired).toBe(true);
    expect(await admin.volume(volumeId)).toMatchObject({ size: 2, status: 'available' });
    const again = await c().controllerExpandVolume({ volumeId, capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: mountCapability() });
    expect(again.capacityBytes).toBe(2 * GiB);
  }, 300_000);

  it('ControllerExpandVolume grows the fake volume while it is attached to the server (online, volume 3.42)', async () => {
    const volumeId = volumeOf('fake').volumeId;
    const nodeId = server!.serverId;
    await c().controllerPublishVolume({ volumeId, nodeId, volumeCapability: mountCapability(), readonly: false }, { deadlineMs: 300_000 });
    try {
      const res = await c().controllerExpandVolume({ volumeId, capacityRange: { requiredBytes: 3 * GiB }, volumeCapability: mountCapability() }, { deadlineMs: 300_000 });
      expect(res.capacityBytes).toBe(3 * GiB);
      expect(await admin.volume(volumeId)).toMatchObject({ size: 3, status: 'in-use' });
    } finally {
      await c().controllerUnpublishVolume({ volumeId, nodeId }, { deadlineMs: 300_000 });
    }
    expect((await admin.volume(volumeId))?.status).toBe('available');
  }, 600_000);

  // Cinder's NFS driver (localfs) cannot extend an attached volume: real Cinder accepts the 3.42 os-extend (202),
  // then sets the volume to error_extending, after which Nova refuses to detach it. The driver must report the
  // failure (not claim the new size); an operator resets the status, as this test does, to detach it.
  it('ControllerExpandVolume of an attached localfs volume (backend cannot extend online) answers an error, not the new size', async () => {
    const volumeId = volumeOf('localfs').volumeId;
    const nodeId = server!.serverId;
    await c().controllerPublishVolume({ volumeId, nodeId, volumeCapability: mountCapability(), readonly: false }, { deadlineMs: 300_000 });
    try {
      const result = await outcome(c().controllerExpandVolume({ volumeId, capacityRange: { requiredBytes: 3 * GiB }, volumeCapability: mountCapability() }, { deadlineMs: 300_000 }));
      process.stderr.write(`online expand of localfs: ${JSON.stringify(result)}\n`);
      expect(result.code).not.toBe('OK');
      expect(result.details).toContain(volumeId);
      expect(await admin.volume(volumeId)).toMatchObject({ status: 'error_extending', size: 2 });
      const stuck = await outcome(c().controllerUnpublishVolume({ volumeId, nodeId }, { deadlineMs: 60_000 }));
      process.stderr.write(`unpublish of an error_extending volume: ${JSON.stringify(stuck)}\n`);
      expect(stuck.code).not.toBe('OK');
    } finally {
      await admin.raw('volumev3', 'POST', `/volumes/${volumeId}/action`, { 'os-reset_status': { status: 'in-use' } });
      await c().controllerUnpublishVolume({ volumeId, nodeId }, { deadlineMs: 300_000 });
    }
    expect((await admin.volume(volumeId))?.status).toBe('available');
  }, 600_000);

  it('ControllerModifyVolume retypes the localfs volume to localfs-gold (same backend: Cinder retypes in place)', async () => {
    const volumeId = volumeOf('localfs').volumeId;
    await c().controllerModifyVolume({ volumeId, mutableParameters: { type: 'localfs-gold' } }, { deadlineMs: 300_000 });
    expect(await admin.volume(volumeId)).toMatchObject({ volume_type: 'localfs-gold', status: 'available' });
    await c().controllerModifyVolume({ volumeId, mutableParameters: { type: 'localfs-gold' } });
  }, 300_000);

  // fake -> localfs needs a migration to another backend; real Cinder accepts the os-retype (202), then its generic
  // migration cannot read the fake backend's (non-existent) volume file and puts the volume back as it was, still
  // `fake`. The driver must report that clearly instead of claiming success.
  it('ControllerModifyVolume to a type on another backend that Cinder cannot migrate to answers an error naming the volume', async () => {
    const volumeId = volumeOf('fake').volumeId;
    const result = await outcome(c().controllerModifyVolume({ volumeId, mutableParameters: { type: 'localfs' } }, { deadlineMs: 600_000 }));
    process.stderr.write(`ControllerModifyVolume fake -> localfs: ${JSON.stringify(result)}\n`);
    expect(result).toEqual({
      code: 'FAILED_PRECONDITION',
      details: `volume ${volumeId} was not retyped to localfs: Cinder ended the retype with the volume available and still of type fake (Cinder's migration_status is error): the migration to the new type's backend failed`,
    });
    expect(await admin.volume(volumeId)).toMatchObject({ volume_type: 'fake', status: 'available', migration_status: 'error' });
  }, 900_000);

  // Real Cinder's NFS driver (localfs) hands a snapshot of an attached volume to Nova (assisted snapshot), which the
  // fake compute never completes: the snapshot stays `creating`. CreateSnapshot answers ABORTED within its deadline.
  it('CreateSnapshot (force-create) of the attached localfs volume that Cinder keeps creating answers ABORTED before the deadline', async () => {
    const volumeId = volumeOf('localfs').volumeId;
    const nodeId = server!.serverId;
    const name = `${RUN}-snap-stuck`;
    await c().controllerPublishVolume({ volumeId, nodeId, volumeCapability: mountCapability(), readonly: false }, { deadlineMs: 300_000 });
    try {
      const result = await outcome(c().createSnapshot({ sourceVolumeId: volumeId, name, parameters: { 'force-create': 'true' } }, { deadlineMs: 20_000 }));
      const stuck = (await admin.snapshots()).filter((s) => s.name === name);
      for (const s of stuck) created.snapshotIds.add(String(s.id));
      expect(stuck.map((s) => s.status)).toEqual(['creating']);
      expect(result).toEqual({
        code: 'ABORTED',
        details: `snapshot ${String(stuck[0]!.id)} of volume ${volumeId} is still being cut by Cinder (status creating); retry to wait for it again`,
      });
    } finally {
      await c().controllerUnpublishVolume({ volumeId, nodeId }, { deadlineMs: 300_000 });
      // An operator's way out of a snapshot stuck `creating`: reset it to error, then delete it.
      for (const s of (await admin.snapshots()).filter((x) => x.name === name)) {
        await admin.raw('volumev3', 'POST', `/snapshots/${String(s.id)}/action`, { 'os-reset_status': { status: 'error' } });
        await admin.raw('volumev3', 'DELETE', `/snapshots/${String(s.id)}`);
      }
      await admin.until('stuck snapshot deleted', () => admin.snapshots(), (list) => !list.some((x) => x.name === name));
    }
  }, 600_000);

  it('DeleteVolume removes every volume the driver created, and repeating it answers OK', async () => {
    const ids = [...extraVolumeIds, ...TYPES.map((t) => volumes[t]?.volumeId).filter((id): id is string => id !== undefined)];
    for (const volumeId of ids) {
      await c().deleteVolume({ volumeId }, { deadlineMs: 300_000 });
      await admin.until(`volume ${volumeId} gone`, () => admin.volume(volumeId), (v) => v === undefined);
      expect((await outcome(c().deleteVolume({ volumeId }))).code).toBe('OK');
    }
    // Every volume and snapshot this run made is named after it (the server's boot volume goes in afterAll).
    const mine = (list: Record<string, unknown>[]): string[] =>
      list.filter((x) => String(x.name).startsWith(RUN) && x.id !== server?.bootVolumeId).map((x) => String(x.id));
    expect(mine(await admin.volumes())).toEqual([]);
    expect(mine(await admin.snapshots())).toEqual([]);
  }, 600_000);

  it('the clean-up deletes only what this run created: a volume that existed before the run survives', async () => {
    const deleted = await admin.deleteCreated(created, server ? [server.bootVolumeId] : []);
    expect(deleted.volumes).not.toContain(preexistingId);
    expect(await admin.volume(preexistingId!)).toMatchObject({ name: `preexisting-${RUN.slice(4)}`, status: 'available' });
    const left = (await admin.volumes()).filter((v) => String(v.name).startsWith(RUN) && v.id !== server?.bootVolumeId);
    expect(left).toEqual([]);
    expect((await admin.snapshots()).filter((s) => String(s.name).startsWith(RUN))).toEqual([]);
  }, 600_000);

  it('the driver logged neither the password nor a Keystone token (fernet tokens start with gAAAAA)', () => {
    const log = driver!.log.text;
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toMatch(/gAAAAA[\w-]{20}/);
    expect(log).not.toMatch(new RegExp(`["=: ]${ADMIN.password}\\b`));
  });
});
