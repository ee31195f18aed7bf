import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Mounter } from '../mounter/mounter';
import { runTool, ToolError } from '../mounter/run-tool';
import { META_DATA_PATH, parseMetaData, type InstanceMetadata } from './instance-metadata';

export interface ConfigDriveOptions {
  /** A directory where the config drive is already mounted; when set, no device is looked up or mounted. */
  readonly mountedDir?: string;
  /** The filesystem label of the config drive (Nova: "config-2"). */
  readonly label: string;
}

/**
 * Reads the instance metadata from the config drive, mounting it read-only in a temp dir only as long as needed.
 * Where the kernel cannot mount the drive's filesystem (minimal VM kernels without vfat/iso9660), the file is
 * copied out in user space instead (mtools for vfat, xorriso for iso9660), so the drive is still usable.
 */
export async function readConfigDrive(mounter: Mounter, options: ConfigDriveOptions): Promise<InstanceMetadata> {
  if (options.mountedDir) return readFrom(options.mountedDir, `config drive at ${options.mountedDir}`);

  const devices = await mounter.findDevicesByLabel(options.label);
  if (devices.length === 0) throw new Error(`no config drive: no filesystem labelled ${options.label}`);
  const device = devices[0];
  const source = `config drive ${device}`;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-configdrive-'));
  try {
    try {
      await mounter.mountReadOnly(device, dir);
    } catch (error) {
      if (!(error instanceof ToolError && /unknown filesystem type/.test(error.stderr))) throw error;
      return await extractWithoutMount(mounter, device, dir, source);
    }
    try {
      return await readFrom(dir, source);
    } finally {
      await mounter.unmount(dir);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function extractWithoutMount(mounter: Mounter, device: string, dir: string, source: string): Promise<InstanceMetadata> {
  const contents = await mounter.probeDevice(device);
  const fsType = contents.kind === 'filesystem' ? contents.fsType : contents.kind;
  const out = path.join(dir, 'meta_data.json');
  try {
    if (fsType === 'vfat') {
      await runTool('mcopy', ['-n', '-i', device, `::/${META_DATA_PATH}`, out]);
    } else if (fsType === 'iso9660') {
      await runTool('xorriso', ['-osirrox', 'on', '-indev', `stdio:${device}`, '-extract', `/${META_DATA_PATH}`, out]);
    } else {
      throw new Error(`${source}: the kernel cannot mount its ${fsType} filesystem`);
    }
    return parseMetaData(await fs.readFile(out, 'utf8'), source);
  } catch (error) {
    if (error instanceof ToolError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${source}: cannot read ${META_DATA_PATH} from its ${fsType} filesystem (${(error as Error).message})`);
    }
    throw error;
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
