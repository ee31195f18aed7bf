import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Mounter } from '../mounter/mounter';
import { META_DATA_PATH, parseMetaData, type InstanceMetadata } from './instance-metadata';

export interface ConfigDriveOptions {
  /** A directory where the config drive is already mounted; when set, no device is looked up or mounted. */
  readonly mountedDir?: string;
  /** The filesystem label of the config drive (Nova: "config-2"). */
  readonly label: string;
}

/** Reads the instance metadata from the config drive, mounting it read-only in a temp dir only as long as needed. */
export async function readConfigDrive(mounter: Mounter, options: ConfigDriveOptions): Promise<InstanceMetadata> {
  if (options.mountedDir) return readFrom(options.mountedDir, `config drive at ${options.mountedDir}`);

  const devices = await mounter.findDevicesByLabel(options.label);
  if (devices.length === 0) throw new Error(`no config drive: no filesystem labelled ${options.label}`);
  const device = devices[0];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-configdrive-'));
  try {
    await mounter.mountReadOnly(device, dir);
    try {
      return await readFrom(dir, `config drive ${device}`);
    } finally {
      await mounter.unmount(dir);
    }
  } finally {
    await fs.rmdir(dir).catch(() => undefined);
  }
}

async function readFrom(dir: string, source: string): Promise<InstanceMetadata> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, META_DATA_PATH), 'utf8');
  } catch (error) {
    throw new Error(`${source}: cannot read ${META_DATA_PATH} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseMetaData(text, source);
}
