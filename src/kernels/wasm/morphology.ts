// The WASM adapter of the morphology family (assembly/morphology.ts): the label's runs
// gathered in WASM memory (wasm/components.ts gatherRuns), each target slice dilated or eroded
// there, the intervals copied out once.
import type { LabelArray } from "../../bitdepth.js";
import type { Box6, Dims } from "../types.js";
import type { Runner } from "../wasm-instance.js";
import { gatherRuns } from "./components.js";

const OUT_BYTES = 12;

/** `MorphologyKernels.dilateRuns` / `erodeRuns` (see assembly/morphology.ts). */
export function morphologyRuns(run: Runner, what: "dilate" | "erode", data: LabelArray, dims: Dims, label: number, element: Int32Array, [z0, y0, , z1, y1]: Box6): Uint32Array {
  // A label the type cannot hold is on no voxel: it neither gains nor loses any.
  if (label >= 2 ** (8 * data.BYTES_PER_ELEMENT)) return new Uint32Array(0);
  return run((call, w) => {
    const [nz, ny, nx] = dims;
    const { runs, count } = gatherRuns(call, w, data, dims, label, [z0, y0, z1, y1]);
    const rowStart = call.alloc(4 * (nz * ny + 1));
    w.rowStarts(runs, count, nz * ny, rowStart);
    const m = element.length / 3;
    const rows = call.copyIn(element);
    const a = call.alloc(8 * (nx + 1)), b = call.alloc(8 * (nx + 1));
    let rz = 0, ry = 0;
    for (let e = 0; e < element.length; e += 3) [rz, ry] = [Math.max(rz, Math.abs(element[e]!)), Math.max(ry, Math.abs(element[e + 1]!))];
    // Dilation reaches rows beyond the box by the element's reach; erosion stays inside it.
    const [zFrom, zTo, yFrom, yTo] = what === "dilate" ? [Math.max(0, z0 - rz), Math.min(nz - 1, z1 + rz), Math.max(0, y0 - ry), Math.min(ny - 1, y1 + ry)] : [z0, z1, y0, y1];
    const perSlice = (yTo - yFrom + 1) * (nx + 1);
    let capacity = 4 * perSlice, out = call.alloc(capacity * OUT_BYTES), n = 0;
    for (let z = zFrom; z <= zTo; z++) {
      if (n + perSlice > capacity) {
        capacity = Math.max(2 * capacity, n + perSlice);
        const grown = call.alloc(capacity * OUT_BYTES);
        call.heap().copyWithin(grown, out, out + n * OUT_BYTES);
        out = grown;
      }
      const at = out + n * OUT_BYTES;
      n += (what === "dilate" ? w.dilateSlice(runs, rowStart, nz, ny, nx, rows, m, z, yFrom, yTo, a, at) : w.erodeSlice(runs, rowStart, nz, ny, nx, rows, m, z, yFrom, yTo, a, b, at)) >>> 0;
    }
    return new Uint32Array(w.memory.buffer, out, 3 * n).slice();
  });
}
