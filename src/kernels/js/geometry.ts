// Moving labels between grids in plain TypeScript: the same loops and floating-point
// operations, in the same order, as assembly/geometry.ts, so both backends give the same
// voxels, ties included.
import { labelsLike, type LabelArray } from "../../bitdepth.js";
import { axisStrides } from "../axis-strides.js";
import type { Dims } from "../types.js";

const TILE = 32;

/** `Kernels.permuteAxes` (see assembly/geometry.ts). */
export function permuteAxes(data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): LabelArray {
  const { out: [n0, n1, n2], base, strides: [s0, s1, s2] } = axisStrides(dims, order, flips);
  const out = labelsLike(data, data.length);
  for (let i0 = 0; i0 < n0; i0++) {
    const slice = base + i0 * s0;
    for (let y0 = 0; y0 < n1; y0 += TILE) {
      const y1 = Math.min(y0 + TILE, n1);
      for (let x0 = 0; x0 < n2; x0 += TILE) {
        const x1 = Math.min(x0 + TILE, n2);
        for (let i1 = y0; i1 < y1; i1++) {
          let p = slice + i1 * s1 + x0 * s2;
          let o = (i0 * n1 + i1) * n2 + x0;
          for (let i2 = x0; i2 < x1; i2++, p += s2) out[o++] = data[p]!;
        }
      }
    }
  }
  return out;
}

/** Positions this close below a half voxel count as the half (see assembly/geometry.ts). */
const HALF_NOISE = 1e-9;

/** The index nearest `j`, halves up, on or off the grid. */
const rounded = (j: number): number => Math.floor(j + (0.5 + HALF_NOISE));

/** The source index nearest `j` (halves up, as scipy's order 0), or -1 off the `n` voxels. */
function nearest(j: number, n: number): number {
  const r = rounded(j);
  return r >= 0 && r < n ? r : -1;
}

/** `Kernels.resample` with "nearest" (see assembly/geometry.ts). */
export function resampleNearest(data: LabelArray, [s0, s1, s2]: Dims, [n0, n1, n2]: Dims, m: readonly number[]): LabelArray {
  const out = labelsLike(data, n0 * n1 * n2);
  const rowShared = m[8] === 0 && m[9] === 0 && m[1] === 0 && m[2] === 0 && m[6] === 0;
  const table = new Int32Array(n2);
  if (rowShared) for (let i2 = 0; i2 < n2; i2++) table[i2] = nearest(m[11]! + i2 * m[10]!, s2);
  let o = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++, o += n2) {
      const c0 = m[0]! * i0 + m[1]! * i1 + m[3]!;
      const c1 = m[4]! * i0 + m[5]! * i1 + m[7]!;
      const c2 = m[8]! * i0 + m[9]! * i1 + m[11]!;
      if (rowShared) {
        const r0 = nearest(c0, s0), r1 = nearest(c1, s1);
        if (r0 < 0 || r1 < 0) continue; // the output is zero already
        const row = (r0 * s1 + r1) * s2;
        for (let i2 = 0; i2 < n2; i2++) {
          const r2 = table[i2]!;
          if (r2 >= 0) out[o + i2] = data[row + r2]!;
        }
      } else if (rounded(c0) === rounded(c0 + (n2 - 1) * m[2]!) && rounded(c1) === rounded(c1 + (n2 - 1) * m[6]!)) {
        // Only the last source index moves along the row (see assembly/geometry.ts).
        const r0 = nearest(c0, s0), r1 = nearest(c1, s1);
        if (r0 < 0 || r1 < 0) continue;
        const row = (r0 * s1 + r1) * s2;
        for (let i2 = 0; i2 < n2; i2++) {
          const r2 = nearest(c2 + i2 * m[10]!, s2);
          if (r2 >= 0) out[o + i2] = data[row + r2]!;
        }
      } else {
        for (let i2 = 0; i2 < n2; i2++) {
          const r0 = nearest(c0 + i2 * m[2]!, s0), r1 = nearest(c1 + i2 * m[6]!, s1), r2 = nearest(c2 + i2 * m[10]!, s2);
          if (r0 >= 0 && r1 >= 0 && r2 >= 0) out[o + i2] = data[(r0 * s1 + r1) * s2 + r2]!;
        }
      }
    }
  }
  return out;
}

