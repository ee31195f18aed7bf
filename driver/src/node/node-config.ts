import * as path from 'node:path';
import { METADATA_SOURCES, type MetadataConfig } from '../metadata/metadata-config';
import { type TopologyOption, ZONE_TOPOLOGY_KEY } from '../topology-key';

export type { MetadataConfig, MetadataSource } from '../metadata/metadata-config';

/** Everything the Node service needs; it needs no OpenStack credentials. main.ts maps CLI options onto this. */
export interface NodeServiceConfig extends TopologyOption {
  /** The CSI driver name, used in log lines. */
  readonly driverName: string;
  /** kubelet's root dir; publish targets must lie under <kubeletDir>/pods. */
  readonly kubeletDir: string;
  /** Where udev puts stable device links (virtio-<id>, scsi-0QEMU_QEMU_HARDDISK_<id>, wwn-0x<id>). */
  readonly byIdDir: string;
  /** How long NodeStageVolume/NodePublishVolume wait for an attached volume's device to appear. */
  readonly deviceWaitTimeoutMs: number;
  /** Pause between looks for the device (each preceded by a SCSI rescan and udev settle). */
  readonly deviceWaitIntervalMs: number;
  /** Ask the kernel to re-read the device size before NodeExpandVolume grows the filesystem (upstream rescan-on-resize). */
  readonly rescanOnResize: boolean;
  /** Volumes the scheduler may place on this node; never 0, which Kubernetes reads as "unlimited". */
  readonly maxVolumesPerNode: number;
  /** Node id to report instead of the instance uuid from metadata (bare metal, tests). */
  readonly nodeIdOverride?: string;
  /** Availability zone to report instead of the one from metadata. */
  readonly availabilityZoneOverride?: string;
  /** Extra topology segments reported next to the zone (upstream --additional-topology). */
  readonly additionalTopology: Readonly<Record<string, string>>;
  readonly metadata: MetadataConfig;
}

export type NodeServiceConfigInput = Partial<Omit<NodeServiceConfig, 'metadata'>> & {
  readonly metadata?: Partial<MetadataConfig>;
};

/** The topology key every node reports its zone under; the controller's topology requirements use the same key. */

/** Upstream cinder-csi's default node-volume-attach-limit; virtio-blk runs out of PCI slots not far above it. */
export const DEFAULT_MAX_VOLUMES_PER_NODE = 256;

export const DEFAULT_NODE_SERVICE_CONFIG: NodeServiceConfig = {
  driverName: 'cinder.csi.openstack.org',
  kubeletDir: '/var/lib/kubelet',
  byIdDir: '/dev/disk/by-id',
  deviceWaitTimeoutMs: 30_000,
  deviceWaitIntervalMs: 1_000,
  rescanOnResize: false,
  maxVolumesPerNode: DEFAULT_MAX_VOLUMES_PER_NODE,
  additionalTopology: {},
  withTopology: true,
  metadata: {
    searchOrder: ['configDrive', 'metadataService'],
    // Only the production default; tests always pass a 127.0.0.1 server.
    metadataUrl: 'http://169.254.169.254',
    configDriveLabel: 'config-2',
    requestTimeoutMs: 5_000,
  },
};

export class NodeConfigError extends Error {
  constructor(field: string, expected: string) {
    super(`node configuration ${field}: ${expected}`);
    this.name = 'NodeConfigError';
  }
}

function absolutePath(field: string, value: string): string {
  if (!path.isAbsolute(value)) throw new NodeConfigError(field, `expected an absolute path, got "${value}"`);
  return path.normalize(value);
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new NodeConfigError(field, `expected a whole number of at least 1, got ${value}`);
  }
  return value;
}

function optionalName(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') throw new NodeConfigError(field, 'expected a non-empty value or none at all');
  return trimmed;
}

function topologySegments(segments: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(segments)) {
    if (key.trim() === '') throw new NodeConfigError('additionalTopology', 'expected non-empty keys');
    if (key === ZONE_TOPOLOGY_KEY) {
      throw new NodeConfigError('additionalTopology', `expected keys other than ${ZONE_TOPOLOGY_KEY} (set the zone instead)`);
    }
    out[key] = value;
  }
  return out;
}

/** Fills defaults and rejects values the node service cannot work with, naming the field. */
export function resolveNodeServiceConfig(input: NodeServiceConfigInput = {}): NodeServiceConfig {
  const d = DEFAULT_NODE_SERVICE_CONFIG;
  const m = { ...d.metadata, ...input.metadata };
  const searchOrder = [...m.searchOrder];
  if (searchOrder.length === 0) {
    throw new NodeConfigError('metadata.searchOrder', `expected one or more of ${METADATA_SOURCES.join(', ')}`);
  }
  for (const source of searchOrder) {
    if (!METADATA_SOURCES.includes(source)) {
      throw new NodeConfigError('metadata.searchOrder', `expected ${METADATA_SOURCES.join(' or ')}, got "${source}"`);
    }
  }
  let url: URL;
  try {
    url = new URL(m.metadataUrl);
  } catch {
    throw new NodeConfigError('metadata.metadataUrl', `expected an http(s) URL, got "${m.metadataUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NodeConfigError('metadata.metadataUrl', `expected an http(s) URL, got "${m.metadataUrl}"`);
  }
  const driverName = (input.driverName ?? d.driverName).trim();
  if (driverName === '') throw new NodeConfigError('driverName', 'expected a non-empty name');
  if (m.configDriveLabel.trim() === '') throw new NodeConfigError('metadata.configDriveLabel', 'expected a label');
  return {
    driverName,
    kubeletDir: absolutePath('kubeletDir', input.kubeletDir ?? d.kubeletDir),
    byIdDir: absolutePath('byIdDir', input.byIdDir ?? d.byIdDir),
    deviceWaitTimeoutMs: positiveInteger('deviceWaitTimeoutMs', input.deviceWaitTimeoutMs ?? d.deviceWaitTimeoutMs),
    deviceWaitIntervalMs: positiveInteger('deviceWaitIntervalMs', input.deviceWaitIntervalMs ?? d.deviceWaitIntervalMs),
    rescanOnResize: input.rescanOnResize ?? d.rescanOnResize,
    maxVolumesPerNode: positiveInteger('maxVolumesPerNode', input.maxVolumesPerNode ?? d.maxVolumesPerNode),
    nodeIdOverride: optionalName('nodeIdOverride', input.nodeIdOverride),
    availabilityZoneOverride: optionalName('availabilityZoneOverride', input.availabilityZoneOverride),
    additionalTopology: topologySegments(input.additionalTopology ?? d.additionalTopology),
    withTopology: input.withTopology ?? d.withTopology,
    metadata: {
      searchOrder,
      metadataUrl: m.metadataUrl.replace(/\/+$/, ''),
      configDriveDir: m.configDriveDir === undefined ? undefined : absolutePath('metadata.configDriveDir', m.configDriveDir),
      configDriveLabel: m.configDriveLabel.trim(),
      requestTimeoutMs: positiveInteger('metadata.requestTimeoutMs', m.requestTimeoutMs),
    },
  };
}
