// numpy's percentile (its default "linear" method) by selection: a percentile needs the two
// order statistics around its rank, not the whole set sorted.

/** Moves the k-th smallest of `v` to index k, smaller ones before it, larger after (Hoare's selection). */
function select(v: Float64Array, k: number): void {
  let lo = 0, hi = v.length - 1;
  while (hi > lo) {
    // Median of three as the pivot: sorted or reversed inputs stay linear.
    const mid = (lo + hi) >>> 1;
    const a = v[lo]!, b = v[mid]!, c = v[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo, j = hi;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) {
        const t = v[i]!;
        v[i] = v[j]!;
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * `numpy.percentile(values, p)`: the value at rank p/100 * (n - 1), interpolated linearly
 * between the two order statistics around it; NaN for no values. Reorders `values`.
 * @example percentileOf(Float64Array.of(1, 2, 3, 4), 95) // 3.85
 */
export function percentileOf(values: Float64Array, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  select(values, lo);
  const below = values[lo]!;
  if (lo + 1 >= n) return below;
  // After the selection every value past `lo` is at least `below`: the next statistic is their least.
  let above = Infinity;
  for (let i = lo + 1; i < n; i++) if (values[i]! < above) above = values[i]!;
  const t = rank - lo;
  // numpy's lerp: from the nearer end, so t = 1 gives `above` exactly.
  return t >= 0.5 ? above - (above - below) * (1 - t) : below + (above - below) * t;
}
