// Kernel families: operations beyond the core queries (distances, components, geometry,
// surfaces, contours), each a module of its own with a JS build and a WASM build, so a page
// bundles only the families it calls. A family runs on the backend in use, its WASM build
// (the families' module, families-instance.ts) on the streaming instance the core kernels
// stream through, on the same memory.
import { familiesModule, familyRunner } from "./families-instance.js";
import { getKernels } from "./index.js";
import type { Kernels } from "./types.js";
import type { WasmKernels } from "./wasm.js";
import type { CoreRunner, Runner } from "./wasm-instance.js";

/**
 * The family of `js` and `wasm` (made once per WASM instance from its runner): a function
 * giving the build for `kernels` (default: the backend in use).
 */
export function kernelFamily<F>(js: F, wasm: (run: Runner) => F): (kernels?: Kernels) => F {
  let made: { run: CoreRunner; family: F } | null = null;
  return (kernels = getKernels()) => {
    if (kernels.name === "js") return js;
    const run = (kernels as WasmKernels).run;
    // Where the families' module cannot be compiled here, the family's JS build (same results).
    if (made?.run !== run) made = { run, family: familiesModule() ? wasm(familyRunner(run)) : js };
    return made.family;
  };
}
