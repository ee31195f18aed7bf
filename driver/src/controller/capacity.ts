import { outOfRange } from '../grpc/errors';
import type { CapacityRange__Output } from '../grpc/services';

export const GiB = 1024 * 1024 * 1024;
/** Size of a volume created without a capacity range. */
export const DEFAULT_SIZE_GIB = 1;

/**
 * Cinder sizes volumes in whole GiB: round the required bytes up, then check the result still honours the limit.
 * `minimumGiB` raises the floor (a volume restored from a snapshot cannot be smaller than the snapshot).
 */
export function sizeForRange(range: CapacityRange__Output | null, minimumGiB = DEFAULT_SIZE_GIB): number {
  const required = Number(range?.requiredBytes ?? 0);
  const limit = Number(range?.limitBytes ?? 0);
  if (required < 0) throw outOfRange('capacity_range.required_bytes: expected a non-negative number of bytes');
  if (limit < 0) throw outOfRange('capacity_range.limit_bytes: expected a non-negative number of bytes');
  if (limit > 0 && required > limit) {
    throw outOfRange(`capacity_range: required_bytes ${required} exceeds limit_bytes ${limit}`);
  }
  const sizeGiB = Math.max(minimumGiB, Math.ceil(required / GiB));
  if (limit > 0 && sizeGiB * GiB > limit) {
    throw outOfRange(
      `capacity_range: volumes come in whole GiB; ${sizeGiB} GiB (the smallest size satisfying the request) exceeds limit_bytes ${limit}`,
    );
  }
  return sizeGiB;
}

/** Whether an existing volume of `sizeGiB` satisfies the range (idempotent repeats of CreateVolume). */
export function sizeFitsRange(sizeGiB: number, range: CapacityRange__Output | null): boolean {
  const required = Number(range?.requiredBytes ?? 0);
  const limit = Number(range?.limitBytes ?? 0);
  const bytes = sizeGiB * GiB;
  return bytes >= required && (limit === 0 || bytes <= limit);
}
