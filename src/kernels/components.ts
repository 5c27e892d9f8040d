// The components family (assembly/components.ts; js/components.ts; wasm/components.ts):
// connected components of a label volume on its runs along x, for clean.
import type { LabelArray } from "../bitdepth.js";
import { checkComponents } from "./checks.js";
import { kernelFamily } from "./family.js";
import * as js from "./js/components.js";
import type { Dims, RunComponents } from "./types.js";
import * as wasm from "./wasm/components.js";

/** What the components family does, on either backend. */
export interface ComponentKernels {
  /**
   * The connected components, 6-, 18- or 26-connected, of `label` in a label volume of `dims`
   * (label 0: of every label at once, each on its own), as runs along x: each run's component
   * (0..count-1 in the order of each component's first voxel, x fastest) and each
   * component's voxels, coordinate sums, box and label.
   */
  runComponents(data: LabelArray, dims: Dims, connectivity: 6 | 18 | 26, label?: number): RunComponents;
}

/** The components family on `kernels`' backend (default: the one in use). */
export const componentKernels = kernelFamily<ComponentKernels>(
  {
    runComponents: (data, dims, connectivity, label = 0) => {
      checkComponents(data, dims, connectivity, label);
      return js.runComponents(data, dims, connectivity, label);
    },
  },
  (run) => ({
    runComponents: (data, dims, connectivity, label = 0) => {
      checkComponents(data, dims, connectivity, label);
      return wasm.runComponents(run, data, dims, connectivity, label);
    },
  }),
);
