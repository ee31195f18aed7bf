import { status } from '@grpc/grpc-js';
import type { TransitionKind } from '../../test-support/emulator';
import { DriverUnderTest } from './driver-under-test';
import { Cleanup, createVolume, GiB, mountCapability, outcome } from './spec-support';

/**
 * spec.md "Timeouts": "Any of the RPCs defined in this spec MAY timeout and MAY be retried ... Idempotency
 * requirements ensure that a retried call with the same fields continues where it left off when retried."
 * Each test holds a Cinder/Nova transition, lets the CO's deadline expire, releases it, and retries.
 */
describe('CSI conformance: Controller calls retried after a timeout', () => {
  let driver: DriverUnderTest;
  const cleanup = new Cleanup(() => driver);
  beforeAll(async () => {
    driver = await DriverUnderTest.start();
  });
  afterEach(async () => {
    driver.emu.faults.resumeTransitions();
    await cleanup.run();
  });
  afterAll(async () => driver?.close());

  /**
   * The CO's retry: spec.md Error Scheme "Operation pending for volume | 10 ABORTED ... Caller SHOULD ensure that
   * there are no other calls pending for the specified volume, and then retry with exponential back off" — the
   * timed-out call may still be winding down inside the plugin when the retry arrives.
   */
  async function retry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0, delay = 50; ; attempt++, delay = Math.min(delay * 2, 1000)) {
      try {
        return await call();
      } catch (error) {
        if ((error as { code?: number }).code !== status.ABORTED || attempt >= 30) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Runs `call` with a short deadline while `kind` transitions are held; returns its outcome. */
  async function timedOut(kind: TransitionKind, call: (deadlineMs: number) => Promise<unknown>): Promise<string> {
    driver.emu.faults.pauseTransitions([kind]);
    try {
      return await outcome(call(1500));
    } finally {
      driver.emu.faults.resumeTransitions([kind]);
    }
  }

  it('CreateVolume: a retry after the first call timed out returns the one volume the first call started', async () => {
    const name = DriverUnderTest.name();
    const request = { name, volumeCapabilities: [mountCapability()], capacityRange: { requiredBytes: GiB } };
    const first = await timedOut('create', (deadlineMs) => driver.controller.createVolume(request, { deadlineMs }));
    expect(first).not.toBe('OK');
    const retried = (await retry(() => driver.controller.createVolume(request))).volume!;
    cleanup.volume(retried.volumeId);
    expect(driver.emu.volumes().filter((v) => v.name === name).map((v) => v.id)).toEqual([retried.volumeId]);
  });

  it('ControllerPublishVolume: a retry after the first call timed out attaches once and answers OK', async () => {
    const volume = await createVolume(driver, cleanup);
    const nodeId = (await driver.node.nodeGetInfo({})).nodeId;
    const request = { volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false };
    const first = await timedOut('attach', (deadlineMs) => driver.controller.controllerPublishVolume(request, { deadlineMs }));
    expect(first).not.toBe('OK');
    expect(await outcome(retry(() => driver.controller.controllerPublishVolume(request)))).toBe('OK');
    const attachments = driver.emu.volumes().find((v) => v.id === volume.volumeId)?.attachments ?? [];
    expect(attachments.map((a) => a.serverId)).toEqual([nodeId]);
  });

  it('ControllerUnpublishVolume: a retry after the first call timed out detaches and answers OK', async () => {
    const volume = await createVolume(driver, cleanup);
    const nodeId = (await driver.node.nodeGetInfo({})).nodeId;
    await driver.controller.controllerPublishVolume({ volumeId: volume.volumeId, nodeId, volumeCapability: mountCapability(), readonly: false });
    const request = { volumeId: volume.volumeId, nodeId };
    const first = await timedOut('detach', (deadlineMs) => driver.controller.controllerUnpublishVolume(request, { deadlineMs }));
    expect(first).not.toBe('OK');
    expect(await outcome(retry(() => driver.controller.controllerUnpublishVolume(request)))).toBe('OK');
    expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.attachments).toEqual([]);
  });

  it('DeleteVolume: a retry after the first call timed out answers OK and the volume is gone', async () => {
    const volume = (await driver.controller.createVolume({ name: DriverUnderTest.name(), volumeCapabilities: [mountCapability()] })).volume!;
    const first = await timedOut('delete', (deadlineMs) => driver.controller.deleteVolume({ volumeId: volume.volumeId }, { deadlineMs }));
    expect(first).not.toBe('OK');
    expect(await outcome(retry(() => driver.controller.deleteVolume({ volumeId: volume.volumeId })))).toBe('OK');
    expect(driver.emu.volumes().filter((v) => v.id === volume.volumeId)).toEqual([]);
  });

  it('ControllerExpandVolume: a retry after the first call timed out answers OK with the requested capacity', async () => {
    const volume = await createVolume(driver, cleanup);
    const request = { volumeId: volume.volumeId, capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: mountCapability() };
    const first = await timedOut('extend', (deadlineMs) => driver.controller.controllerExpandVolume(request, { deadlineMs }));
    expect(first).not.toBe('OK');
    const retried = await retry(() => driver.controller.controllerExpandVolume(request));
    expect(retried.capacityBytes).toBeGreaterThanOrEqual(2 * GiB);
    expect(driver.emu.volumes().find((v) => v.id === volume.volumeId)?.size).toBe(2);
  });
});
