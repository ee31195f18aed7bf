import * as path from 'node:path';
import { isSupportedFsType, SUPPORTED_FS_TYPES, type SupportedFsType } from '../mounter/mounter';
import { failedPrecondition, invalidArgument, notFound } from './errors';
import type { VolumeCapability__Output } from './services';

/*
 * The driver's one request-validation module: every check a service makes on a request field before any work.
 * One vocabulary: require<What>(field, value) returns the checked value or throws INVALID_ARGUMENT naming the field
 * (the spec's code for a malformed or missing field); the few exceptions the spec or csi-sanity ask for are
 * documented at their function. Messages are part of the driver's contract (tests pin them).
 */

/** The CSI spec's size limit for string fields ("Size Limits"); Cinder ids are 36 bytes, names at most 255. */
export const MAX_STRING_BYTES = 128;

/**
 * Rejects an empty id or name, or one over the CSI size limit, with INVALID_ARGUMENT naming the field. (An oversized
 * value would otherwise reach a Cinder URL and come back as HTTP 414/431, which maps to nothing a CO can act on.)
 */
export function requireName(field: string, value: string): string {
  if (value.trim() === '') {
    throw invalidArgument(field, 'expected a non-empty value');
  }
  return requireWithinLimit(field, value);
}

/** Rejects a string over the CSI size limit with INVALID_ARGUMENT naming the field (for optional ids and filters). */
export function requireWithinLimit(field: string, value: string): string {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_STRING_BYTES) {
    throw invalidArgument(field, `expected at most ${MAX_STRING_BYTES} bytes (the CSI size limit for strings), got ${bytes}`);
  }
  return value;
}

/** How a volume is consumed, distilled from a CSI VolumeCapability. */
export type VolumeAccess =
  | { readonly kind: 'block'; readonly readOnlyMode: boolean; readonly singleTarget: boolean }
  | {
      readonly kind: 'mount';
      readonly fsType: SupportedFsType;
      readonly mountFlags: readonly string[];
      /** The access mode only allows reading (e.g. MULTI_NODE_READER_ONLY). */
      readonly readOnlyMode: boolean;
      /** The access mode allows one publish target on the node at a time (SINGLE_NODE_SINGLE_WRITER). */
      readonly singleTarget: boolean;
    };

export const DEFAULT_FS_TYPE: SupportedFsType = 'ext4';

const READ_ONLY_MODES = new Set(['SINGLE_NODE_READER_ONLY', 'MULTI_NODE_READER_ONLY']);

/**
 * Modes refused a second publish target on the node. Only SINGLE_NODE_SINGLE_WRITER: SINGLE_NODE_WRITER is what
 * COs without SINGLE_NODE_MULTI_WRITER support send for Kubernetes ReadWriteOnce, which lets several pods of one
 * node share the volume, and the spec makes plugins keep accepting it for those COs.
 */
const SINGLE_TARGET_MODES = new Set(['SINGLE_NODE_SINGLE_WRITER']);

/** A Cinder volume id is used in device link names and log lines; anything path-like in it is an error. */
const VOLUME_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** The node's stricter check of volume_id: it becomes part of device link names and paths on the host. */
export function requireDeviceVolumeId(value: string): string {
  if (value === '') throw invalidArgument('volume_id', 'required, the Cinder volume id');
  if (!VOLUME_ID.test(value)) {
    throw invalidArgument('volume_id', 'expected a Cinder volume id (letters, digits, "-", "_", "."; at most 128)');
  }
  return value;
}

/** A required absolute path, normalised (so "a/../b" cannot escape a checked prefix). */
export function requireAbsolutePath(field: string, value: string): string {
  if (value === '') throw invalidArgument(field, 'required, an absolute path');
  if (!path.isAbsolute(value)) throw invalidArgument(field, `expected an absolute path, got "${value}"`);
  if (value.includes('\0')) throw invalidArgument(field, 'expected a path without NUL characters');
  return path.normalize(value).replace(/(.)\/+$/, '$1');
}

/**
 * The volume_path of NodeGetVolumeStats and NodeExpandVolume: where the CO says the volume is published or staged.
 * Empty is INVALID_ARGUMENT (a REQUIRED field). A relative path is NOT_FOUND: this plugin stages and publishes only at
 * absolute paths, so no volume of its own can be there. csi-sanity asks exactly that ("some/path" must be NOT_FOUND,
 * not INVALID_ARGUMENT), and the upstream cinder-csi-plugin and AWS EBS drivers answer NOT_FOUND for any path they do
 * not find. The path is never resolved against the plugin's working directory.
 */
