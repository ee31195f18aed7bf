/**
 * VolumeSnapshotClass parameter names the driver reads. Dependency-free on purpose: the chart's constructs import
 * this file (lib/snapshot-classes.ts), so the parameter the chart writes is the one the driver reads.
 */

/**
 * Whether an attached (in-use) volume may be snapshotted. Absent means false, as upstream: a VolumeSnapshotClass
 * must say `force-create: "true"` to snapshot volumes that are in use.
 */
export const PARAM_FORCE_CREATE = 'force-create';
