import { type Metadata, status } from '@grpc/grpc-js';
import type { Volume__Output, VolumeCapability } from '../../src/grpc/csi-types';
import { grpcCode } from '../helpers/csi-client';
import { DriverUnderTest } from './driver-under-test';

import { GiB } from '../helpers/sizes';
export { GiB };

/**
 * spec.md "Error Scheme", for every failed call: "The status message MUST contain a human readable description of
 * error" and "The status details MUST be empty". The project adds: never a stack trace in a status message.
 * Throws (failing the test) when a failure breaks these rules.
 */
export function checkErrorStatus(error: unknown): void {
  const e = error as { code?: number; details?: string; metadata?: Metadata };
  const name = status[e.code ?? -1] ?? String(e.code);
  const message = e.details ?? '';
  if (message.trim() === '') throw new Error(`a ${name} status came without a message`);
  if (/\n\s+at .+:\d+:\d+\)?/.test(message)) throw new Error(`a ${name} status message holds a stack trace: ${message}`);
  if ((e.metadata?.get('grpc-status-details-bin') ?? []).length > 0) throw new Error(`a ${name} status carries details: ${message}`);
}

/** The outcome of a call as "OK" or the gRPC status name (NOT_FOUND, ...), for readable expectations. */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    const code = grpcCode(error);
    if (code === undefined) throw error;
    checkErrorStatus(error);
    return status[code] ?? String(code);
  }
}

/** The status name and message of a failed call; throws when the call succeeded. */
export async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    const code = grpcCode(error);
    if (code === undefined) throw error;
    checkErrorStatus(error);
    return { code: status[code] ?? String(code), message: String((error as { details?: string }).details ?? (error as Error).message) };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

import { mountCapability } from '../helpers/capabilities';
export { blockCapability, mountCapability } from '../helpers/capabilities';

/** A volume id that is well-formed but names nothing (what a CO sends after the volume was deleted out of band). */
export const MISSING_VOLUME_ID = '00000000-0000-4000-8000-00000000dead';
export const MISSING_SNAPSHOT_ID = '00000000-0000-4000-8000-00000000beef';
export const MISSING_NODE_ID = '00000000-0000-4000-8000-00000000cafe';

/** Creates a 1 GiB mount volume and registers it for deletion after the test file. */
export async function createVolume(
  driver: DriverUnderTest,
  cleanup: Cleanup,
  overrides: { name?: string; capability?: VolumeCapability; requiredBytes?: number } = {},
): Promise<Volume__Output> {
  const res = await driver.controller.createVolume({
    name: overrides.name ?? DriverUnderTest.name(),
    volumeCapabilities: [overrides.capability ?? mountCapability()],
    capacityRange: { requiredBytes: overrides.requiredBytes ?? GiB },
  });
  const volume = res.volume;
  if (!volume) throw new Error('CreateVolume returned no volume');
  cleanup.volume(volume.volumeId);
  return volume;
}

/**
 * Tear-down a CO would do for what a test created: unpublish from every node, delete snapshots, delete volumes.
 * Errors are collected and rethrown together, so one failed delete does not keep the rest around.
 */
export class Cleanup {
  private readonly volumes: string[] = [];
  private readonly snapshots: string[] = [];

  constructor(private readonly driver: () => DriverUnderTest) {}

  volume(id: string): void {
    this.volumes.push(id);
  }

  snapshot(id: string): void {
    this.snapshots.push(id);
  }

  async run(): Promise<void> {
    const d = this.driver();
    const errors: string[] = [];
    for (const id of this.snapshots.splice(0)) {
      await d.controller.deleteSnapshot({ snapshotId: id }).catch((e: Error) => errors.push(`DeleteSnapshot ${id}: ${e.message}`));
    }
    for (const id of this.volumes.splice(0).reverse()) {
      // No node_id: the spec says the SP MUST then unpublish the volume from all nodes.
      await d.controller.controllerUnpublishVolume({ volumeId: id }).catch((e: Error) => {
        if (grpcCode(e) !== status.NOT_FOUND) errors.push(`ControllerUnpublishVolume ${id}: ${e.message}`);
      });
      await d.controller.deleteVolume({ volumeId: id }).catch((e: Error) => errors.push(`DeleteVolume ${id}: ${e.message}`));
    }
    if (errors.length > 0) throw new Error(`clean-up failed:\n${errors.join('\n')}`);
  }
}
