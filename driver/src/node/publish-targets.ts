import * as path from 'node:path';
import { canonicalMountPath } from '../mounter/mount-table';
import type { MountEntry } from '../mounter/mounter';
import { sameDevice } from './paths';
import { blockPublishDir } from '../grpc/request-validation';

/** Filesystems a device node bind-mounted onto a file comes from (the node's /dev). */
const DEVICE_NODE_FS_TYPES = new Set(['devtmpfs', 'tmpfs']);

/**
 * Finds where else on this node a volume is published, from the mount table alone (the plugin keeps no state).
 * Only kubelet's publish locations count: <kubeletDir>/pods/ (minus volume-subpaths, which are kubelet's own bind
 * mounts of parts of an already published volume) and, for raw block volumes, kubelet's volumeDevices/publish dir.
 * Elsewhere are the staging mount, kubelet's global block map bind mounts and anyone else's view of the same
 * mounts, none of which is another publish.
 */
export class PublishTargets {
  constructor(private readonly kubeletDir: string) {}

  /** Targets other than `except` holding bind mounts of the filesystem staged as `staged`, in the mount table `mounts`. */
  async ofFilesystem(staged: MountEntry, except: string, mounts: readonly MountEntry[]): Promise<string[]> {
    const { inArea, skip } = await this.candidates(except, false);
    return unique(
      mounts.filter((m) => m.majMin === staged.majMin && m.fsRoot === staged.fsRoot && inArea(m.target) && m.target !== skip),
    );
  }

  /** Targets other than `except` where the device node `device` is bind-mounted (raw block publishes), in `mounts`. */
  async ofDevice(device: string, except: string, mounts: readonly MountEntry[]): Promise<string[]> {
    const { inArea, skip } = await this.candidates(except, true);
    const found: MountEntry[] = [];
    for (const m of mounts) {
      // Only file bind mounts from /dev are stat'ed: a stat elsewhere (a dead NFS subpath) could hang the call.
      if (m.fsRoot === '/' || !DEVICE_NODE_FS_TYPES.has(m.fsType) || !inArea(m.target) || m.target === skip) continue;
      if (await sameDevice(m.target, device)) found.push(m);
    }
    return unique(found);
  }

  private async candidates(
    except: string,
    block: boolean,
  ): Promise<{ inArea: (target: string) => boolean; skip: string }> {
    const kubeletDir = await canonicalMountPath(this.kubeletDir);
    const pods = path.join(kubeletDir, 'pods') + path.sep;
    const blockDir = blockPublishDir(kubeletDir) + path.sep;
    // <pods>/<pod uid>/volume-subpaths/... is excluded, everything else under a pod directory counts.
    const inPods = (target: string): boolean => target.startsWith(pods) && target.slice(pods.length).split(path.sep)[1] !== 'volume-subpaths';
    const inArea = (target: string): boolean => inPods(target) || (block && target.startsWith(blockDir));
    return { inArea, skip: await canonicalMountPath(except) };
  }
}

function unique(mounts: readonly MountEntry[]): string[] {
  return [...new Set(mounts.map((m) => m.target))];
}
