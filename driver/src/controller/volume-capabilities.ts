import { invalidArgument } from '../grpc/errors';
import type { AccessModeMode__Output, VolumeCapability__Output } from '../grpc/services';

/** Filesystems the node service can create and mount; '' lets the node pick its default. */
export const SUPPORTED_FS_TYPES: readonly string[] = ['', 'ext4', 'ext3', 'xfs'];

const MULTI_NODE: ReadonlySet<AccessModeMode__Output> = new Set([
  'MULTI_NODE_READER_ONLY',
  'MULTI_NODE_SINGLE_WRITER',
  'MULTI_NODE_MULTI_WRITER',
]);
/** Several nodes writing one filesystem would corrupt it: shared writers need raw block access. */
const MULTI_WRITER_NODES: ReadonlySet<AccessModeMode__Output> = new Set(['MULTI_NODE_SINGLE_WRITER', 'MULTI_NODE_MULTI_WRITER']);

export interface CapabilityNeeds {
  /** Some capability needs the volume attached to several servers at once (Cinder multiattach). */
  readonly multiNode: boolean;
  /** Every capability is raw block (no filesystem to grow on the node after an expansion). */
  readonly blockOnly: boolean;
}

/**
 * Checks one capability: an access type (block or mount), a known access mode, a supported filesystem, and no
 * filesystem shared by several writing nodes. Returns a reason when unsupported, undefined when fine.
 */
export function unsupportedReason(capability: VolumeCapability__Output): string | undefined {
  const mode = capability.accessMode?.mode ?? 'UNKNOWN';
  if (mode === 'UNKNOWN') {
    return 'access_mode.mode: expected one of SINGLE_NODE_WRITER, SINGLE_NODE_READER_ONLY, SINGLE_NODE_SINGLE_WRITER, SINGLE_NODE_MULTI_WRITER, MULTI_NODE_READER_ONLY, MULTI_NODE_SINGLE_WRITER, MULTI_NODE_MULTI_WRITER';
  }
  if (capability.block) {
    return undefined;
  }
  if (!capability.mount) {
    return 'access_type: expected block or mount';
  }
  if (!SUPPORTED_FS_TYPES.includes(capability.mount.fsType)) {
    return `mount.fs_type: expected one of ext4, ext3, xfs (or empty), got "${capability.mount.fsType}"`;
  }
  if (MULTI_WRITER_NODES.has(mode)) {
    return `access_mode ${mode} with a filesystem (mount) would corrupt it; use access_type block`;
  }
  return undefined;
}

/** Validates a request's capability list, throwing INVALID_ARGUMENT naming the field and what was expected. */
export function validateCapabilities(capabilities: readonly VolumeCapability__Output[], field = 'volume_capabilities'): CapabilityNeeds {
  if (capabilities.length === 0) {
    throw invalidArgument(field, 'expected at least one volume capability');
  }
  capabilities.forEach((capability, index) => {
    const reason = unsupportedReason(capability);
    if (reason) throw invalidArgument(`${field}[${index}].${reason.split(':')[0]}`, reason.includes(':') ? reason.slice(reason.indexOf(':') + 1).trim() : reason);
  });
  return needsOf(capabilities);
}

export function needsOf(capabilities: readonly VolumeCapability__Output[]): CapabilityNeeds {
  return {
    multiNode: capabilities.some((c) => MULTI_NODE.has(c.accessMode?.mode ?? 'UNKNOWN')),
    blockOnly: capabilities.length > 0 && capabilities.every((c) => Boolean(c.block)),
  };
}

export function isMultiNode(mode: AccessModeMode__Output): boolean {
  return MULTI_NODE.has(mode);
}
