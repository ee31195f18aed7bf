import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { grpcCode } from '../helpers/csi-client';
import { ControllerHarness, mountCap } from '../controller/harness';

/**
 * Cinder sometimes carries out a create request whose answer never reaches the driver (a slow API behind a load
 * balancer, a reset connection). Cinder has no idempotency key, so the driver must not blindly send the create
 * again: the CO's retry has to end up with exactly one volume or snapshot.
 */
describe('create requests whose answer is lost but which Cinder still carries out', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await ControllerHarness.start({ quotas: { volumes: 20, snapshots: 20, gigabytes: 100 } }, { requestTimeoutMs: 400 });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.emu.faults.clear());

  /** Calls like the external-provisioner/snapshotter: again and again while the answer is retryable. */
  async function retried<T>(call: () => Promise<T>): Promise<{ result: T; failures: number[] }> {
    const failures: number[] = [];
    for (let i = 0; i < 40; i++) {
      try {
        return { result: await call(), failures };
      } catch (error) {
        const code = grpcCode(error);
        if (code !== status.UNAVAILABLE && code !== status.DEADLINE_EXCEEDED && code !== status.ABORTED) throw error;
        failures.push(code);
      }
    }
    throw new Error('still failing after 40 attempts');
  }

  test('a volume create held past the request timeout: the retries adopt the one volume Cinder makes', async () => {
    const rule = h.emu.faults.add({ method: 'POST', path: '/volume/v3/{project_id}/volumes', count: 1, action: { kind: 'delay', ms: 1500 } });
    const { result, failures } = await retried(() => h.controller.createVolume({ name: 'lost-vol', volumeCapabilities: [mountCap()] }, { deadlineMs: 3000 }));
    expect(h.emu.faults.fired[rule]).toBe(1);
    expect(failures.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1600));
    expect(h.volumesNamed('lost-vol').map((v) => v.id)).toEqual([result.volume!.volumeId]);
  });

  test('a snapshot create held past the request timeout: the retries adopt the one snapshot Cinder makes', async () => {
    const volumeId = (await h.controller.createVolume({ name: 'lost-snap-src', volumeCapabilities: [mountCap()] })).volume!.volumeId;
    const rule = h.emu.faults.add({ method: 'POST', path: '/volume/v3/{project_id}/snapshots', count: 1, action: { kind: 'delay', ms: 1500 } });
    const { result, failures } = await retried(() => h.controller.createSnapshot({ name: 'lost-snap', sourceVolumeId: volumeId }, { deadlineMs: 3000 }));
    expect(h.emu.faults.fired[rule]).toBe(1);
    expect(failures.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1600));
    expect(h.emu.snapshots().filter((s) => s.name === 'lost-snap').map((s) => s.id)).toEqual([result.snapshot!.snapshotId]);
  });

  test('a create refused outright (503, nothing made) is made by the retry, exactly once', async () => {
    const rule = h.emu.faults.add({ method: 'POST', path: '/volume/v3/{project_id}/volumes', count: 1, action: { kind: 'status', status: 503 } });
    const first = await h.controller.createVolume({ name: 'refused-vol', volumeCapabilities: [mountCap()] }).catch((e: unknown) => e);
    expect(grpcCode(first)).toBe(status.UNAVAILABLE);
    expect(h.emu.faults.fired[rule]).toBe(1);
    const second = await h.controller.createVolume({ name: 'refused-vol', volumeCapabilities: [mountCap()] }, { deadlineMs: 3000 });
    expect(h.volumesNamed('refused-vol').map((v) => v.id)).toEqual([second.volume!.volumeId]);
  });
});
