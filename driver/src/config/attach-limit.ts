/**
 * Bounds of the node attach limit ([BlockStorage] node-volume-attach-limit, --max-volumes-per-node). One definition:
 * the driver's cloud.conf parser and flag parser check them, and the chart's values schema takes its
 * `cloudConfig.blockStorage.nodeVolumeAttachLimit` maximum from here (lib/chart/synthesize.ts), so they cannot drift.
 * Dependency-free on purpose: the root package imports this file as it is.
 */

/** The smallest limit a node may report (0 in the chart's values means "the driver's default"). */
export const MIN_NODE_VOLUME_ATTACH_LIMIT = 1;
/** The largest limit a node may report. */
export const MAX_NODE_VOLUME_ATTACH_LIMIT = 4096;
/** The limit when none is configured. */
export const DEFAULT_NODE_VOLUME_ATTACH_LIMIT = 256;
