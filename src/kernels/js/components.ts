// Connected components on runs along x in plain TypeScript: the same steps as
// assembly/components.ts (runs, union-find over the runs behind, statistics from the runs),
// so both backends number components alike.
import type { LabelArray } from "../../bitdepth.js";
import { COMPONENT_STATS, type Dims, type RunComponents } from "../types.js";

/**
 * The runs of `data` (of `label`, or of every non-zero value with 0), 4 numbers each, in the
 * rows of `box` (z0, y0, z1, y1 inclusive; default every row).
 */
export function findRuns(data: LabelArray, [nz, ny, nx]: Dims, label: number, [z0, y0, z1, y1] = [0, 0, nz - 1, ny - 1]): Uint32Array {
  let runs = new Uint32Array(1024), n = 0;
  for (let z = z0; z <= z1; z++) {
    for (let row = z * ny + y0; row <= z * ny + y1; row++) {
      const p = row * nx;
      let cur = 0, start = 0;
      for (let x = 0; x <= nx; x++) {
        let c = x < nx ? data[p + x]! : 0;
        if (label !== 0 && c !== label) c = 0;
        if (c === cur) continue;
        if (cur !== 0) {
          if (4 * n + 4 > runs.length) {
            const grown = new Uint32Array(runs.length * 2);
            grown.set(runs);
            runs = grown;
          }
          runs[4 * n] = row;
          runs[4 * n + 1] = start;
          runs[4 * n + 2] = x;
          runs[4 * n + 3] = cur;
          n++;
        }
        start = x;
        cur = c;
      }
    }
  }
  return runs.slice(0, 4 * n);
}

function find(parent: Uint32Array, x: number): number {
  let p = parent[x]!;
  while (p !== x) {
    const gp = parent[p]!;
    parent[x] = gp;
    x = p;
    p = gp;
  }
  return x;
}

function union(parent: Uint32Array, a: number, b: number): void {
  const ra = find(parent, a), rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/** Joins runs a0..a1 of one row with the runs b0..b1 of a row behind it that touch them (see assembly/components.ts link). */
function link(runs: Uint32Array, parent: Uint32Array, a0: number, a1: number, b0: number, b1: number, reach: number): void {
  let j = b0;
  for (let i = a0; i < a1; i++) {
    const s = runs[4 * i + 1]!, e = runs[4 * i + 2]!, l = runs[4 * i + 3]!;
    while (j < b1 && runs[4 * j + 2]! + reach <= s) j++;
    for (let k = j; k < b1 && runs[4 * k + 1]! < e + reach; k++) if (runs[4 * k + 3] === l) union(parent, i, k);
  }
}

/** Per row of `rows`, the index of its first run into the result, and the run count after the last. */
export function rowStarts(runs: Uint32Array, rows: number): Uint32Array {
  const count = runs.length / 4, rowStart = new Uint32Array(rows + 1);
  let r = 0;
  for (let i = 0; i < count; i++) for (const row = runs[4 * i]!; r <= row; r++) rowStart[r] = i;
  rowStart.fill(count, r);
  return rowStart;
}

/** `ComponentKernels.runComponents` (see assembly/components.ts). */
export function runComponents(data: LabelArray, dims: Dims, connectivity: 6 | 18 | 26, label: number): RunComponents {
  const [nz, ny] = dims;
  const runs = findRuns(data, dims, label);
  const count = runs.length / 4, rows = nz * ny;
  const rowStart = rowStarts(runs, rows), parent = new Uint32Array(count).map((_, i) => i);
  const edge = connectivity === 6 ? 0 : 1, corner = connectivity === 26 ? 1 : 0;
  for (let row = 0; row < rows; row++) {
    const a0 = rowStart[row]!, a1 = rowStart[row + 1]!;
    if (a0 === a1) continue;
    const y = row % ny;
    if (y > 0) link(runs, parent, a0, a1, rowStart[row - 1]!, a0, edge);
    if (row >= ny) {
      const below = row - ny;
      link(runs, parent, a0, a1, rowStart[below]!, rowStart[below + 1]!, edge);
      if (connectivity !== 6) {
        if (y > 0) link(runs, parent, a0, a1, rowStart[below - 1]!, rowStart[below]!, corner);
        if (y + 1 < ny) link(runs, parent, a0, a1, rowStart[below + 1]!, rowStart[below + 2]!, corner);
      }
    }
  }
  const component = new Uint32Array(count);
  let n = 0;
  for (let i = 0; i < count; i++) {
    const root = find(parent, i);
    component[i] = root === i ? n++ : component[root]!;
  }
  const stats = new Float64Array(COMPONENT_STATS * n);
  for (let c = 0; c < n; c++) stats.fill(Infinity, c * COMPONENT_STATS + 4, c * COMPONENT_STATS + 7).fill(-1, c * COMPONENT_STATS + 7, c * COMPONENT_STATS + 10);
  for (let i = 0; i < count; i++) {
    const row = runs[4 * i]!, s = runs[4 * i + 1]!, e = runs[4 * i + 2]!;
    const z = Math.floor(row / ny), y = row % ny, len = e - s;
    const p = component[i]! * COMPONENT_STATS;
    stats[p]! += len;
    stats[p + 1]! += z * len;
    stats[p + 2]! += y * len;
    stats[p + 3]! += ((s + e - 1) * len) / 2;
    stats[p + 4] = Math.min(stats[p + 4]!, z);
    stats[p + 5] = Math.min(stats[p + 5]!, y);
    stats[p + 6] = Math.min(stats[p + 6]!, s);
    stats[p + 7] = Math.max(stats[p + 7]!, z);
    stats[p + 8] = Math.max(stats[p + 8]!, y);
    stats[p + 9] = Math.max(stats[p + 9]!, e - 1);
    stats[p + 10] = runs[4 * i + 3]!;
  }
  return { runs, component, count: n, stats };
}
