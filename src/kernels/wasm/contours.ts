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

/** `ContourKernels.traceContours` (see assembly/contours.ts). */
export function traceContours(run: Runner, grid: Uint8Array, ny: number, nx: number): { points: Int32Array; starts: Uint32Array } {
  return run((call, w) => {
    const cells = Math.max(0, ny - 1) * Math.max(0, nx - 1);
    const g = call.copyIn(grid), used = call.alloc(cells);
    const points = call.alloc(16 * ny * nx), starts = call.alloc(4 * (Math.floor((ny * nx) / 2) + 2)), counts = call.alloc(8);
    w.traceContours(g, ny, nx, used, points, starts, counts);
    const [n, contours] = new Uint32Array(w.memory.buffer, counts, 2);
    return { points: new Int32Array(w.memory.buffer, points, 2 * n!).slice(), starts: new Uint32Array(w.memory.buffer, starts, contours! + 1).slice() };
  });
}
