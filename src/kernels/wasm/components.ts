// The WASM adapter of the components family (assembly/components.ts): the binary volume in,
// the ids out.
import type { Dims } from "../types.js";
import type { Runner } from "../wasm-instance.js";

/** `Kernels.components` (see assembly/components.ts). */
export function components(run: Runner, src: Uint8Array, [nz, ny, nx]: Dims, connectivity: 6 | 18 | 26): { ids: Uint32Array; count: number } {
  return run((call, w) => {
    const n = src.length;
    const input = call.copyIn(src);
    const ids = call.alloc(n * 4);
    const parent = call.alloc(8 * (n + 2));
    const count = w.components(input, ids, nz, ny, nx, connectivity, parent) >>> 0;
    return { ids: new Uint32Array(w.memory.buffer, ids, n).slice(), count };
  });
}