export function requireVolumePath(field: string, value: string, volumeId: string): string {
  if (value !== '' && !path.isAbsolute(value)) {
    throw notFound(`${field} "${value}" is not an absolute path, so volume ${volumeId} is not published or staged there`);
  }
  return requireAbsolutePath(field, value);
}

/**
 * NodePublishVolume's staging_target_path. This plugin advertises STAGE_UNSTAGE_VOLUME, so the spec makes it
 * mandatory and names the code for its absence: FAILED_PRECONDITION ("Staging target path not set"), telling the
 * CO to stage first. A path that is given but malformed is still INVALID_ARGUMENT.
 */
export function requirePublishStagingPath(field: string, value: string): string {
  if (value === '') {
    throw failedPrecondition(
      `${field}: not set, but this plugin stages volumes (STAGE_UNSTAGE_VOLUME); call NodeStageVolume first and ` +
        `pass its staging_target_path`,
    );
  }
  return requireAbsolutePath(field, value);
}

/** Where kubelet publishes raw block volumes: <kubeletDir>/plugins/kubernetes.io/csi/volumeDevices/publish/<pv>/<pod>. */
export function blockPublishDir(kubeletDir: string): string {
  return path.join(kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'volumeDevices', 'publish');
}

/**
 * Publish targets must be where kubelet puts them (<kubeletDir>/pods/..., and for raw block volumes kubelet's
 * volumeDevices/publish dir): the node plugin runs privileged and must not mount anywhere else.
 */
export function requirePublishTarget(field: string, value: string, kubeletDir: string, allowBlockLayout: boolean): string {
  const target = requireAbsolutePath(field, value);
  const allowed = [path.join(kubeletDir, 'pods')];
  if (allowBlockLayout) allowed.push(blockPublishDir(kubeletDir));
  if (!allowed.some((dir) => target.startsWith(dir + path.sep))) {
    const where = allowed.map((dir) => `${dir}/`).join(' or ');
    throw invalidArgument(field, `expected a path under ${where}, got "${target}"`);
  }
  return target;
}

/** volume_capability as the node consumes it: block, or mount with a supported filesystem and safe flags. */
/** An SELinux context mount option with a double-quoted label, which may hold commas but no quote. */
const SELINUX_CONTEXT_OPTION = /^(context|fscontext|defcontext|rootcontext)="[^"]*"$/;

export function requireVolumeAccess(field: string, capability: VolumeCapability__Output | null): VolumeAccess {
  if (!capability) throw invalidArgument(field, 'required');
  const mode = capability.accessMode?.mode;
  if (!mode || mode === 'UNKNOWN') throw invalidArgument(`${field}.access_mode`, 'required, a known access mode');
  const readOnlyMode = READ_ONLY_MODES.has(mode);
  const singleTarget = SINGLE_TARGET_MODES.has(mode);
  if (capability.accessType === 'block' || (capability.block && !capability.mount)) {
    return { kind: 'block', readOnlyMode, singleTarget };
  }
  if (capability.accessType !== 'mount' && !capability.mount) {
    throw invalidArgument(field, 'expected exactly one of block or mount');
  }
  const requested = (capability.mount?.fsType ?? '').trim().toLowerCase();
  const fsType = requested === '' ? DEFAULT_FS_TYPE : requested;
  if (!isSupportedFsType(fsType)) {
    throw invalidArgument(`${field}.mount.fs_type`, `expected one of ${SUPPORTED_FS_TYPES.join(', ')}, got "${requested}"`);
  }
  const mountFlags = (capability.mount?.mountFlags ?? []).map((f) => f.trim()).filter((f) => f !== '');
  for (const flag of mountFlags) {
    // Each flag becomes part of one -o argument; a comma would smuggle in extra options unseen by this check. The one
    // exception is an SELinux context, whose label has commas between MCS categories (`s0:c1,c2`): the kubelet passes
    // it double-quoted (CSIDriver seLinuxMount), and mount(8) reads a quoted value as one option.
    if (flag.includes('\0') || (flag.includes(',') && !SELINUX_CONTEXT_OPTION.test(flag))) {
      throw invalidArgument(`${field}.mount.mount_flags`, 'expected one mount option per entry, without commas (except a double-quoted SELinux context="…")');
    }
  }
  if ((capability.mount?.volumeMountGroup ?? '') !== '') {
    throw invalidArgument(`${field}.mount.volume_mount_group`, 'not supported by this driver (leave it empty)');
  }
  return { kind: 'mount', fsType, mountFlags, readOnlyMode, singleTarget };
}
