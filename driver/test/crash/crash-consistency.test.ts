import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { TransitionKind } from '../../test-support/emulator';
import type { VolumeCapability } from '../../src/grpc/csi-types';
import { normalizedCloudState, settle, totalRequests } from '../helpers/cloud-state';
import type { CsiClient } from '../helpers/csi-client';
import { EmulatedCloud, type RunningDriver } from '../helpers/emulated-cloud';
import { SeededRandom, seedFromEnv } from '../helpers/seeded-random';
import { GiB } from '../helpers/sizes';

/**
 * kill -9 of the controller at seeded random points during CreateVolume, ControllerPublishVolume, CreateSnapshot,
 * ControllerExpandVolume and DeleteVolume; then a restarted driver gets the same call again, the way the sidecars
 * retry it (same name, same ids, until it succeeds), and the cloud must end exactly as after a crash-free call:
 * the same volumes, snapshots and attachments, no duplicate, no orphan. The emulator runs in this process and
 * outlives every driver. Reproduce with CSI_CRASH_SEED=<seed printed>; CSI_CRASH_KILLS_PER_OP sets the number of
 * kill points per operation (default 10, 50 in all).
 */
const SEED = seedFromEnv('CSI_CRASH_SEED', 0x0c4a54);
const KILLS_PER_OP = Number(process.env.CSI_CRASH_KILLS_PER_OP ?? 10);
const CALL_DEADLINE_MS = 20_000;
const capability: VolumeCapability = { mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } };

/** The ids a scenario's call works on, made by its preparation. */
interface Prepared {
  readonly volumeId?: string;
}

interface Scenario {
  readonly op: string;
  /** The emulator transition the call drives (held by "held" kill points). */
  readonly transition: TransitionKind;
  /** Brings the cloud to the state the call starts from, with a running driver (no kill). */
  prepare(client: CsiClient, prefix: string): Promise<Prepared>;
  /** The call under test, exactly as a sidecar sends it again on every retry. */
  call(client: CsiClient, prefix: string, prepared: Prepared): Promise<unknown>;
}

const createVolume = async (client: CsiClient, name: string): Promise<string> => {
  const res = await client.controller.createVolume(
    { name, capacityRange: { requiredBytes: GiB }, volumeCapabilities: [capability] },
    { deadlineMs: CALL_DEADLINE_MS },
  );
  const id = res.volume?.volumeId;
  if (!id) throw new Error('CreateVolume answered without a volume id');
  return id;
};

function scenarios(cloud: EmulatedCloud): Scenario[] {
  const withVolume = async (client: CsiClient, prefix: string): Promise<Prepared> => ({ volumeId: await createVolume(client, `${prefix}-vol`) });
  const volumeOf = (p: Prepared): string => {
    if (!p.volumeId) throw new Error('scenario prepared no volume');
    return p.volumeId;
  };
  return [
    {
      op: 'CreateVolume',
      transition: 'create',
      prepare: async () => ({}),
      call: (client, prefix) => createVolume(client, `${prefix}-vol`),
    },
    {
      op: 'ControllerPublishVolume',
      transition: 'attach',
      prepare: withVolume,
      call: (client, _prefix, p) =>
        client.controller.controllerPublishVolume(
          { volumeId: volumeOf(p), nodeId: cloud.server.id, volumeCapability: capability, readonly: false },
          { deadlineMs: CALL_DEADLINE_MS },
        ),
    },
    {
      op: 'CreateSnapshot',
      transition: 'snapshot',
      prepare: withVolume,
      call: (client, prefix, p) => client.controller.createSnapshot({ name: `${prefix}-snap`, sourceVolumeId: volumeOf(p) }, { deadlineMs: CALL_DEADLINE_MS }),
    },
    {
      op: 'ControllerExpandVolume',
      transition: 'extend',
      prepare: withVolume,
      call: (client, _prefix, p) =>
        client.controller.controllerExpandVolume(
          { volumeId: volumeOf(p), capacityRange: { requiredBytes: 2 * GiB }, volumeCapability: capability },
          { deadlineMs: CALL_DEADLINE_MS },
        ),
    },
    {
      op: 'DeleteVolume',
      transition: 'delete',
      prepare: withVolume,
      call: (client, _prefix, p) => client.controller.deleteVolume({ volumeId: volumeOf(p) }, { deadlineMs: CALL_DEADLINE_MS }),
    },
  ];
}

