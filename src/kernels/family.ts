// Kernel families: operations beyond the core queries (distances, components, geometry),
// each a module of its own with a JS build and a WASM build, so a page bundles only the
// families it calls. A family runs on the backend in use, its WASM build on the streaming
// instance the core kernels stream through.
import { getKernels } from "./index.js";
import type { Kernels } from "./types.js";
import type { WasmKernels } from "./wasm.js";
import type { Runner } from "./wasm-instance.js";

/**
 * The family of `js` and `wasm` (made once per WASM instance from its runner): a function
 * giving the build for `kernels` (default: the backend in use).
 */
export function kernelFamily<F>(js: F, wasm: (run: Runner) => F): (kernels?: Kernels) => F {
  let made: { run: Runner; family: F } | null = null;
  return (kernels = getKernels()) => {
    if (kernels.name === "js") return js;
    const run = (kernels as WasmKernels).run;
    if (made?.run !== run) made = { run, family: wasm(run) };
    return made.family;
  };
}
