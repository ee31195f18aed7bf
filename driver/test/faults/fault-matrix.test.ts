import { afterEach, describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { FaultAction } from '../../test-support/emulator';
import { grpcCode } from '../helpers/csi-client';
import { ControllerHarness, GiB, mountCap } from '../controller/harness';

/** Codes a CO treats as "try again": anything else under transient faults would be a driver bug. */
const RETRYABLE = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.ABORTED]);
const CALL_DEADLINE_MS = 4000;

interface Scenario {
  readonly name: string;
  readonly faults: ReadonlyArray<{ path: string; probability: number; action: FaultAction }>;
}

const SERVICES = ['/volume/**', '/compute/**'];
const everywhere = (probability: number, action: FaultAction) => SERVICES.map((path) => ({ path, probability, action }));

const SCENARIOS: Scenario[] = [
  { name: '5xx answers from Cinder and Nova', faults: everywhere(0.25, { kind: 'status', status: 503 }) },
  { name: '500 and 502 answers', faults: [...everywhere(0.1, { kind: 'status', status: 500 }), ...everywhere(0.1, { kind: 'status', status: 502 })] },
  { name: 'dropped connections', faults: everywhere(0.2, { kind: 'drop' }) },
  { name: 'responses slower than the request timeout (then processed anyway)', faults: everywhere(0.15, { kind: 'delay', ms: 1200 }) },
  { name: 'tokens expiring under the driver', faults: everywhere(0.25, { kind: 'expireToken' }) },
  { name: 'Keystone failing to issue tokens', faults: [{ path: '/identity/**', probability: 0.5, action: { kind: 'status', status: 503 } }, ...everywhere(0.2, { kind: 'expireToken' })] },
];

describe.each(SCENARIOS)('transient faults: $name', (scenario) => {
  let h: ControllerHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test(`${scenario.name}: every operation succeeds or returns a retryable code, and the cloud holds no volume the driver does not report`, async () => {
    h = await ControllerHarness.start({ quotas: { volumes: 50, gigabytes: 500, snapshots: 50 } }, { requestTimeoutMs: 500, maxAttempts: 4 });
    const harness = h;
    const node = harness.emu.addServer().id;
    const seen: number[] = [];

    /** What the external sidecars do: call, and on a retryable code call again (bounded here by attempts). */
    async function asCo<T>(what: string, call: () => Promise<T>): Promise<T> {
      for (let attempt = 0; attempt < 60; attempt++) {
        try {
          return await call();
        } catch (error) {
          const code = grpcCode(error);
          if (code === undefined || !RETRYABLE.has(code)) {
            throw new Error(`${what}: non-retryable ${code} ${(error as { details?: string }).details ?? String(error)}`);
          }
          seen.push(code);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error(`${what}: still failing after 60 attempts`);
    }

    let seed = 1;
    for (const fault of scenario.faults) {
      harness.emu.faults.add({ ...fault, count: Infinity, seed: seed++ });
    }
    const c = harness.controller;
    const opts = { deadlineMs: CALL_DEADLINE_MS };
    const kept: string[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `pvc-fault-${i}`;
      const created = await asCo(`create ${name}`, () => c.createVolume({ name, volumeCapabilities: [mountCap()] }, opts));
      const id = created.volume!.volumeId;
      await asCo(`publish ${name}`, () => c.controllerPublishVolume({ volumeId: id, nodeId: node, volumeCapability: mountCap() }, opts));
      await asCo(`expand ${name}`, () => c.controllerExpandVolume({ volumeId: id, capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: mountCap() }, opts));
      const snap = await asCo(`snapshot ${name}`, () => c.createSnapshot({ name: `snap-fault-${i}`, sourceVolumeId: id, parameters: { 'force-create': 'true' } }, opts));
      const got = await asCo(`get ${name}`, () => c.controllerGetVolume({ volumeId: id }, opts));
      expect(got.status!.publishedNodeIds).toEqual([node]);
      const listed = await asCo('list volumes', () => c.listVolumes({ maxEntries: 2 }, opts));
      expect(listed.entries.length).toBeGreaterThan(0);
      const snaps = await asCo(`list snapshots of ${name}`, () => c.listSnapshots({ sourceVolumeId: id }, opts));
      expect(snaps.entries.map((e) => e.snapshot!.snapshotId)).toEqual([snap.snapshot!.snapshotId]);
      await asCo(`unpublish ${name}`, () => c.controllerUnpublishVolume({ volumeId: id, nodeId: node }, opts));
      await asCo(`delete snapshot of ${name}`, () => c.deleteSnapshot({ snapshotId: snap.snapshot!.snapshotId }, opts));
      if (i === 0) {
        kept.push(id);
      } else {
        await asCo(`delete ${name}`, () => c.deleteVolume({ volumeId: id }, opts));
      }
    }

    // Faults stop; requests Cinder was still holding finish (their effects must be accounted for too).
    harness.emu.faults.clear();
    await new Promise((r) => setTimeout(r, 1500));
    const reported = (await c.listVolumes({})).entries.map((e) => e.volume!.volumeId).sort();
    const inCloud = harness.emu.volumes().map((v) => v.id).sort();
    expect(inCloud).toEqual(reported);
    expect(inCloud).toEqual(kept);
    expect(harness.emu.volumes().map((v) => [v.status, v.size, v.attachments.length])).toEqual([['available', 2, 0]]);
    expect(harness.emu.snapshots()).toEqual([]);
    // The faults really were in the way (the test would prove nothing otherwise).
    expect(Object.values(harness.emu.faults.fired).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
  });
});
