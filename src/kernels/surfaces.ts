// The surfaces family (assembly/surfaces.ts; js/surfaces.ts; wasm/surfaces.ts): the closed
// surface of each label at its voxels' boundary, for meshLabels. The sheets and pinched edges
// both builds read are made once in surface-tables.ts.
import type { LabelArray } from "../bitdepth.js";
import { checkSurfaces } from "./checks.js";
import { kernelFamily } from "./family.js";
import * as jsComponents from "./js/components.js";
import * as js from "./js/surfaces.js";
import { surfaceTables } from "./surface-tables.js";
import type { Box6, Dims } from "./types.js";
import * as wasm from "./wasm/surfaces.js";
import type { RawSurface } from "./types.js";
export type { RawSurface };

/** Options of `surfaces`. */
export interface SurfaceOptions {
  /** The vertices' keys (default true; without them `keys` is empty: nothing to join, as without smoothing). */
  keys?: boolean;
}

/** What the surfaces family does, on either backend. */
export interface SurfaceKernels {
  /**
   * The surface of each of `labels` (boxes[i] holding every voxel of labels[i], as z0, y0,
   * x0, z1, y1, x1 inclusive) in a label volume of `dims`: closed, each vertex a disc and each
   * edge in two triangles, at the boundary between the label's voxels and the rest (its
   * voxels joined through faces); a vertex is the mean of its faces' centres, over every label
   * that meets there, so touching labels share their vertices.
   */
  surfaces(data: LabelArray, dims: Dims, labels: readonly number[], boxes: readonly Box6[], options?: SurfaceOptions): RawSurface[];
}

/** The surfaces family on `kernels`' backend (default: the one in use). */
export const surfaceKernels = kernelFamily<SurfaceKernels>(
  {
    surfaces: (data, dims, labels, boxes, options = {}) => {
      checkSurfaces(data, dims, labels, boxes);
      const tables = surfaceTables();
      return labels.map((label, i) => {
        const [z0, y0, , z1, y1] = boxes[i]!;
        const runs = jsComponents.findRuns(data, dims, label, [z0, y0, z1, y1]);
        return js.surface(data, dims, label, boxes[i]!, runs, jsComponents.rowStarts(runs, dims[0] * dims[1]), tables, options.keys !== false);
      });
    },
  },
  (run) => ({
    surfaces: (data, dims, labels, boxes, options = {}) => {
      checkSurfaces(data, dims, labels, boxes);
      return wasm.surfaces(run, data, dims, labels, boxes, surfaceTables(), options.keys !== false);
    },
  }),
);
