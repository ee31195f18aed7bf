import type { AccessModeMode__Output, VolumeCapability } from '../../src/grpc/services';

/**
 * Everything this driver advertises, written out by hand: a test compares each service's answer with these lists
 * as a whole (test/core/capabilities.test.ts), so a capability dropped or added anywhere fails it, and the
 * conformance suites assert them instead of skipping checks when a capability is missing.
 */
export const IDENTITY_CAPABILITIES_WITH_TOPOLOGY = [
  { service: { type: 'CONTROLLER_SERVICE' } },
  { service: { type: 'VOLUME_ACCESSIBILITY_CONSTRAINTS' } },
  { volumeExpansion: { type: 'ONLINE' } },
  { volumeExpansion: { type: 'OFFLINE' } },
] as const;

export const IDENTITY_CAPABILITIES_WITHOUT_TOPOLOGY = IDENTITY_CAPABILITIES_WITH_TOPOLOGY.filter(
  (c) => !('service' in c && c.service.type === 'VOLUME_ACCESSIBILITY_CONSTRAINTS'),
);

export const CONTROLLER_RPC_CAPABILITIES = [
  'CREATE_DELETE_VOLUME',
  'PUBLISH_UNPUBLISH_VOLUME',
  'LIST_VOLUMES',
  'LIST_VOLUMES_PUBLISHED_NODES',
  'CREATE_DELETE_SNAPSHOT',
  'LIST_SNAPSHOTS',
  'CLONE_VOLUME',
  'EXPAND_VOLUME',
  'VOLUME_CONDITION',
  'GET_VOLUME',
  'SINGLE_NODE_MULTI_WRITER',
  'MODIFY_VOLUME',
] as const;

export const NODE_RPC_CAPABILITIES = ['STAGE_UNSTAGE_VOLUME', 'GET_VOLUME_STATS', 'EXPAND_VOLUME', 'VOLUME_CONDITION', 'SINGLE_NODE_MULTI_WRITER'] as const;

/** A filesystem volume capability; fsType '' leaves the choice to the node (ext4). */
export function mountCapability(mode: AccessModeMode__Output = 'SINGLE_NODE_WRITER', fsType = 'ext4', mountFlags: string[] = []): VolumeCapability {
  return { mount: { fsType, mountFlags }, accessMode: { mode } };
}

export function blockCapability(mode: AccessModeMode__Output = 'SINGLE_NODE_WRITER'): VolumeCapability {
  return { block: {}, accessMode: { mode } };
}
