import type { Context } from './context';
import { ApiError } from './errors';

/** Cinder's QuotaError: 413, Retry-After: 0 (echoed as retryAfter in the overLimit body). */
function quotaError(message: string): ApiError {
  return new ApiError(413, message, 'fault', { 'Retry-After': '0' });
}

/** Refuses (413) a change that would take usage over the project's quota; gigabytes count snapshots too. */
export function checkQuota(ctx: Context, delta: { volumes?: number; gigabytes?: number; snapshots?: number }): void {
  const usage = ctx.state.usage();
  const q = ctx.config.quotas;
  if (delta.volumes && q.volumes >= 0 && usage.volumes + delta.volumes > q.volumes) {
    throw quotaError(`VolumeLimitExceeded: Maximum number of volumes allowed (${q.volumes}) exceeded for quota 'volumes'.`);
  }
  if (delta.snapshots && q.snapshots >= 0 && usage.snapshots + delta.snapshots > q.snapshots) {
    throw quotaError(`SnapshotLimitExceeded: Maximum number of snapshots allowed (${q.snapshots}) exceeded`);
  }
  if (delta.gigabytes && q.gigabytes >= 0 && usage.gigabytes + delta.gigabytes > q.gigabytes) {
    throw quotaError(
      `VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${delta.gigabytes}G, quota is ${q.gigabytes}G and ${usage.gigabytes}G has been consumed.`,
    );
  }
}
