// The WASM adapter of the distance family (assembly/distance.ts): both binary volumes are
// copied in once, surfaces and transforms are made there, and only the distances come out.
import type { Dims } from "../types.js";
import { LOCAL_RADIUS } from "../distance-search.js";
import type { Call, KernelExports } from "../wasm-instance.js";

/** Runs `body` with a call's allocations on the streaming instance (wasm.ts's `run`). */
export type Runner = <T>(body: (call: Call, wasm: KernelExports) => T) => T;

/** Directed surface distances both ways (see Kernels.surfaceDistances). */
export function surfaceDistances(run: Runner, a: Uint8Array, b: Uint8Array, [nz, ny, nx]: Dims, [sz, sy, sx]: readonly [number, number, number]): { ab: Float64Array; ba: Float64Array } {
  return run((call, w) => {
    const n = a.length;
    const inA = call.copyIn(a), inB = call.copyIn(b);
    const surfaceA = call.alloc(n), surfaceB = call.alloc(n);
    const countA = w.surfaceOf(inA, surfaceA, nz, ny, nx) >>> 0;
    const countB = w.surfaceOf(inB, surfaceB, nz, ny, nx) >>> 0;
    const out = call.alloc(Math.max(countA, countB) * 8);
    let dist = 0, scratch = 0;
    // Locally first; the transform only for what the search could not settle.
    const directed = (marks: number, features: number, count: number): Float64Array => {
      if (w.nearestWithin(marks, features, nz, ny, nx, sz, sy, sx, LOCAL_RADIUS, out) !== 0) {
        dist ||= call.alloc(n * 8);
        scratch ||= call.alloc(32 * (Math.max(nz, ny, nx) + 2));
        w.edtSquared(features, dist, nz, ny, nx, sz, sy, sx, scratch);
        w.fillDistances(marks, dist, n, out);
      }
      return new Float64Array(w.memory.buffer, out, count).slice();
    };
    return { ab: directed(surfaceA, surfaceB, countA), ba: directed(surfaceB, surfaceA, countB) };
  });
}
