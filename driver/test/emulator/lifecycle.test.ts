import { exists } from '../helpers/fs';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { startEmulator } from '../../test-support/emulator';
import { createVolume, http, login, until, waitSnapshot } from './helpers';

const DRIVER = path.resolve(__dirname, '../..');

function loopsUnder(dir: string): string[] {
  return execFileSync('losetup', ['-a'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir));
}

describe('emulator lifecycle', () => {
  it('close() stops HTTP, detaches every loop device it made and removes its files and temp dirs', async () => {
    const emu = await startEmulator({ transitionDelayMs: 5 });
    const c = await login(emu);
    const node = emu.addServer();
    const a = await createVolume(c);
    const b = await createVolume(c);
    await c.nova('POST', `/servers/${node.id}/os-volume_attachments`, { volumeAttachment: { volumeId: a } });
    const snap = (await c.cinder('POST', '/snapshots', { snapshot: { volume_id: b } })).data.snapshot.id as string;
    await waitSnapshot(c, snap, 'available');
    await until('attached', async () => (emu.volumes().find((v) => v.id === a)?.status === 'in-use' ? true : undefined));
    emu.faults.pauseTransitions(['create']);
    await c.cinder('POST', '/volumes', { volume: { size: 1 } });
    expect(loopsUnder(emu.dataDir)).toHaveLength(1);

    await emu.close();
    expect(loopsUnder(emu.dataDir)).toEqual([]);
    expect(await exists(emu.dataDir)).toBe(false);
    expect(await exists(emu.byIdDir)).toBe(false);
    await expect(http.get(emu.authUrl)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await emu.close();
  });

  it('close() keeps caller-provided directories but empties them of what it created', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'emu-given-'));
    try {
      const dataDir = path.join(root, 'data');
      const byIdDir = path.join(root, 'by-id');
      await fs.mkdir(dataDir);
      await fs.writeFile(path.join(dataDir, 'not-ours'), 'x');
      const emu = await startEmulator({ dataDir, byIdDir, transitionDelayMs: 5 });
      const c = await login(emu);
      const node = emu.addServer();
      const v = await createVolume(c);
      await c.nova('POST', `/servers/${node.id}/os-volume_attachments`, { volumeAttachment: { volumeId: v } });
      await until('attached', async () => (emu.volumes()[0]?.status === 'in-use' ? true : undefined));
      expect(await fs.readdir(byIdDir)).toEqual([`virtio-${v.slice(0, 20)}`]);
      await emu.close();
      expect(await fs.readdir(dataDir)).toEqual(['not-ours']);
      expect(await fs.readdir(byIdDir)).toEqual([]);
      expect(loopsUnder(dataDir)).toEqual([]);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('fails to start on a port in use with a clear error, leaving no temp dir behind', async () => {
    const first = await startEmulator();
    const port = Number(new URL(first.authUrl).port);
    // A private TMPDIR, so that other processes' temp dirs cannot be mistaken for leftovers.
    const privateTmp = await fs.mkdtemp(path.join(os.tmpdir(), 'emu-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await expect(startEmulator({ port })).rejects.toThrow(`port ${port}`);
      expect(await fs.readdir(privateTmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await fs.rm(privateTmp, { recursive: true, force: true });
      await first.close();
    }
  });

  it('never detaches a loop device it did not create, even one reusing the number of its own', async () => {
    const foreignDir = await fs.mkdtemp(path.join(os.tmpdir(), 'emu-foreign-'));
    const foreignFile = path.join(foreignDir, 'disk');
    await fs.writeFile(foreignFile, Buffer.alloc(1024 * 1024));
    let foreignLoop: string | undefined;
    try {
      // Other processes on this machine use loop devices too: if one grabs the freed number first, try again.
      for (let attempt = 0; attempt < 5 && !foreignLoop; attempt++) {
        const emu = await startEmulator({ transitionDelayMs: 5 });
        try {
          const c = await login(emu);
          const node = emu.addServer();
          const v = await createVolume(c);
          await c.nova('POST', `/servers/${node.id}/os-volume_attachments`, { volumeAttachment: { volumeId: v } });
          await until('attached', async () => (emu.volumes()[0]?.status === 'in-use' ? true : undefined));
          const ours = emu.volumes()[0]?.attachments[0]?.loopDevice as string;
          // Someone else frees our device behind our back and takes its number for their own file.
          execFileSync('losetup', ['-d', ours]);
          try {
            foreignLoop = execFileSync('losetup', ['--show', ours, foreignFile], { encoding: 'utf8', stdio: 'pipe' }).trim();
          } catch {
            continue;
          }
          await emu.close();
          expect(execFileSync('losetup', ['-j', foreignFile], { encoding: 'utf8' })).toContain(`${ours}:`);
        } finally {
          await emu.close();
        }
      }
      expect(foreignLoop).toBeDefined();
    } finally {
      if (foreignLoop) execFileSync('losetup', ['-d', foreignLoop]);
      await fs.rm(foreignDir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with an error naming the option', async () => {
    await expect(startEmulator({ latencyMs: -5 })).rejects.toThrow('latencyMs');
    await expect(startEmulator({ quotas: { volumes: 1.5 } })).rejects.toThrow('quotas.volumes');
    await expect(startEmulator({ availabilityZones: [] })).rejects.toThrow('availabilityZones');
    await expect(startEmulator({ tokenTtlSeconds: 0 })).rejects.toThrow('tokenTtlSeconds');
  });

  it('serves meta_data.json for the chosen server on the metadata URL', async () => {
    const emu = await startEmulator();
    try {
      const none = await http.get(`${emu.metadataUrl}/openstack/latest/meta_data.json`);
      expect(none.status).toBe(404);
      const s = emu.addServer({ name: 'Worker_1', availabilityZone: 'nova' });
      emu.setMetadataServer(s.id);
      const r = await http.get(`${emu.metadataUrl}/openstack/latest/meta_data.json`);
      expect(r.data).toMatchObject({ uuid: s.id, name: 'Worker_1', hostname: 'worker-1', availability_zone: 'nova', project_id: emu.projectId, devices: [] });
      expect(() => emu.setMetadataServer('nope')).toThrow('unknown server');
      expect(() => emu.addServer({ availabilityZone: 'mars' })).toThrow('availabilityZone');
    } finally {
      await emu.close();
    }
  });

  it('writes a [Global] cloud.conf with its auth-url, region and credentials; extra keys override, empty ones remove', async () => {
    const emu = await startEmulator({ region: 'R2' });
    try {
      const conf = emu.cloudConf({ 'tls-insecure': 'true', password: '' });
      expect(conf.startsWith('[Global]\n')).toBe(true);
      expect(conf).toContain(`auth-url = ${emu.authUrl}\n`);
      expect(conf).toContain('region = R2\n');
      expect(conf).toContain('tls-insecure = true\n');
      expect(conf).not.toContain('password');
      expect(emu.cloudConf()).toContain('password = secret\n');
    } finally {
      await emu.close();
    }
  });

  describe('CLI', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
    });

    it('prints its URLs, writes cloud.conf, and on SIGTERM detaches its loop devices and exits 0', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'emu-cli-'));
      try {
        const confPath = path.join(dir, 'cloud.conf');
        child = spawn(
          process.execPath,
          ['-r', './test/helpers/ts-register.js', 'test-support/emulator/main.ts', '--cloud-conf', confPath, '--server', 'node-a', '--transition-delay-ms', '5'],
          { cwd: DRIVER, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const proc = child;
        const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
        const line = await new Promise<string>((resolve, reject) => {
          createInterface({ input: proc.stdout as NodeJS.ReadableStream }).once('line', resolve);
          proc.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
        });
        const info = JSON.parse(line) as { authUrl: string; metadataUrl: string; dataDir: string; servers: Array<{ id: string }> };
        expect(info.authUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/identity\/v3$/);
        expect(await fs.readFile(confPath, 'utf8')).toContain(`auth-url = ${info.authUrl}`);
        const md = await http.get(`${info.metadataUrl}/openstack/latest/meta_data.json`);
        expect(md.data.uuid).toBe(info.servers[0]?.id);

        const fake = { authUrl: info.authUrl } as Parameters<typeof login>[0];
        const c = await login(fake);
        const v = await createVolume(c);
        await c.nova('POST', `/servers/${info.servers[0]?.id}/os-volume_attachments`, { volumeAttachment: { volumeId: v } });
        await until('loop device', async () => (loopsUnder(info.dataDir).length === 1 ? true : undefined));

        proc.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(loopsUnder(info.dataDir)).toEqual([]);
        expect(await exists(info.dataDir)).toBe(false);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('rejects a bad option value with a message naming the option', async () => {
      const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, ['-r', './test/helpers/ts-register.js', 'test-support/emulator/main.ts', '--port', 'abc'], { cwd: DRIVER });
        let stderr = '';
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('exit', (code) => resolve({ code, stderr }));
      });
      expect(out.code).not.toBe(0);
      expect(out.stderr).toContain('--port');
    });
  });
});
