import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { runTool } from '../../src/mounter/run-tool';
import type { LoopDevice, LoopFixture } from '../mounter/loop-fixture';

export interface MetaData {
  uuid?: unknown;
  availability_zone?: unknown;
  [key: string]: unknown;
}

/** A directory tree laid out like a Nova config drive. */
export async function writeConfigDriveTree(dir: string, metaData: MetaData | string): Promise<void> {
  const latest = path.join(dir, 'openstack', 'latest');
  await fs.mkdir(latest, { recursive: true });
  await fs.writeFile(path.join(latest, 'meta_data.json'), typeof metaData === 'string' ? metaData : JSON.stringify(metaData));
}

/**
 * A vfat config drive on a loop device, as Nova builds it with config_drive_format=vfat. Filled with mtools, so
 * that it can be built where the kernel has no vfat driver.
 */
export async function vfatConfigDrive(fixture: LoopFixture, label: string, metaData: MetaData): Promise<LoopDevice> {
  const tree = await fixture.mkdir(`tree-${label}`);
  await writeConfigDriveTree(tree, metaData);
  const loop = await fixture.attach(16 * 1024 * 1024);
  await runTool('mkfs.vfat', ['-n', label, loop.device]);
  await runTool('mcopy', ['-s', '-i', loop.device, path.join(tree, 'openstack'), '::/']);
  return loop;
}

/** A config drive whose filesystem every Linux kernel mounts (ext4), to exercise the mount-read-unmount path. */
export async function ext4ConfigDrive(fixture: LoopFixture, label: string, metaData: MetaData): Promise<LoopDevice> {
  const loop = await fixture.attach(16 * 1024 * 1024);
  await runTool('mkfs.ext4', ['-q', '-F', '-L', label, loop.device]);
  const dir = await fixture.mkdir(`fill-${label}`);
  await runTool('mount', [loop.device, dir]);
  try {
    await writeConfigDriveTree(dir, metaData);
  } finally {
    await runTool('umount', [dir]);
  }
  return loop;
}

/** An ISO 9660 config drive on a loop device, Nova's default format. */
export async function isoConfigDrive(fixture: LoopFixture, label: string, metaData: MetaData): Promise<LoopDevice> {
  const tree = await fixture.mkdir(`tree-${label}`);
  await writeConfigDriveTree(tree, metaData);
  const image = path.join(fixture.dir, `${label}.iso`);
  await runTool('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-V', label, '-o', image, tree]);
  const { stdout } = await runTool('losetup', ['--find', '--show', '--read-only', image]);
  return { file: image, device: stdout.trim() };
}

export interface MetadataServer {
  readonly url: string;
  /** Paths requested so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * The OpenStack metadata service's meta_data.json endpoint on 127.0.0.1. `answer` decides per request:
 * a document, an HTTP status, or "hang" (never answers, to exercise timeouts).
 */
export async function startMetadataServer(answer: () => MetaData | string | number | 'hang'): Promise<MetadataServer> {
  const requests: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const a = answer();
    if (req.url !== '/openstack/latest/meta_data.json') {
      res.writeHead(404).end();
    } else if (a === 'hang') {
      hanging.add(res);
    } else if (typeof a === 'number') {
      res.writeHead(a).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(typeof a === 'string' ? a : JSON.stringify(a));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
