import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { startCsiServer, type CsiServerHandle } from '../../src/grpc/server';
import { CinderIdentityService } from '../../src/identity/identity-service';
import { CinderNodeService } from '../../src/node/node-service';
import { resolveNodeServiceConfig, type NodeServiceConfigInput, type NodeServiceConfig } from '../../src/node/node-config';
import { connectCsi, type CsiClient, type NodeClient } from '../helpers/csi-client';
import { LoopFixture, type LoopDevice } from '../mounter/loop-fixture';
import { runTool } from '../../src/mounter/run-tool';
import { LinuxMounter } from '../../src/mounter/linux-mounter';
import type { Mounter } from '../../src/mounter/mounter';

export const MiB = 1024 * 1024;

/**
 * The real node plugin behind its real gRPC server on a Unix socket, with kubelet, by-id and staging directories
 * and loop devices all inside one fixture dir.
 */
export class NodeHarness {
  private constructor(
    readonly fixture: LoopFixture,
    readonly config: NodeServiceConfig,
    private readonly server: CsiServerHandle,
    private readonly client: CsiClient,
  ) {}

  /** @param mounter the node service's mounter (default the real LinuxMounter; tests wrap it to inject faults). */
  static async start(name: string, overrides: NodeServiceConfigInput = {}, mounter: Mounter = new LinuxMounter()): Promise<NodeHarness> {
    const fixture = await LoopFixture.create(name);
    const config = resolveNodeServiceConfig({
      kubeletDir: await fixture.mkdir('kubelet'),
      byIdDir: await fixture.mkdir('by-id'),
      deviceWaitTimeoutMs: 2_000,
      deviceWaitIntervalMs: 200,
      nodeIdOverride: 'node-under-test',
      availabilityZoneOverride: 'nova',
      ...overrides,
    });
    const logger = pino({ level: 'silent' });
    const server = await startCsiServer({
      endpoint: path.join(fixture.dir, 'csi.sock'),
      identity: new CinderIdentityService({ driverName: config.driverName, vendorVersion: 'test', withTopology: true }),
      node: new CinderNodeService(config, mounter),
      logger,
    });
    const client = await connectCsi(path.join(fixture.dir, 'csi.sock'));
    return new NodeHarness(fixture, config, server, client);
  }

  get node(): NodeClient {
    return this.client.node;
  }

  /** A new blank "Cinder volume": a sparse loop device linked into by-id the way virtio-blk names it. */
  async attachVolume(sizeBytes: number): Promise<{ volumeId: string; loop: LoopDevice }> {
    const volumeId = randomUUID();
    const loop = await this.fixture.attach(sizeBytes, volumeId);
    await fs.symlink(loop.device, path.join(this.config.byIdDir, `virtio-${volumeId.slice(0, 20)}`));
    return { volumeId, loop };
  }

  stagingPath(volumeId: string): string {
    return path.join(this.config.kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'cinder', volumeId, 'globalmount');
  }

  targetPath(volumeId: string, pod = 'pod-a'): string {
    return path.join(this.config.kubeletDir, 'pods', pod, 'volumes', 'kubernetes.io~csi', volumeId, 'mount');
  }

  async close(): Promise<{ mounts: string[]; loops: string[] }> {
    this.client.close();
    await this.server.close({ graceMs: 1_000 });
    const mounts = await this.fixture.leftoverMounts();
    await this.fixture.cleanup();
    return { mounts, loops: await this.fixture.leftoverLoops() };
  }
}

export { blockCapability, mountCapability } from '../helpers/capabilities';

/** The gRPC status code of a failed call (or "no error" so the expectation shows the call succeeded). */
export async function codeOf(call: Promise<unknown>): Promise<number | string> {
  try {
    await call;
    return 'no error';
  } catch (error) {
    return (error as { code: number }).code;
  }
}

export async function fsTypeOn(device: string): Promise<string> {
  const { stdout } = await runTool('blkid', ['-p', '-o', 'value', '-s', 'TYPE', device]);
  return stdout.trim();
}
