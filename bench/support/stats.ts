/** Median and 99th percentile (nearest rank) of a sample, rounded to 3 decimals. */
export interface Spread {
  readonly median: number;
  readonly p99: number;
  readonly n: number;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), n: sorted.length };
}
