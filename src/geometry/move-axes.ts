// Voxels moved with their axes: the one step flip, permute and reorient share. When the
// axes keep their order, reversed rows, slices or the whole volume are one pass of the
// geometry family's reverseRows (streamed through cache, as a copy is) and slices or rows in
// reversed order are the engine's own memcpy; otherwise the family's tiled gather
// (permuteAxes). Bench rows: "reorient" in `npm run bench geometry`.
import { labelsLike, type LabelArray } from "../bitdepth.js";
import { axisStrides } from "../kernels/axis-strides.js";
import { geometryKernels } from "../kernels/geometry.js";
import type { Dims } from "../kernels/types.js";

/** `data` with its slices (of `size` voxels) in reverse order. */
function slicesReversed(data: LabelArray, n0: number, size: number): LabelArray {
  const out = labelsLike(data, data.length);
  for (let i0 = 0; i0 < n0; i0++) out.set(data.subarray((n0 - 1 - i0) * size, (n0 - i0) * size), i0 * size);
  return out;
}

/** `data` (a volume of `dims`) with output axis k = input axis `order[k]`, reversed where `flips[k]`. */
export function moveAxes(data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): LabelArray {
  const family = geometryKernels();
  if (order[2] !== 2) return family.permuteAxes(data, dims, order, flips);
  const [n0, n1, n2] = order.map((a) => dims[a]!) as [number, number, number];
  const [f0, f1, f2] = flips;
  if (order[1] === 1) {
    if (!f0 && !f1 && !f2) return data.slice();
    // Reversing a slice flips its rows and its columns at once; the whole volume all three:
    // the usual LPS <-> RAS turn is one of these.
    if (f1 && f2) return f0 ? family.reverseRows(data, data.length) : family.reverseRows(data, n1 * n2);
    if (f2) return f0 ? slicesReversed(family.reverseRows(data, n2), n0, n1 * n2) : family.reverseRows(data, n2);
    if (!f1) return slicesReversed(data, n0, n1 * n2);
  }
  // Rows stay whole (the y axis reversed, or y and z swapped): one copy per row, reversed
  // after where x is.
  const { base, strides: [s0, s1] } = axisStrides(dims, order, flips);
  const result = labelsLike(data, data.length);
  const back = f2 ? n2 - 1 : 0;
  for (let i0 = 0, o = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++, o += n2) {
      const start = base + i0 * s0 + i1 * s1 - back;
      result.set(data.subarray(start, start + n2), o);
    }
  }
  return f2 ? family.reverseRows(result, n2) : result;
}