/** `Kernels.resample` with "label-linear" (see assembly/geometry.ts). */
export function resampleLabelLinear(data: LabelArray, [s0, s1, s2]: Dims, [n0, n1, n2]: Dims, m: readonly number[]): LabelArray {
  const out = labelsLike(data, n0 * n1 * n2);
  const at = (a: number, b: number, c: number): number => (a < 0 || b < 0 || c < 0 || a >= s0 || b >= s1 || c >= s2 ? 0 : data[(a * s1 + b) * s2 + c]!);
  const corners = new Uint32Array(8);
  const weights = new Float64Array(8);
  const plane = s1 * s2;
  let o = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      const c0 = m[0]! * i0 + m[1]! * i1 + m[3]!;
      const c1 = m[4]! * i0 + m[5]! * i1 + m[7]!;
      const c2 = m[8]! * i0 + m[9]! * i1 + m[11]!;
      for (let i2 = 0; i2 < n2; i2++, o++) {
        const j0 = c0 + i2 * m[2]!, j1 = c1 + i2 * m[6]!, j2 = c2 + i2 * m[10]!;
        const f0 = Math.floor(j0), f1 = Math.floor(j1), f2 = Math.floor(j2);
        const w0 = j0 - f0, w1 = j1 - f1, w2 = j2 - f2;
        if (f0 < -1 || f1 < -1 || f2 < -1 || f0 >= s0 || f1 >= s1 || f2 >= s2) continue;
        let same = true;
        let first: number;
        if (f0 >= 0 && f1 >= 0 && f2 >= 0 && f0 + 1 < s0 && f1 + 1 < s1 && f2 + 1 < s2) {
          // All eight corners on the grid: straight reads, no checks.
          const base = (f0 * s1 + f1) * s2 + f2;
          first = data[base]!;
          for (let k = 0; k < 8; k++) {
            const label = data[base + (k >> 2 ? plane : 0) + ((k >> 1) & 1 ? s2 : 0) + (k & 1)]!;
            corners[k] = label;
            if (label !== first) same = false;
          }
        } else {
          first = at(f0, f1, f2);
          for (let k = 0; k < 8; k++) {
            const label = at(f0 + (k >> 2), f1 + ((k >> 1) & 1), f2 + (k & 1));
            corners[k] = label;
            if (label !== first) same = false;
          }
        }
        if (same) {
          out[o] = first;
          continue;
        }
        let count = 0;
        for (let k = 0; k < 8; k++) {
          const w = (k >> 2 ? w0 : 1 - w0) * ((k >> 1) & 1 ? w1 : 1 - w1) * (k & 1 ? w2 : 1 - w2);
          const label = corners[k]!;
          let slot = 0;
          while (slot < count && corners[slot] !== label) slot++;
          if (slot === count) {
            corners[count] = label;
            weights[count++] = w;
          } else {
            weights[slot]! += w;
          }
        }
        const near = at(f0 + (w0 >= 0.5 - HALF_NOISE ? 1 : 0), f1 + (w1 >= 0.5 - HALF_NOISE ? 1 : 0), f2 + (w2 >= 0.5 - HALF_NOISE ? 1 : 0));
        let best = corners[0]!, bestWeight = weights[0]!;
        for (let s = 1; s < count; s++) {
          const w = weights[s]!, label = corners[s]!;
          if (w > bestWeight || (w === bestWeight && best !== near && (label === near || label < best))) [best, bestWeight] = [label, w];
        }
        out[o] = best;
      }
    }
  }
  return out;
}

/** `Kernels.reverseRows` (see assembly/geometry.ts): the engine's own set and reverse per row. */
export function reverseRows(data: LabelArray, rowLength: number): LabelArray {
  const out = labelsLike(data, data.length);
  for (let r = 0; r < data.length; r += rowLength) {
    out.set(data.subarray(r, r + rowLength), r);
    out.subarray(r, r + rowLength).reverse();
  }
  return out;
}
