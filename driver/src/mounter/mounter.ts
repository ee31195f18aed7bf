/** Filesystems the node service creates and grows. */
export const SUPPORTED_FS_TYPES = ['ext4', 'ext3', 'xfs'] as const;
export type SupportedFsType = (typeof SUPPORTED_FS_TYPES)[number];

export function isSupportedFsType(value: string): value is SupportedFsType {
  return (SUPPORTED_FS_TYPES as readonly string[]).includes(value);
}

/** One line of the mount table (/proc/self/mountinfo), with the source spelt as findmnt spells it. */
export interface MountEntry {
  readonly target: string;
  /** The mounted device, or e.g. "devtmpfs[/loop0]" for a device node bind-mounted onto a file. */
  readonly source: string;
  readonly fsType: string;
  /** Per-mount flags: a read-only bind mount shows "ro" here. */
  readonly vfsOptions: readonly string[];
  /** Superblock flags: "ro" here while the mount is rw means the kernel made the filesystem read-only (I/O error). */
  readonly fsOptions: readonly string[];
  /** major:minor of the mounted filesystem's device; equal for a filesystem and its bind mounts. */
  readonly majMin: string;
  /** The directory of the filesystem that is mounted ("/" unless it is a bind mount of a subdirectory or file). */
  readonly fsRoot: string;
}

/** What a block device holds, as far as low-level probing (not a cache) can tell. */
export type DeviceContents =
  | { readonly kind: 'blank' }
  | { readonly kind: 'filesystem'; readonly fsType: string }
  | { readonly kind: 'partition-table'; readonly partitionTableType: string }
  /** Signatures were found but could not be told apart; treated as data that must not be touched. */
  | { readonly kind: 'unrecognised'; readonly detail: string };

export interface FilesystemStats {
  readonly totalBytes: number;
  readonly availableBytes: number;
  readonly usedBytes: number;
  readonly totalInodes: number;
  readonly freeInodes: number;
  readonly usedInodes: number;
}

/** Mounting, formatting, growing and inspecting block devices with the system's tools. */
export interface Mounter {
  /** Mounts a device with the given filesystem type and mount options. */
  mount(device: string, target: string, fsType: SupportedFsType, options: readonly string[]): Promise<void>;
  /** Mounts a device read-only, letting the kernel detect its filesystem (config drives: vfat or iso9660). */
  mountReadOnly(device: string, target: string): Promise<void>;
  /** Bind-mounts source onto target (a directory for directories, a file for device nodes), optionally read-only. */
  bindMount(source: string, target: string, readOnly: boolean): Promise<void>;
  /**
   * Unmounts everything mounted at target (stacked mounts too), falling back to a lazy unmount for a stale or
   * corrupted mount. Not being mounted is not an error.
   */
  unmount(target: string): Promise<void>;
  /** The topmost mount at exactly this path, or undefined when nothing is mounted there. */
  findMount(target: string): Promise<MountEntry | undefined>;
  /** Every mount in the table, in mount order (targets with symlinks resolved, as the kernel reports them). */
  listMounts(): Promise<MountEntry[]>;
  /** What the device holds; probes the device itself, never a cache. */
  probeDevice(device: string): Promise<DeviceContents>;
  /** Creates a filesystem. Callers must have checked that the device is blank. */
  format(device: string, fsType: SupportedFsType): Promise<void>;
  /** Size in bytes of the filesystem on a device; xfs needs it mounted at mountPath, ext3/ext4 do not. */
  filesystemSize(device: string, mountPath: string | undefined, fsType: SupportedFsType): Promise<number>;
  /** Grows a mounted filesystem to fill its device. */
  growFilesystem(device: string, mountPath: string, fsType: SupportedFsType): Promise<void>;
  /**
   * Grows an unmounted ext3/ext4 filesystem (after a forced check, which resize2fs requires). Unlike an online
   * grow it needs no CAP_SYS_RESOURCE. xfs cannot grow unmounted.
   */
  growUnmountedFilesystem(device: string, fsType: SupportedFsType): Promise<void>;
  /** Size in bytes of a block device (or of a device node bind-mounted onto a file). */
  deviceSize(device: string): Promise<number>;
  /** Asks the kernel to re-read the size of one device (SCSI); a no-op for devices without a rescan attribute. */
  rescanDevice(device: string): Promise<void>;
  /** Asks every SCSI host to look for new devices; a no-op where there are none. */
  rescanScsiHosts(): Promise<void>;
  /**
   * Waits for udev to finish creating device links, first replaying block device events when `trigger` (default)
   * is set; a no-op without udevadm.
   */
  settleUdev(trigger?: boolean): Promise<void>;
  /** Space and inode usage of the filesystem holding path. */
  filesystemStats(path: string): Promise<FilesystemStats>;
  /** Device nodes whose filesystem carries this label (e.g. the config drive "config-2"). */
  findDevicesByLabel(label: string): Promise<string[]>;
}
