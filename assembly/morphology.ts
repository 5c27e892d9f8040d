// Dilation and erosion of one label by an ellipsoid, on its runs along x (the runs of
// assembly/components.ts). The element is given as its rows: for each (dz, dy) within the
// radius, the half-width hx of its run along x (12 bytes: dz, dy, hx as i32). A target row's
// dilation is the union, over the element's rows, of the runs of row (z - dz, y - dy) widened
// by hx; its erosion keeps the x whose window [x - hx, x + hx] lies inside one run of row
// (z + dz, y + dy) for every element row (the element is symmetric). The work is in runs
// times element rows, not in the voxels of the box; a distance transform is cheaper only
// for large radii (src/clean/morphology.ts chooses). The JS build is
// src/kernels/js/morphology.ts.
import { at, runAt } from "./components";

/** Bytes per output interval: row (z * ny + y), first x, end x (exclusive). */
const OUT: usize = 12;

@inline function emit(out: usize, n: u32, row: u32, start: u32, end: u32): void {
  const p = out + <usize>n * OUT;
  store<u32>(p, row);
  store<u32>(p, start, 4);
  store<u32>(p, end, 8);
}

// Interval sets: (start, end) u32 pairs at `set`, sorted, disjoint and not touching.
@inline function startOf(set: usize, k: u32): u32 {
  return load<u32>(set + (<usize>k << 3));
}
@inline function endOf(set: usize, k: u32): u32 {
  return load<u32>(set + (<usize>k << 3), 4);
}
@inline function put(set: usize, k: u32, start: u32, end: u32): void {
  store<u32>(set + (<usize>k << 3), start);
  store<u32>(set + (<usize>k << 3), end, 4);
}

/** [a, b) added to the `n` intervals at `set`, merged with those it overlaps or touches; the new count. */
function addInterval(set: usize, n: u32, a: u32, b: u32): u32 {
  let j: u32 = 0;
  while (j < n && endOf(set, j) < a) j++;
  if (j == n || startOf(set, j) > b) {
    for (let k = n; k > j; k--) store<u64>(set + (<usize>k << 3), load<u64>(set + (<usize>(k - 1) << 3)));
    put(set, j, a, b);
    return n + 1;
  }
  let k = j + 1;
  while (k < n && startOf(set, k) <= b) k++;
  put(set, j, min(a, startOf(set, j)), max(b, endOf(set, k - 1)));
  const gone = k - j - 1;
  if (gone != 0) for (let q = k; q < n; q++) store<u64>(set + (<usize>(q - gone) << 3), load<u64>(set + (<usize>q << 3)));
  return n - gone;
}

/**
 * The voxels rows y0..y1 of slice `z` gain when the runs (in scan order, `rowStart` per row of
 * the nz x ny grid) are dilated by the `m` element rows at `element`: intervals outside the
 * runs, written to `out` (room for nx + 1 per row is enough). `set` is scratch of 8 * (nx + 1)
 * bytes. Returns the count.
 */
export function dilateSlice(runs: usize, rowStart: usize, nz: u32, ny: u32, nx: u32, element: usize, m: u32, z: u32, y0: u32, y1: u32, set: usize, out: usize): u32 {
  let n: u32 = 0;
  for (let y = y0; y <= y1; y++) {
    let size: u32 = 0;
    for (let e: u32 = 0; e < m; e++) {
      const p = element + <usize>e * 12;
      const sz = <i32>z - load<i32>(p), sy = <i32>y - load<i32>(p, 4), hx = load<i32>(p, 8);
      if (sz < 0 || sz >= <i32>nz || sy < 0 || sy >= <i32>ny) continue;
      const row = <u32>sz * ny + <u32>sy;
      for (let i = at(rowStart, row), i1 = at(rowStart, row + 1); i < i1; i++) {
        const a = max(<i32>runAt(runs, i, 1) - hx, 0), b = min(<i32>runAt(runs, i, 2) + hx, <i32>nx);
        size = addInterval(set, size, <u32>a, <u32>b);
      }
    }
    // The union less the row's own runs (each lies inside it: the element holds (0, 0)).
    const row = z * ny + y;
    let i = at(rowStart, row);
    const i1 = at(rowStart, row + 1);
    for (let k: u32 = 0; k < size; k++) {
      let a = startOf(set, k);
      const b = endOf(set, k);
      for (; i < i1 && runAt(runs, i, 1) < b; i++) {
        const s = runAt(runs, i, 1);
        if (s > a) {
          emit(out, n, row, a, s);
          n++;
        }
        a = runAt(runs, i, 2);
      }
      if (a < b) {
        emit(out, n, row, a, b);
        n++;
      }
    }
  }
  return n;
}

/**
 * The voxels of the runs in rows y0..y1 of slice `z` that erosion by the `m` element rows at
 * `element` takes (a voxel stays when the element around it holds only voxels of the runs;
 * beyond the grid is outside), written to `out` as intervals (room for nx + 1 per row is
 * enough). `a` and `b` are scratch of 8 * (nx + 1) bytes each. Returns the count.
 */
export function erodeSlice(runs: usize, rowStart: usize, nz: u32, ny: u32, nx: u32, element: usize, m: u32, z: u32, y0: u32, y1: u32, a: usize, b: usize, out: usize): u32 {
  let n: u32 = 0;
  for (let y = y0; y <= y1; y++) {
    const row = z * ny + y;
    const i0 = at(rowStart, row), i1 = at(rowStart, row + 1);
    if (i0 == i1) continue;
    let cur = a, next = b, size: u32 = 0;
    for (let i = i0; i < i1; i++) put(cur, size++, runAt(runs, i, 1), runAt(runs, i, 2));
    for (let e: u32 = 0; e < m && size != 0; e++) {
      const p = element + <usize>e * 12;
      const sz = <i32>z + load<i32>(p), sy = <i32>y + load<i32>(p, 4), hx = load<i32>(p, 8);
      if (sz < 0 || sz >= <i32>nz || sy < 0 || sy >= <i32>ny) {
        size = 0;
        break;
      }
      // cur, intersected with the runs of that row narrowed by hx at both ends.
      const other = <u32>sz * ny + <u32>sy;
      let k: u32 = 0, j = at(rowStart, other), kept: u32 = 0;
      const j1 = at(rowStart, other + 1);
      while (k < size && j < j1) {
        const ra = <i32>runAt(runs, j, 1) + hx, rb = <i32>runAt(runs, j, 2) - hx;
        if (ra >= rb) {
          j++;
          continue;
        }
        const lo = max(<i32>startOf(cur, k), ra), hi = min(<i32>endOf(cur, k), rb);
        if (lo < hi) put(next, kept++, <u32>lo, <u32>hi);
        if (<i32>endOf(cur, k) < rb) k++;
        else j++;
      }
      const t = cur;
      cur = next;
      next = t;
      size = kept;
    }
    // The runs less what stays (each piece of which lies inside one run).
    let k: u32 = 0;
    for (let i = i0; i < i1; i++) {
      let x = runAt(runs, i, 1);
      const e = runAt(runs, i, 2);
      for (; k < size && startOf(cur, k) < e; k++) {
        if (startOf(cur, k) > x) {
          emit(out, n, row, x, startOf(cur, k));
          n++;
        }
        x = endOf(cur, k);
      }
      if (x < e) {
        emit(out, n, row, x, e);
        n++;
      }
    }
  }
  return n;
}
