// The components family (assembly/components.ts; js/components.ts; wasm/components.ts):
// connected components of a binary volume, for clean.
import { checkComponents } from "./checks.js";
import { kernelFamily } from "./family.js";
import * as js from "./js/components.js";
import type { Dims } from "./types.js";
import * as wasm from "./wasm/components.js";

/** What the components family does, on either backend. */
export interface ComponentKernels {
  /**
   * The connected components of a binary volume of `dims` (non-zero = inside), 6-, 18- or
   * 26-connected: `ids` one per voxel, 0 outside, 1..count in the order of each component's
   * first voxel (x fastest).
   */
  components(binary: Uint8Array, dims: Dims, connectivity: 6 | 18 | 26): { ids: Uint32Array; count: number };
}

/** The components family on `kernels`' backend (default: the one in use). */
export const componentKernels = kernelFamily<ComponentKernels>(
  {
    components: (binary, dims, connectivity) => {
      checkComponents(binary, dims, connectivity);
      return js.components(binary, dims, connectivity);
    },
  },
  (run) => ({
    components: (binary, dims, connectivity) => {
      checkComponents(binary, dims, connectivity);
      return wasm.components(run, binary, dims, connectivity);
    },
  }),
);
