import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import { connectCsi, type CsiClient } from '../helpers/csi-client';

/**
 * The single-file bundle the image runs (scripts/bundle.js), built from src/ and run with plain node: the same
 * calls as the compiled tree answers, for the node role and for the controller role against the emulator.
 */

const DRIVER_DIR = path.resolve(__dirname, '../..');
const PACKAGE_VERSION = (require('../../package.json') as { version: string }).version;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleDriver } = require('../../scripts/bundle.js') as {
  bundleDriver(options: { outDir: string; codeCacheNodeFlags?: string[] }): Promise<{ bundle: string; notices: string; packages: string[]; codeCache?: string }>;
};

let dir: string;
let built: { bundle: string; notices: string; packages: string[]; codeCache?: string };
let emu: Emulator;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-bundle-'));
  // As in the image: package.json one level above the bundle's directory (the driver reads its version there).
  await fs.copyFile(path.join(DRIVER_DIR, 'package.json'), path.join(dir, 'package.json'));
  // The tests run the bundle with plain node, no flags: the cache is made for exactly that.
  built = await bundleDriver({ outDir: path.join(dir, 'bundle'), codeCacheNodeFlags: [] });
  emu = await startEmulator();
}, 120_000);

afterAll(async () => {
  await emu?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

function start(args: readonly string[], nodeFlags: readonly string[] = []): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeFlags, built.bundle, '--v=0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function readyProbe(csi: CsiClient): Promise<void> {
  for (;;) {
    const res = await csi.identity.probe({});
    if (res.ready?.value !== false) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the bundled driver (scripts/bundle.js)', () => {
  test('holds src and production dependencies only, with the license text of each bundled package', async () => {
    const lock = JSON.parse(await fs.readFile(path.join(DRIVER_DIR, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    expect(built.packages).toEqual(expect.arrayContaining(['node_modules/@grpc/grpc-js', 'node_modules/protobufjs', 'node_modules/pino']));
    expect(built.packages.filter((p) => lock.packages[p]?.dev === true)).toEqual([]);
    expect(built.packages).toEqual(expect.arrayContaining(['node_modules/axios', 'node_modules/http-proxy-agent', 'node_modules/https-proxy-agent']));
    expect(built.packages.filter((p) => /typescript|jest|esbuild|supports-color/.test(p))).toEqual([]);
    const notices = await fs.readFile(built.notices, 'utf8');
    const named = [...notices.matchAll(/^(\S+)@\d[^ ]* \(/gm)].map((m) => m[1]);
    expect(named).toEqual(built.packages.map((p) => p.replace(/^.*node_modules\//, '')));
  });

  test('--version prints the package version', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [built.bundle, '--version']);
    expect(stdout).toBe(`${PACKAGE_VERSION}\n`);
  });

  test('starts from the code cache with the flags it was made for, and without it when V8 rejects it', async () => {
    expect(built.codeCache).toBe(path.join(dir, 'bundle/driver.js.cache'));
    const env = { ...process.env, CINDER_CSI_CODE_CACHE: 'check' };
    const same = await promisify(execFile)(process.execPath, [built.bundle, '--version'], { env });
    expect([same.stdout, same.stderr]).toEqual([`${PACKAGE_VERSION}\n`, 'accepted\n']);
    const other = await promisify(execFile)(process.execPath, ['--max-semi-space-size=1', built.bundle, '--version'], { env });
    expect([other.stdout, other.stderr]).toEqual([`${PACKAGE_VERSION}\n`, 'rejected\n']);
  });

  test('driver/Dockerfile makes the code cache with the node flags of its ENTRYPOINT', async () => {
    const dockerfile = await fs.readFile(path.join(DRIVER_DIR, 'Dockerfile'), 'utf8');
    const entrypoint = JSON.parse(/^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    const script = entrypoint.indexOf('/opt/cinder-csi/bundle/main.js');
    expect([entrypoint[0], script > 0]).toEqual(['node', true]);
    const cacheFlags = /scripts\/bundle\.js bundle --code-cache="([^"]*)"/.exec(dockerfile)?.[1];
    expect(cacheFlags?.split(' ').filter((f) => f !== '')).toEqual(entrypoint.slice(1, script));
  });

  test('serves the node role: Probe ready, GetPluginInfo, and a clean stop on SIGTERM', async () => {
    const socket = path.join(dir, 'node.sock');
    const driver = start([`--endpoint=unix://${socket}`, '--provide-controller-service=false', '--node-id=n1', '--availability-zone=nova', `--kubelet-dir=${dir}/kubelet`]);
    const csi = await connectCsi(socket, { waitMs: 30_000 });
    try {
      expect(await csi.identity.probe({})).toEqual({ ready: { value: true } });
      expect(await csi.identity.getPluginInfo({})).toMatchObject({ name: 'cinder.csi.openstack.org', vendorVersion: PACKAGE_VERSION });
      expect(await csi.node.nodeGetInfo({})).toMatchObject({ nodeId: 'n1' });
    } finally {
      csi.close();
      driver.child.kill('SIGTERM');
    }
    expect(await driver.exited).toBe(0);
  }, 60_000);

  test('the controller loads node\'s undici (axios reads the fetch globals) unless node runs with the ENTRYPOINT\'s --no-experimental-fetch', async () => {
    const dockerfile = await fs.readFile(path.join(DRIVER_DIR, 'Dockerfile'), 'utf8');
    expect(/^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1]).toContain('"--no-experimental-fetch"');
    const conf = path.join(dir, 'cloud.conf');
    await fs.writeFile(conf, emu.cloudConf(), { mode: 0o600 });
    // Reports, as the process exits, the node-internal modules it loaded whose name says undici.
    const preload = path.join(dir, 'report-undici.js');
    await fs.writeFile(preload, "process.on('exit', () => process.stderr.write(`undici:${JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici')))}\\n`));\n");
    const undiciLoaded = async (flags: readonly string[], name: string): Promise<boolean> => {
      const socket = path.join(dir, `${name}.sock`);
      const driver = start([`--endpoint=unix://${socket}`, '--provide-node-service=false', `--cloud-config=${conf}`], [...flags, '-r', preload]);
      const csi = await connectCsi(socket, { waitMs: 30_000 });
      try {
        await readyProbe(csi);
        await csi.controller.createVolume({
          name: `undici-${name}`,
          capacityRange: { requiredBytes: 1 << 30 },
          volumeCapabilities: [{ mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } }],
        });
      } finally {
        csi.close();
        driver.child.kill('SIGTERM');
      }
      expect(await driver.exited).toBe(0);
      const report = /^undici:(.*)$/m.exec(driver.stderr())?.[1];
      return (JSON.parse(report ?? 'null') as string[]).length > 0;
    };
    expect(await undiciLoaded(['--no-experimental-fetch'], 'no-fetch')).toBe(false);
    expect(await undiciLoaded([], 'with-fetch')).toBe(true);
  }, 120_000);

  test('serves the controller role against the emulator: ready after the cloud answered, CreateVolume and DeleteVolume', async () => {
    const conf = path.join(dir, 'cloud.conf');
    await fs.writeFile(conf, emu.cloudConf(), { mode: 0o600 });
    const socket = path.join(dir, 'controller.sock');
    const driver = start([`--endpoint=unix://${socket}`, '--provide-node-service=false', `--cloud-config=${conf}`]);
    const csi = await connectCsi(socket, { waitMs: 30_000 });
    try {
      await readyProbe(csi);
      const created = await csi.controller.createVolume({
        name: 'bundle-pvc',
        capacityRange: { requiredBytes: 1 << 30 },
        volumeCapabilities: [{ mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } }],
      });
      const id = created.volume?.volumeId ?? '';
      expect(emu.volumes().filter((v) => v.id === id).map((v) => [v.name, v.size])).toEqual([['bundle-pvc', 1]]);
      await csi.controller.deleteVolume({ volumeId: id });
      expect(emu.volumes().filter((v) => v.id === id)).toEqual([]);
    } finally {
      csi.close();
      driver.child.kill('SIGTERM');
    }
    expect([await driver.exited, driver.stderr().includes('"level":"error"')]).toEqual([0, false]);
  }, 120_000);
});
