// The WASM adapter of the distance family (assembly/distance.ts): both binary volumes are
// copied in once, surfaces and transforms are made there, and only the distances come out.
import type { LabelArray } from "../../bitdepth.js";
import type { Box6, Dims } from "../types.js";
import { searchTable } from "../distance-search.js";
import type { Runner } from "../wasm-instance.js";

/** Directed surface distances both ways (see Kernels.surfaceDistances). */
export function surfaceDistances(run: Runner, a: Uint8Array, b: Uint8Array, [nz, ny, nx]: Dims, [sz, sy, sx]: readonly [number, number, number]): { ab: Float64Array; ba: Float64Array } {
  return run((call, w) => {
    const n = a.length;
    const inA = call.copyIn(a), inB = call.copyIn(b);
    const surfaceA = call.alloc(n), surfaceB = call.alloc(n);
    const countA = w.surfaceOf(inA, surfaceA, nz, ny, nx) >>> 0;
    const countB = w.surfaceOf(inB, surfaceB, nz, ny, nx) >>> 0;
    const out = call.alloc(Math.max(countA, countB) * 8);
    const table = searchTable([sz, sy, sx]);
    const steps = call.copyIn(table.steps), squared = call.copyIn(table.squared);
    let dist = 0, scratch = 0;
    // Locally first; the transform only for what the search could not settle.
    const directed = (marks: number, features: number, count: number): Float64Array => {
      if (w.nearestWithin(marks, features, nz, ny, nx, steps, squared, table.squared.length, table.reach, out) !== 0) {
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

/**
 * `Kernels.cropLabel`: each slice's rows y0..y1 copied in (or read in place from a resident
 * volume), cut and compared in WASM, the box copied out once.
 */
export function cropLabel(run: Runner, data: LabelArray, label: number, [, ny, nx]: Dims, [z0, y0, x0, z1, y1, x1]: Box6, out: Uint8Array): Uint8Array {
  const size = data.BYTES_PER_ELEMENT;
  // A label the type cannot hold is on no voxel (the kernel would truncate it).
  if (!(Number.isInteger(label) && label >= 0 && label < 2 ** (8 * size))) return out.fill(0, 0, (z1 - z0 + 1) * (y1 - y0 + 1) * (x1 - x0 + 1));
  return run((call, w) => {
    const rows = y1 - y0 + 1, width = x1 - x0 + 1, slab = rows * nx;
    const voxels = (z1 - z0 + 1) * rows * width;
    const kernel = size === 1 ? w.cropEquals8 : size === 2 ? w.cropEquals16 : w.cropEquals32;
    const inPlace = call.owns(data);
    const scratch = inPlace ? 0 : call.alloc(slab * size);
    const box = call.alloc(voxels);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let z = z0, j = 0; z <= z1; z++, j += rows * width) {
      const from = (z * ny + y0) * nx * size;
      if (!inPlace) call.heap().set(bytes.subarray(from, from + slab * size), scratch);
      kernel(inPlace ? data.byteOffset + from : scratch, rows, nx, x0, width, label, box + j);
    }
    out.set(call.heap().subarray(box, box + voxels));
    return out;
  });
}

/** `Kernels.distanceSquared`: the features in, the transform (assembly/distance.ts edtSquared), the distances out. */
export function distanceSquared(run: Runner, features: Uint8Array, [nz, ny, nx]: Dims, [sz, sy, sx]: readonly [number, number, number]): Float64Array {
  return run((call, w) => {
    const n = features.length;
    const input = call.copyIn(features);
    const dist = call.alloc(n * 8);
    w.edtSquared(input, dist, nz, ny, nx, sz, sy, sx, call.alloc(32 * (Math.max(nz, ny, nx) + 2)));
    return new Float64Array(w.memory.buffer, dist, n).slice();
  });
}
