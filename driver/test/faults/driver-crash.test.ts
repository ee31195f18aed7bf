import { status } from '@grpc/grpc-js';
import { eventually } from '../helpers/waiting';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import type { VolumeCapability } from '../../src/grpc/csi-types';
import { connectCsi, grpcCode, type CsiClient } from '../helpers/csi-client';
import { startDriverProcess, type DriverProcess } from '../helpers/driver-process';

const PASSWORD = 'Pw-never-in-logs-7f3a';
/** Prefix of the emulator's Keystone tokens (like Fernet tokens): no log line may carry one. */
const TOKEN_PREFIX = 'gAAAAAB';
const capability: VolumeCapability = { mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } };

describe('the controller process is killed in the middle of CreateVolume', () => {
  let emu: Emulator;
  let dir: string;
  let socket: string;
  let conf: string;
  let driver: DriverProcess | undefined;
  let client: CsiClient | undefined;

  const start = async (): Promise<CsiClient> => {
    driver = await startDriverProcess([
      '--endpoint', `unix://${socket}`, '--cloud-config', conf, '--provide-node-service=false', '--cluster', 'crash-test', '--v', '5',
    ]);
    client = await connectCsi(socket);
    return client;
  };
  const logs: string[] = [];
  const crash = async (): Promise<void> => {
    if (driver) logs.push(driver.stderr(), driver.stdout());
    client?.close();
    client = undefined;
    await driver?.stop('SIGKILL');
    driver = undefined;
  };

  beforeEach(async () => {
    emu = await startEmulator({ transitionDelayMs: 30, password: PASSWORD });
    dir = mkdtempSync(path.join(tmpdir(), 'cinder-csi-crash-'));
    socket = path.join(dir, 'csi.sock');
    conf = path.join(dir, 'cloud.conf');
    writeFileSync(conf, emu.cloudConf());
  });
  afterEach(async () => {
    await crash();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('killed after Cinder accepted the create: the retried call adopts the volume (no orphan, no duplicate)', async () => {
    const csi = await start();
    emu.faults.pauseTransitions(['create']);
    const pending = csi.controller.createVolume({ name: 'pvc-crash-1', volumeCapabilities: [capability] });
    pending.catch(() => undefined);
    await eventually('the volume is being created', () => emu.volumes().some((v) => v.name === 'pvc-crash-1'));
    await crash();
    // The process died under the call: the client sees the connection drop.
    expect(grpcCode(await pending.catch((e: unknown) => e))).toBe(status.UNAVAILABLE);
    emu.faults.resumeTransitions(['create']);

    const again = await start();
    const res = await again.controller.createVolume({ name: 'pvc-crash-1', volumeCapabilities: [capability] });
    const named = emu.volumes().filter((v) => v.name === 'pvc-crash-1');
    expect(named.map((v) => v.id)).toEqual([res.volume!.volumeId]);
    expect(named[0]?.status).toBe('available');
    expect(named[0]?.metadata['cinder.csi.openstack.org/cluster']).toBe('crash-test');
    const listed = await again.controller.listVolumes({});
    expect(listed.entries.map((e) => e.volume!.volumeId)).toEqual([res.volume!.volumeId]);
    // Also after a token was rejected (401 and renewal) and a failed call, nothing secret reached the logs.
    emu.expireAllTokens();
    await again.controller.deleteVolume({ volumeId: res.volume!.volumeId });
    await again.controller.createVolume({ name: 'bad', volumeCapabilities: [capability], parameters: { type: 'nope' } }).catch(() => undefined);
    await crash();
    const text = logs.join('\n');
    expect(text).toContain('cinder-csi-plugin started');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN_PREFIX);
  });

  test('killed while the create request itself was in flight: the retry finds what Cinder created', async () => {
    const csi = await start();
    // Cinder holds the POST; the driver dies before any answer comes back, then Cinder creates the volume anyway.
    emu.faults.add({ method: 'POST', path: '/volume/v3/{project_id}/volumes', action: { kind: 'delay', ms: 500 } });
    const before = emu.counters.requests['POST /volume/v3/{project_id}/volumes'] ?? 0;
    const pending = csi.controller.createVolume({ name: 'pvc-crash-2', volumeCapabilities: [capability] });
    pending.catch(() => undefined);
    await eventually('the create request reached Cinder', () => (emu.counters.requests['POST /volume/v3/{project_id}/volumes'] ?? 0) > before);
    await crash();
    await eventually('Cinder created the volume after the driver died', () => emu.volumes().some((v) => v.name === 'pvc-crash-2'));

    const again = await start();
    const res = await again.controller.createVolume({ name: 'pvc-crash-2', volumeCapabilities: [capability] });
    expect(emu.volumes().filter((v) => v.name === 'pvc-crash-2').map((v) => v.id)).toEqual([res.volume!.volumeId]);
  });
});
