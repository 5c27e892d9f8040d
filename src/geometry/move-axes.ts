// Voxels moved with their axes: the one step flip, permute and reorient share. When the
// last axis stays last, every output row is one input row (reversed or not), copied by the
// engine's own memcpy and reverse; otherwise the kernels' tiled gather (Kernels.permuteAxes).
import type { LabelArray } from "../bitdepth.js";
import { axisStrides } from "../kernels/axis-strides.js";
import { getKernels } from "../kernels/index.js";
import type { Dims } from "../kernels/types.js";

/** `data` (a volume of `dims`) with output axis k = input axis `order[k]`, reversed where `flips[k]`. */
export function moveAxes(data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): LabelArray {
  if (order[2] !== 2) return getKernels().permuteAxes(data, dims, order, flips);
  const { out: [n0, n1, n2], base, strides: [s0, s1] } = axisStrides(dims, order, flips);
  const result = new (data.constructor as new (length: number) => LabelArray)(data.length);
  if (order[1] === 1 && !flips[1] && !flips[2]) {
    // Whole slices stay whole: one copy per slice.
    for (let i0 = 0; i0 < n0; i0++) result.set(data.subarray(base + i0 * s0, base + i0 * s0 + n1 * n2), i0 * n1 * n2);
    return result;
  }
  // A reversed last axis: the row's first output voxel is its last input voxel.
  const back = flips[2] ? n2 - 1 : 0;
  for (let i0 = 0, o = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++, o += n2) {
      const start = base + i0 * s0 + i1 * s1 - back;
      result.set(data.subarray(start, start + n2), o);
      if (flips[2]) result.subarray(o, o + n2).reverse();
    }
  }
  return result;
}
