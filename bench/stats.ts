/** Small statistics for benchmark samples. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (0–100) of unsorted values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(values: number[]): Distribution {
  const sum = values.reduce((total, value) => total + value, 0);
  return {
    count: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length
      ? values.reduce((highest, value) => Math.max(highest, value), -Infinity)
      : Number.NaN,
    mean: values.length ? sum / values.length : Number.NaN,
  };
}
