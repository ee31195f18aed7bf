import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DeviceContents, FilesystemStats, Mounter, MountEntry, SupportedFsType } from './mounter';
import { blockDeviceSize, hasPartitions } from './block-device';
import { allMounts, canonicalMountPath, isCorruptMountError, mountsAt } from './mount-table';
import { runTool, ToolError, type ToolOptions } from './run-tool';

export interface LinuxMounterOptions {
  /** Upper bound for any single tool run (mkfs of a large device is the slowest). */
  readonly toolTimeoutMs?: number;
  /** Upper bound for `udevadm settle`. */
  readonly udevSettleTimeoutSeconds?: number;
  /** Where sysfs lives (device sizes, partitions, rescans); only tests point this elsewhere. */
  readonly sysfsRoot?: string;
}

/** Stacked mounts deeper than this at one path mean something else keeps mounting there. */
const MAX_STACKED_MOUNTS = 16;

/**
 * The real implementation: mount, umount, blkid, mkfs.*, resize2fs, xfs_growfs and udevadm where only a tool does
 * the job; the mount table (/proc/self/mountinfo), device sizes and partitions (sysfs) and filesystem usage
 * (statfs) read in-process.
 */
export class LinuxMounter implements Mounter {
  private readonly tool: ToolOptions;
  private readonly udevSettleTimeoutSeconds: number;
  private readonly sysfsRoot: string;

  constructor(options: LinuxMounterOptions = {}) {
    this.tool = { timeoutMs: options.toolTimeoutMs };
    this.udevSettleTimeoutSeconds = options.udevSettleTimeoutSeconds ?? 10;
    this.sysfsRoot = options.sysfsRoot ?? '/sys';
  }

  async mount(device: string, target: string, fsType: SupportedFsType, options: readonly string[]): Promise<void> {
    const all = [...options];
    // A volume restored from a snapshot carries its source's XFS UUID; without nouuid both cannot be mounted on
    // the same node.
    if (fsType === 'xfs' && !all.includes('nouuid')) all.push('nouuid');
    const args = ['-t', fsType];
    if (all.length > 0) args.push('-o', all.join(','));
    // CSI mount flags may hold credentials; an error message shows that options were given, not what they were.
    const displayArgs = ['-t', fsType, ...(all.length > 0 ? ['-o', '<options>'] : []), device, target];
    await runTool('mount', [...args, device, target], { ...this.tool, displayArgs });
  }

  async mountReadOnly(device: string, target: string): Promise<void> {
    await runTool('mount', ['-o', 'ro', device, target], this.tool);
  }

  async bindMount(source: string, target: string, readOnly: boolean): Promise<void> {
    await runTool('mount', ['--bind', source, target], this.tool);
    if (!readOnly) return;
    // A bind mount ignores "ro" on older kernels/util-linux; the remount is what makes it read-only.
    try {
      await runTool('mount', ['-o', 'remount,bind,ro', target], this.tool);
    } catch (error) {
      await this.unmount(target);
      throw error;
    }
  }

  async unmount(target: string): Promise<void> {
    const canonical = await canonicalMountPath(target);
    for (let i = 0; i < MAX_STACKED_MOUNTS; i++) {
      const mounts = await mountsAt(canonical);
      if (mounts.length === 0) return;
      try {
        await runTool('umount', [canonical], this.tool);
      } catch (error) {
        if (!(await this.isBroken(canonical))) {
          // Raced with another unmount: nothing left is success; anything else is a real failure (e.g. busy).
          if ((await mountsAt(canonical)).length === 0) return;
          throw error;
        }
        // A stale or half-torn-down mount cannot be unmounted normally; detach it so the path is usable again.
        await runTool('umount', ['--lazy', canonical], this.tool);
      }
    }
    throw new Error(`${canonical} still has mounts after ${MAX_STACKED_MOUNTS} unmounts`);
  }

