// Dilation and erosion of one label by an ellipsoid on its runs along x in plain TypeScript:
// the same steps as assembly/morphology.ts, so both backends give the same intervals.
import type { LabelArray } from "../../bitdepth.js";
import type { Box6, Dims } from "../types.js";
import { findRuns, rowStarts } from "./components.js";

/** [a, b) added to the sorted, disjoint, non-touching intervals `set` (start, end pairs). */
function addInterval(set: number[], a: number, b: number): void {
  let j = 0;
  while (j < set.length && set[j + 1]! < a) j += 2;
  if (j === set.length || set[j]! > b) {
    set.splice(j, 0, a, b);
    return;
  }
  let k = j + 2;
  while (k < set.length && set[k]! <= b) k += 2;
  const end = Math.max(b, set[k - 1]!);
  set[j] = Math.min(a, set[j]!);
  set[j + 1] = end;
  set.splice(j + 2, k - j - 2);
}

/** The element's reach in z and y (its largest |dz| and |dy|). */
function reach(element: Int32Array): [number, number] {
  let rz = 0, ry = 0;
  for (let e = 0; e < element.length; e += 3) {
    rz = Math.max(rz, Math.abs(element[e]!));
    ry = Math.max(ry, Math.abs(element[e + 1]!));
  }
  return [rz, ry];
}

/** `MorphologyKernels.dilateRuns` (see assembly/morphology.ts dilateSlice). */
export function dilateRuns(data: LabelArray, dims: Dims, label: number, element: Int32Array, [z0, y0, , z1, y1]: Box6): Uint32Array {
  const [nz, ny, nx] = dims;
  const runs = findRuns(data, dims, label, [z0, y0, z1, y1]);
  const rowStart = rowStarts(runs, nz * ny);
  const [rz, ry] = reach(element);
  const out: number[] = [];
  for (let z = Math.max(0, z0 - rz); z <= Math.min(nz - 1, z1 + rz); z++) {
    for (let y = Math.max(0, y0 - ry); y <= Math.min(ny - 1, y1 + ry); y++) {
      const set: number[] = [];
      for (let e = 0; e < element.length; e += 3) {
        const sz = z - element[e]!, sy = y - element[e + 1]!, hx = element[e + 2]!;
        if (sz < 0 || sz >= nz || sy < 0 || sy >= ny) continue;
        const row = sz * ny + sy;
        for (let i = rowStart[row]!; i < rowStart[row + 1]!; i++) addInterval(set, Math.max(runs[4 * i + 1]! - hx, 0), Math.min(runs[4 * i + 2]! + hx, nx));
      }
      const row = z * ny + y;
      let i = rowStart[row]!;
      for (let k = 0; k < set.length; k += 2) {
        let a = set[k]!;
        const b = set[k + 1]!;
        for (; i < rowStart[row + 1]! && runs[4 * i + 1]! < b; i++) {
          if (runs[4 * i + 1]! > a) out.push(row, a, runs[4 * i + 1]!);
          a = runs[4 * i + 2]!;
        }
        if (a < b) out.push(row, a, b);
      }
    }
  }
  return Uint32Array.from(out);
}

/** `MorphologyKernels.erodeRuns` (see assembly/morphology.ts erodeSlice). */
export function erodeRuns(data: LabelArray, dims: Dims, label: number, element: Int32Array, [z0, y0, , z1, y1]: Box6): Uint32Array {
  const [nz, ny] = dims;
  const runs = findRuns(data, dims, label, [z0, y0, z1, y1]);
  const rowStart = rowStarts(runs, nz * ny);
  const out: number[] = [];
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = z * ny + y, i0 = rowStart[row]!, i1 = rowStart[row + 1]!;
      if (i0 === i1) continue;
      let cur: number[] = [];
      for (let i = i0; i < i1; i++) cur.push(runs[4 * i + 1]!, runs[4 * i + 2]!);
      for (let e = 0; e < element.length && cur.length > 0; e += 3) {
        const sz = z + element[e]!, sy = y + element[e + 1]!, hx = element[e + 2]!;
        if (sz < 0 || sz >= nz || sy < 0 || sy >= ny) {
          cur = [];
          break;
        }
        const other = sz * ny + sy, next: number[] = [];
        let k = 0, j = rowStart[other]!;
        while (k < cur.length && j < rowStart[other + 1]!) {
          const ra = runs[4 * j + 1]! + hx, rb = runs[4 * j + 2]! - hx;
          if (ra >= rb) {
            j++;
            continue;
          }
          const lo = Math.max(cur[k]!, ra), hi = Math.min(cur[k + 1]!, rb);
          if (lo < hi) next.push(lo, hi);
          if (cur[k + 1]! < rb) k += 2;
          else j++;
        }
        cur = next;
      }
      let k = 0;
      for (let i = i0; i < i1; i++) {
        let x = runs[4 * i + 1]!;
        const end = runs[4 * i + 2]!;
        for (; k < cur.length && cur[k]! < end; k += 2) {
          if (cur[k]! > x) out.push(row, x, cur[k]!);
          x = cur[k + 1]!;
        }
        if (x < end) out.push(row, x, end);
      }
    }
  }
  return Uint32Array.from(out);
}
