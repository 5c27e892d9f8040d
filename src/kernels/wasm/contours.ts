// The WASM adapter of the contours family (assembly/contours.ts): the slice, the points and
// the contours' starts in, the scratch sized to the rows the edges span, the slice out.
import type { Runner } from "../wasm-instance.js";

/** `ContourKernels.fillContours` (see assembly/contours.ts). */
export function fillContours(run: Runner, points: Float64Array, starts: Uint32Array, ny: number, nx: number, out: Uint8Array): void {
  // The most crossings one contour has: the rows its edges span, summed.
  let most = 0;
  for (let c = 0; c + 1 < starts.length; c++) {
    let crossings = 0;
    for (let e = starts[c]!; e < starts[c + 1]!; e++) {
      const f = e + 1 === starts[c + 1]! ? starts[c]! : e + 1;
      crossings += Math.ceil(Math.abs(points[2 * f + 1]! - points[2 * e + 1]!)) + 1;
    }
    most = Math.max(most, crossings);
  }
  run((call, w) => {
    const p = call.copyIn(points), s = call.copyIn(starts), o = call.copyIn(out);
    const rowStart = call.alloc(4 * (ny + 1)), crossings = call.alloc(8 * Math.max(1, most));
    w.fillContours(p, s, starts.length - 1, ny, nx, o, rowStart, crossings);
    out.set(new Uint8Array(w.memory.buffer, o, out.length));
  });
}
