import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connectCsi, type CsiClient } from '../helpers/csi-client';
import { driverCommand } from '../helpers/driver-process';
// The suite's sizes and capabilities are the shared helpers' (re-exported for controller.test.ts).
export { mountCapability } from '../helpers/capabilities';
export { GiB } from '../helpers/sizes';
import { adminCloudConf } from './openstack-admin';

/** "OK" or the gRPC status name of a call, plus the error details, for expectations that read as the CSI spec. */
export async function outcome(call: Promise<unknown>): Promise<{ code: string; details: string }> {
  try {
    await call;
    return { code: 'OK', details: '' };
  } catch (error) {
    const e = error as { code?: number; details?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: grpc.status[e.code] ?? String(e.code), details: e.details ?? '' };
  }
}

/**
 * The real cinder-csi-plugin, controller service only (as the controller Deployment runs it), as a child process on a
 * Unix socket, configured with a cloud.conf for the real Keystone and dialled through the CSI client like the sidecars.
 */
export class ControllerDriver {
  private constructor(
    readonly client: CsiClient,
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly log: { text: string },
  ) {}

  static async start(): Promise<ControllerDriver> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csi-openstack-'));
    const cloudConf = path.join(dir, 'cloud.conf');
    await fs.writeFile(cloudConf, adminCloudConf(), { mode: 0o600 });
    const socket = path.join(dir, 'csi.sock');
    const { command, args } = driverCommand([
      `--endpoint=unix://${socket}`,
      `--cloud-config=${cloudConf}`,
      '--provide-controller-service=true',
      '--provide-node-service=false',
      '--cluster=openstack-e2e',
      '--shutdown-grace-period=5s',
      '--v=5',
    ]);
    const child = spawn(command, args, { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    const log = { text: '' };
    child.stdout?.on('data', (d: Buffer) => void (log.text += d.toString()));
    child.stderr?.on('data', (d: Buffer) => void (log.text += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`driver exited during start-up (code ${code}, signal ${signal}):\n${log.text}`))),
    );
    exited.catch(() => undefined);
    try {
      const client = await Promise.race([connectCsi(socket, { waitMs: 30_000 }), exited]);
      return new ControllerDriver(client, child, dir, log);
    } catch (error) {
      child.kill('SIGKILL');
      await fs.rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** SIGTERM (as kubelet stops a pod), then removes the socket dir; the driver must exit by itself. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.client.close();
    const exit = this.child.exitCode !== null || this.child.signalCode !== null
      ? { code: this.child.exitCode, signal: this.child.signalCode }
      : await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
        this.child.once('exit', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal });
        });
        this.child.kill('SIGTERM');
      });
    await fs.rm(this.dir, { recursive: true, force: true });
    return exit;
  }
}
