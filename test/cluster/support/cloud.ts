import { readFileSync } from 'node:fs';

/** What a cluster suite checks of one Cinder volume, whichever cloud is behind the driver. */
export interface CloudVolume {
  id: string;
  name: string;
  size: number;
  status: string;
  volumeType: string;
  availabilityZone: string;
  metadata: Record<string, string>;
  snapshotId?: string | null;
  attachments: { serverId: string; device?: string }[];
}

export interface CloudSnapshot {
  id: string;
  volumeId: string;
  name: string;
  status: string;
}

/** The Cinder volume types a world's StorageClass and VolumeAttributesClass name. */
export interface WorldVolumeTypes {
  /** The StorageClass `volumeType` (undefined: Cinder's default type). */
  readonly storageClass?: string;
  /** The type a VolumeAttributesClass retypes to: on the same backend as the StorageClass's type. */
  readonly modified: string;
}

/**
 * The driver (controller and node services on one socket) and the cloud behind it, as a cluster suite sees them:
 * the socket the sidecars dial, the chart's `cloudConfig.global` values, and an inspector of what the driver did in
 * Cinder that does not go through the driver.
 */
export interface DriverCloud {
  /** Which cloud: names the world in test titles. */
  readonly label: string;
  readonly socket: string;
  readonly volumeTypes: WorldVolumeTypes;
  volume(id: string): Promise<CloudVolume | undefined>;
  snapshot(id: string): Promise<CloudSnapshot | undefined>;
  /** The volumes and snapshots this run created that still exist (nothing else of the project). */
  leftovers(): Promise<{ volumes: CloudVolume[]; snapshots: CloudSnapshot[] }>;
  /** The cloud.conf [Global] section as the chart's `cloudConfig.global` values (auth-url → authUrl). */
  cloudConfigGlobal(): Record<string, string>;
  logs(): string;
  stop(): Promise<void>;
}

/** The [Global] section of a cloud.conf file as chart values: `auth-url = x` → `{ authUrl: 'x' }`. */
export function globalSectionAsValues(cloudConfPath: string): Record<string, string> {
  const global: Record<string, string> = {};
  let inGlobal = false;
  for (const line of readFileSync(cloudConfPath, 'utf8').split('\n')) {
    const section = /^\[(.+)\]$/.exec(line.trim());
    if (section) inGlobal = section[1].toLowerCase() === 'global';
    const kv = /^([a-z-]+)\s*=\s*(.*)$/.exec(line.trim());
    if (inGlobal && kv) global[kv[1].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = kv[2];
  }
  return global;
}
