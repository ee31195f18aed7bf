import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectCsi } from '../helpers/csi-client';

const DRIVER_DIR = path.resolve(__dirname, '../..');

function loopDevicesBackedBy(dir: string): string[] {
  return execFileSync('losetup', ['-a'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir));
}

// The documented local trial (README: "Try the driver locally"): one command starts the emulator and the driver
// on a given socket; a user or a conformance tool then drives it like kubelet would, and SIGTERM leaves nothing.
describe('local trial command', () => {
  it('serves controller and node on the given socket against the emulator and cleans up on SIGTERM', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-trial-test-'));
    const socket = path.join(dir, 'csi.sock');
    const kubeletDir = path.join(dir, 'kubelet');
    const child = spawn(
      process.execPath,
      ['-r', './test/helpers/ts-register.js', 'test-support/trial.ts', '--endpoint', `unix://${socket}`, '--kubelet-dir', kubeletDir],
      { cwd: DRIVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let dataDir = '';
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.on('exit', (code) => reject(new Error(`trial exited ${code}: ${stderr}`)));
      });
      const info = JSON.parse(line) as { endpoint: string; nodeId: string; dataDir: string; byIdDir: string };
      dataDir = info.dataDir;
      expect(info.endpoint).toBe(`unix://${socket}`);

      const csi = await connectCsi(socket);
      try {
        expect((await csi.identity.getPluginInfo({})).name).toBe('cinder.csi.openstack.org');
        expect((await csi.node.nodeGetInfo({})).nodeId).toBe(info.nodeId);
        const created = await csi.controller.createVolume({
          name: 'trial-volume',
          capacityRange: { requiredBytes: 1 << 30 },
          volumeCapabilities: [{ mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } }],
        });
        const volumeId = created.volume!.volumeId;
        await csi.controller.controllerPublishVolume({
          volumeId,
          nodeId: info.nodeId,
          volumeCapability: { mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } },
        });
        // Left attached on purpose: stopping the trial must still detach the loop device.
        expect(loopDevicesBackedBy(dataDir)).toHaveLength(1);
      } finally {
        csi.close();
      }
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await fs.rm(dir, { recursive: true, force: true });
    }
    await expect(fs.access(socket)).rejects.toThrow();
    expect(loopDevicesBackedBy(dataDir)).toEqual([]);
    await expect(fs.access(dataDir)).rejects.toThrow();
  });
});
