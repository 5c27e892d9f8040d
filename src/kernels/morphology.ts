// The morphology family (assembly/morphology.ts; js/morphology.ts; wasm/morphology.ts): what
// one label gains or loses by an ellipsoidal element, on its runs along x, for clean.
import type { LabelArray } from "../bitdepth.js";
import { checkMorphology } from "./checks.js";
import { kernelFamily } from "./family.js";
import * as js from "./js/morphology.js";
import type { Box6, Dims } from "./types.js";
import * as wasm from "./wasm/morphology.js";

/**
 * The rows of the ellipsoid of `radius` mm through `spacing` (z, y, x): for every (dz, dy)
 * with a voxel within the radius, the half-width hx of its run along x, as (dz, dy, hx)
 * triples, the widest first. An offset is in when (dz sz)^2 + (dy sy)^2 + (dx sx)^2 <= r^2,
 * summed in that order (scipy's element, made the same way, agrees voxel for voxel).
 */
export function ellipsoidRows(radius: number, [sz, sy, sx]: readonly [number, number, number]): Int32Array {
  const rows: [number, number, number][] = [];
  const limit = radius * radius, rz = Math.floor(radius / sz), ry = Math.floor(radius / sy);
  for (let dz = -rz; dz <= rz; dz++) {
    for (let dy = -ry; dy <= ry; dy++) {
      const gz = dz * sz, gy = dy * sy, base = gz * gz + gy * gy;
      if (base > limit) continue;
      let hx = 0;
      while (base + (hx + 1) * sx * ((hx + 1) * sx) <= limit) hx++;
      rows.push([dz, dy, hx]);
    }
  }
  // Widest first: a union takes in most of a row at once, and the rest is mostly inside it.
  rows.sort((a, b) => b[2] - a[2]);
  return Int32Array.from(rows.flat());
}

/** What the morphology family does, on either backend. */
export interface MorphologyKernels {
  /**
   * The voxels `label` gains when dilated by `element` (ellipsoidRows), `box` being its
   * bounding box in `data` (a volume of `dims`): intervals along x outside the label, three
   * numbers each (row z * ny + y, first x, end x exclusive), in scan order.
   */
  dilateRuns(data: LabelArray, dims: Dims, label: number, element: Int32Array, box: Box6): Uint32Array;
  /**
   * The voxels of `label` that erosion by `element` takes (those with a voxel that is not the
   * label, or the outside of the grid, within the element around them), as `dilateRuns` gives
   * intervals.
   */
  erodeRuns(data: LabelArray, dims: Dims, label: number, element: Int32Array, box: Box6): Uint32Array;
}

/** The morphology family on `kernels`' backend (default: the one in use). */
export const morphologyKernels = kernelFamily<MorphologyKernels>(
  {
    dilateRuns: (data, dims, label, element, box) => {
      checkMorphology(data, dims, label, element, box);
      return js.dilateRuns(data, dims, label, element, box);
    },
    erodeRuns: (data, dims, label, element, box) => {
      checkMorphology(data, dims, label, element, box);
      return js.erodeRuns(data, dims, label, element, box);
    },
  },
  (run) => ({
    dilateRuns: (data, dims, label, element, box) => {
      checkMorphology(data, dims, label, element, box);
      return wasm.morphologyRuns(run, "dilate", data, dims, label, element, box);
    },
    erodeRuns: (data, dims, label, element, box) => {
      checkMorphology(data, dims, label, element, box);
      return wasm.morphologyRuns(run, "erode", data, dims, label, element, box);
    },
  }),
);