/** Where the driver dies: after the call's n-th OpenStack request reached the emulator (plus a little), or while the emulator holds the call's transition. */
type KillPoint = { readonly kind: 'after-request'; readonly request: number; readonly delayMs: number } | { readonly kind: 'held'; readonly delayMs: number };

interface Outcome {
  readonly op: string;
  readonly point: KillPoint;
  /** The call had already answered when the kill came (the retry then finds the work done). */
  readonly answeredBeforeKill: boolean;
  /** Calls the restarted driver needed until one succeeded. */
  readonly replays: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(`kill -9 at random points, restart, replay (seed ${SEED})`, () => {
  let cloud: EmulatedCloud;
  let driver: RunningDriver;

  const startDriver = (): Promise<RunningDriver> =>
    cloud.startDriver(['--provide-node-service=false', '--cluster=crash', '--shutdown-grace-period=2s', '--v=2']);

  /** What a sidecar does: the same call again until it succeeds (bounded; every attempt has a deadline). */
  async function replayUntilSuccess(run: () => Promise<unknown>, what: string): Promise<number> {
    const errors: string[] = [];
    for (let attempt = 1; attempt <= 60; attempt++) {
      try {
        await run();
        return attempt;
      } catch (error) {
        errors.push(String(error));
        await sleep(Math.min(50 * attempt, 500));
      }
    }
    throw new Error(`${what} never succeeded after the restart:\n${errors.slice(-5).join('\n')}\n${driver.process.stderr().slice(-3000)}`);
  }

  /** Through the driver, as the CO would tear down: unpublish, delete snapshots, delete volumes. */
  async function cleanUp(): Promise<void> {
    const { controller } = driver.client;
    for (const volume of cloud.emu.volumes()) {
      for (const a of volume.attachments) {
        await replayUntilSuccess(() => controller.controllerUnpublishVolume({ volumeId: volume.id, nodeId: a.serverId }, { deadlineMs: CALL_DEADLINE_MS }), 'unpublish');
      }
    }
    for (const snapshot of cloud.emu.snapshots()) {
      await replayUntilSuccess(() => controller.deleteSnapshot({ snapshotId: snapshot.id }, { deadlineMs: CALL_DEADLINE_MS }), 'delete snapshot');
    }
    for (const volume of cloud.emu.volumes()) {
      await replayUntilSuccess(() => controller.deleteVolume({ volumeId: volume.id }, { deadlineMs: CALL_DEADLINE_MS }), 'delete volume');
    }
    await settle(cloud.emu);
    expect(normalizedCloudState(cloud.emu, '', cloud)).toEqual([]);
  }

  beforeAll(async () => {
    // Transitions of 60 ms leave windows (creating, attaching, extending, deleting) for kills to land in.
    cloud = await EmulatedCloud.start({ transitionDelayMs: 60, quotas: { volumes: 20, gigabytes: 100, snapshots: 20 } }, 'cinder-csi-crash-');
    driver = await startDriver();
  }, 120_000);

  afterAll(async () => {
    const left = await cloud?.close();
    if (left && (left.mounts.length > 0 || left.loops.length > 0)) process.stderr.write(`[crash] leftovers: ${JSON.stringify(left)}\n`);
  }, 120_000);

  test(`${KILLS_PER_OP * 5} kill points: the end state equals the crash-free run's, with no orphan and no duplicate`, async () => {
    const rng = new SeededRandom(SEED);
    const outcomes: Outcome[] = [];
    for (const scenario of scenarios(cloud)) {
      // The crash-free run: its end state is the reference, and its request count bounds the kill points.
      const refPrefix = `${scenario.op}-ref`;
      const prepared = await scenario.prepare(driver.client, refPrefix);
      const before = totalRequests(cloud.emu);
      await scenario.call(driver.client, refPrefix, prepared);
      const requests = totalRequests(cloud.emu) - before;
      await settle(cloud.emu);
      const reference = normalizedCloudState(cloud.emu, refPrefix, cloud);
      expect(reference.length).toBeGreaterThanOrEqual(scenario.op === 'DeleteVolume' ? 0 : 1);
      await cleanUp();

      for (let k = 0; k < KILLS_PER_OP; k++) {
        const prefix = `${scenario.op}-k${k}`;
        const point: KillPoint = rng.chance(0.3)
          ? { kind: 'held', delayMs: rng.int(0, 40) }
          : { kind: 'after-request', request: rng.int(1, Math.max(1, requests)), delayMs: rng.int(0, 20) };
        const p = await scenario.prepare(driver.client, prefix);
        if (point.kind === 'held') cloud.emu.faults.pauseTransitions([scenario.transition]);
        const baseline = totalRequests(cloud.emu);
        let answered = false;
        const pending = scenario.call(driver.client, prefix, p).then(
          () => void (answered = true),
          () => undefined,
        );
        // Wait for the kill point (bounded: the call may answer first, or never reach the point).
        for (let i = 0; i < 2000 && !answered; i++) {
          const reached = point.kind === 'held' ? transitionHeld(cloud, scenario.transition) : totalRequests(cloud.emu) - baseline >= point.request;
          if (reached) break;
          await sleep(2);
        }
        if (point.delayMs > 0 && !answered) await sleep(point.delayMs);
        const answeredBeforeKill = answered;
        await cloud.kill(driver);
        await pending;
        if (point.kind === 'held') cloud.emu.faults.resumeTransitions([scenario.transition]);

        driver = await startDriver();
        const replays = await replayUntilSuccess(() => scenario.call(driver.client, prefix, p), `${scenario.op} (kill point ${k})`);
        await settle(cloud.emu);
        const state = normalizedCloudState(cloud.emu, prefix, cloud);
        expect({ op: scenario.op, k, point, state }).toEqual({ op: scenario.op, k, point, state: reference });
        outcomes.push({ op: scenario.op, point, answeredBeforeKill, replays });
        await cleanUp();
      }
    }

    const lines = [`[crash] seed ${SEED} (rerun: CSI_CRASH_SEED=${SEED}); ${outcomes.length} kill points, every end state equal to the crash-free run's`];
    for (const op of [...new Set(outcomes.map((o) => o.op))]) {
      const mine = outcomes.filter((o) => o.op === op);
      const held = mine.filter((o) => o.point.kind === 'held').length;
      const early = mine.filter((o) => o.answeredBeforeKill).length;
      const replays = mine.map((o) => o.replays);
      lines.push(
        `[crash] ${op.padEnd(24)} kills=${mine.length} mid-call=${mine.length - early} after-answer=${early} ` +
          `held-transition=${held} after-nth-request=${mine.length - held} replays-until-success min=${Math.min(...replays)} max=${Math.max(...replays)}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    expect(outcomes.length).toBe(KILLS_PER_OP * 5);
    expect(outcomes.length).toBeGreaterThanOrEqual(50);
    expect(cloud.leftovers()).toEqual({ mounts: [], loops: [] });
  }, 600_000);
});

/** Whether the emulator is holding a transition of this kind in its intermediate state right now. */
function transitionHeld(cloud: EmulatedCloud, kind: TransitionKind): boolean {
  const volumeStatus: Partial<Record<TransitionKind, string>> = { create: 'creating', attach: 'attaching', extend: 'extending', delete: 'deleting' };
  if (kind === 'snapshot') return cloud.emu.snapshots().some((s) => s.status === 'creating');
  const wanted = volumeStatus[kind];
  return cloud.emu.volumes().some((v) => v.status === wanted);
}
