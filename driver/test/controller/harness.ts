import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { CloudClientConfig } from '../../src/cloud/config';
import { OpenStackCloud } from '../../src/cloud/openstack-cloud';
import { CinderControllerService } from '../../src/controller/controller-service';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../test-support/emulator';
import type { VolumeCapability } from '../../src/grpc/csi-types';
import { startCsiServer, type CsiServerHandle } from '../../src/grpc/server';
import { CinderIdentityService } from '../../src/identity/identity-service';
import { connectCsi, grpcCode, type ControllerClient, type CsiClient } from '../helpers/csi-client';
import { passwordConfig } from '../cloud/support';

export { GiB } from '../helpers/sizes';
export const CLUSTER = 'test-cluster';

/**
 * The real controller behind the real gRPC server on a Unix socket, talking HTTP to the OpenStack emulator:
 * what the external-provisioner/attacher sidecars see, with nothing mocked.
 */
export class ControllerHarness {
  private constructor(
    readonly emu: Emulator,
    readonly cloud: OpenStackCloud,
    readonly service: CinderControllerService,
    private readonly server: CsiServerHandle,
    private readonly client: CsiClient,
    private readonly dir: string,
  ) {}

  static async start(
    options: EmulatorOptions = {},
    cloudOverrides: Partial<CloudClientConfig> = {},
    serviceOverrides: { withTopology?: boolean } = {},
  ): Promise<ControllerHarness> {
    const emu = await startEmulator({ transitionDelayMs: 30, ...options });
    const dir = mkdtempSync(path.join(tmpdir(), 'cinder-csi-ctrl-'));
    const cloud = new OpenStackCloud(passwordConfig(emu, cloudOverrides));
    const service = new CinderControllerService(cloud, {
      clusterId: CLUSTER,
      // Longer than any request the emulator is told to hold in these tests (at most 1.5 s), as the production
      // default (60 s) is longer than Cinder's API would hold a request.
      createDoubtMs: 3000,
      withTopology: serviceOverrides.withTopology ?? true,
      statusPoll: { poll: { initialMs: 20, maxMs: 200, factor: 1.5, jitter: 0.3 }, maxConsecutiveFailures: 5 },
    });
    const socket = path.join(dir, 'csi.sock');
    const server = await startCsiServer({
      endpoint: socket,
      identity: new CinderIdentityService({ driverName: 'cinder.csi.openstack.org', vendorVersion: 'test', withTopology: true }),
      controller: service,
      logger: pino({ level: 'silent' }),
    });
    const client = await connectCsi(socket);
    return new ControllerHarness(emu, cloud, service, server, client, dir);
  }

  get controller(): ControllerClient {
    return this.client.controller;
  }

  async close(): Promise<void> {
    this.client.close();
    await this.server.close({ graceMs: 1000 });
    this.service.close();
    this.cloud.close();
    await this.emu.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Volumes the emulator holds with this name. */
  volumesNamed(name: string) {
    return this.emu.volumes().filter((v) => v.name === name);
  }
}

export function mountCap(mode = 'SINGLE_NODE_WRITER', fsType = 'ext4'): VolumeCapability {
  return { mount: { fsType, mountFlags: [] }, accessMode: { mode: mode as 'SINGLE_NODE_WRITER' } };
}

export function blockCap(mode = 'SINGLE_NODE_WRITER'): VolumeCapability {
  return { block: {}, accessMode: { mode: mode as 'SINGLE_NODE_WRITER' } };
}

/** The gRPC status code and message of a failed call (throws if it succeeded). */
export async function failure(call: Promise<unknown>): Promise<{ code: number | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    return { code: grpcCode(error), message: String((error as { details?: string }).details ?? (error as Error).message) };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