  private async isBroken(target: string): Promise<boolean> {
    try {
      await fs.stat(target);
      return false;
    } catch (error) {
      // A missing directory with a mount table entry is a half-done cleanup: also only lazily detachable.
      return isCorruptMountError(error) || (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
  }

  async findMount(target: string): Promise<MountEntry | undefined> {
    const mounts = await mountsAt(target);
    return mounts[mounts.length - 1];
  }

  async listMounts(): Promise<MountEntry[]> {
    return allMounts();
  }

  async probeDevice(device: string): Promise<DeviceContents> {
    let stdout: string;
    try {
      // -p probes the device itself (no cache), so a filesystem created a moment ago is seen.
      ({ stdout } = await runTool('blkid', ['-p', '-o', 'export', device], this.tool));
    } catch (error) {
      if (error instanceof ToolError && error.exitCode === 2) return this.probePartitions(device);
      if (error instanceof ToolError && error.exitCode === 8) {
        return { kind: 'unrecognised', detail: 'several conflicting signatures (blkid: ambivalent result)' };
      }
      throw error;
    }
    const fields = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
    }
    const ptType = fields.get('PTTYPE');
    if (ptType) return { kind: 'partition-table', partitionTableType: ptType };
    const type = fields.get('TYPE');
    if (type) return { kind: 'filesystem', fsType: type };
    const usage = fields.get('USAGE');
    if (usage) return { kind: 'unrecognised', detail: `signature with usage "${usage}"` };
    return this.probePartitions(device);
  }

  /** A second opinion from the kernel: a device with partitions is never blank even if blkid saw no table. */
  private async probePartitions(device: string): Promise<DeviceContents> {
    if (await hasPartitions(device, this.sysfsRoot)) return { kind: 'partition-table', partitionTableType: 'unknown (has partitions)' };
    return { kind: 'blank' };
  }

  async format(device: string, fsType: SupportedFsType): Promise<void> {
    if (fsType === 'xfs') {
      // No -f: mkfs.xfs then refuses to overwrite a signature, a last line of defence against data loss.
      await runTool('mkfs.xfs', [device], this.tool);
      return;
    }
    // -F only skips the "not a partition/whole device" question; -m0 because a data volume needs no root reserve.
    await runTool(`mkfs.${fsType}`, ['-F', '-m0', device], this.tool);
  }

  async filesystemSize(device: string, mountPath: string | undefined, fsType: SupportedFsType): Promise<number> {
    if (fsType === 'xfs') {
      if (mountPath === undefined) throw new Error(`the size of xfs on ${device} can only be read while mounted`);
      const { stdout } = await runTool('xfs_info', [mountPath], this.tool);
      const match = /^data\s+=\s+bsize=(\d+)\s+blocks=(\d+)/m.exec(stdout);
      if (!match) throw new Error(`xfs_info ${mountPath}: no data section in its output`);
      return Number(match[1]) * Number(match[2]);
    }
    const { stdout } = await runTool('dumpe2fs', ['-h', device], this.tool);
    const count = /^Block count:\s+(\d+)/m.exec(stdout);
    const size = /^Block size:\s+(\d+)/m.exec(stdout);
    if (!count || !size) throw new Error(`dumpe2fs -h ${device}: no block count/size in its output`);
    return Number(count[1]) * Number(size[1]);
  }

  async growFilesystem(device: string, mountPath: string, fsType: SupportedFsType): Promise<void> {
    if (fsType === 'xfs') {
      await runTool('xfs_growfs', ['-d', mountPath], this.tool);
    } else {
      await runTool('resize2fs', [device], this.tool);
    }
  }

  async growUnmountedFilesystem(device: string, fsType: SupportedFsType): Promise<void> {
    if (fsType === 'xfs') throw new Error(`xfs can only grow while mounted (${device})`);
    try {
      // resize2fs refuses an unchecked filesystem; -p only makes fixes that are safe without a human.
      await runTool('e2fsck', ['-f', '-p', device], this.tool);
    } catch (error) {
      // Exit 1 means "errors corrected", which is fine; anything else leaves the filesystem alone.
      if (!(error instanceof ToolError && error.exitCode === 1)) throw error;
    }
    await runTool('resize2fs', [device], this.tool);
  }

  async deviceSize(device: string): Promise<number> {
    return blockDeviceSize(device, this.sysfsRoot);
  }

  async rescanDevice(device: string): Promise<void> {
    const name = path.basename(await fs.realpath(device));
    await writeIfPresent(path.join(this.sysfsRoot, 'block', name, 'device', 'rescan'), '1');
  }

  async rescanScsiHosts(): Promise<void> {
    const hostsDir = path.join(this.sysfsRoot, 'class', 'scsi_host');
    let hosts: string[];
    try {
      hosts = await fs.readdir(hostsDir);
    } catch {
      return; // no SCSI subsystem (virtio-blk only)
    }
    await Promise.all(hosts.map((host) => writeIfPresent(path.join(hostsDir, host, 'scan'), '- - -')));
  }

  async settleUdev(trigger = true): Promise<void> {
    try {
      if (trigger) await runTool('udevadm', ['trigger', '--subsystem-match=block', '--action=change'], this.tool);
      await runTool('udevadm', ['settle', `--timeout=${this.udevSettleTimeoutSeconds}`], this.tool);
    } catch (error) {
      // Containers and minimal hosts have no udevadm or no udevd: links are then made by whoever made the device.
      if (error instanceof ToolError && (error.reason === 'spawn' || error.reason === 'exit')) return;
      throw error;
    }
  }

  async filesystemStats(target: string): Promise<FilesystemStats> {
    const s = await fs.statfs(target);
    return {
      totalBytes: s.blocks * s.bsize,
      availableBytes: s.bavail * s.bsize,
      usedBytes: (s.blocks - s.bfree) * s.bsize,
      totalInodes: s.files,
      freeInodes: s.ffree,
      usedInodes: s.files - s.ffree,
    };
  }

  async findDevicesByLabel(label: string): Promise<string[]> {
    try {
      // -c /dev/null: no cache, so a drive attached after boot (or a stale cached one) is judged by its contents.
      const { stdout } = await runTool('blkid', ['-c', '/dev/null', '-o', 'device', '-t', `LABEL=${label}`], this.tool);
      return stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
    } catch (error) {
      if (error instanceof ToolError && error.exitCode === 2) return [];
      throw error;
    }
  }
}

async function writeIfPresent(file: string, content: string): Promise<void> {
  try {
    await fs.writeFile(file, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EROFS') return;
    throw error;
  }
}
