// Voxels moved with their axes: the one step flip, permute and reorient share. When the
// last axis stays last, every output slice or row is one input slice or row (reversed or
// not), copied by the engine's own memcpy and reverse; otherwise the kernels' tiled gather
// (the geometry family's permuteAxes). Bench rows: "reorient" in `npm run bench geometry`.
import type { LabelArray } from "../bitdepth.js";
import { axisStrides } from "../kernels/axis-strides.js";
import { geometryKernels } from "../kernels/geometry.js";
import type { Dims } from "../kernels/types.js";

/** `data` (a volume of `dims`) with output axis k = input axis `order[k]`, reversed where `flips[k]`. */
export function moveAxes(data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): LabelArray {
  if (order[2] !== 2) return geometryKernels().permuteAxes(data, dims, order, flips);
  const { out: [n0, n1, n2], base, strides: [s0, s1] } = axisStrides(dims, order, flips);
  const result = new (data.constructor as new (length: number) => LabelArray)(data.length);
  if (order[1] === 1 && flips[1] === flips[2]) {
    // Slices stay whole, each copied or reversed as one (reversing a slice flips its rows
    // and its columns at once): the usual LPS <-> RAS turn is this.
    if (flips[0] === flips[2]) {
      result.set(data);
      if (flips[0]) result.reverse();
      return result;
    }
    const size = n1 * n2;
    for (let i0 = 0; i0 < n0; i0++) {
      const from = (flips[0] ? n0 - 1 - i0 : i0) * size;
      result.set(data.subarray(from, from + size), i0 * size);
      if (flips[2]) result.subarray(i0 * size, (i0 + 1) * size).reverse();
    }
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
