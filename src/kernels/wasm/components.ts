// The WASM adapter of the components family (assembly/components.ts): the volume streamed
// through in slabs of rows (read in place when it is resident), its runs gathered in WASM
// memory, joined and measured there; runs, components and statistics come out.
import type { LabelArray } from "../../bitdepth.js";
import { COMPONENT_STATS, type Dims, type RunComponents } from "../types.js";
import type { Call, KernelExports, Runner } from "../wasm-instance.js";

/** Bytes of voxels per slab; the runs buffer keeps room for one run per voxel of a slab. */
const SLAB_BYTES = 1 << 18;
const RUN_BYTES = 16;

/** Rows z0..z1 x y0..y1 (inclusive) of a volume: where runs are looked for. */
export type RowBox = readonly [z0: number, y0: number, z1: number, y1: number];

/**
 * The runs of `label` (0: of every label) in the rows of `box`, gathered in WASM memory (see
 * assembly/components.ts findRuns): their pointer and count. `label` must fit the bit depth.
 */
export function gatherRuns(call: Call, w: KernelExports, data: LabelArray, [nz, ny, nx]: Dims, label: number, box: RowBox = [0, 0, nz - 1, ny - 1]): { runs: number; count: number } {
  const size = data.BYTES_PER_ELEMENT;
  const findRuns = size === 1 ? w.findRuns8 : size === 2 ? w.findRuns16 : w.findRuns32;
  const [z0, y0, z1, y1] = box;
  const rowBytes = nx * size, boxRows = y1 - y0 + 1;
  const slabRows = Math.min(boxRows, Math.max(1, Math.floor(SLAB_BYTES / rowBytes)));
  const inPlace = call.owns(data);
  // Read now: a view of WASM memory detaches (its offset becomes 0) when an alloc below grows it.
  const offset = data.byteOffset;
  const scratch = inPlace ? 0 : call.alloc(slabRows * rowBytes);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let capacity = slabRows * nx, runs = call.alloc(capacity * RUN_BYTES), count = 0;
  for (let z = z0; z <= z1; z++) {
    for (let r0 = z * ny + y0; r0 <= z * ny + y1; r0 += slabRows) {
      const n = Math.min(slabRows, z * ny + y1 + 1 - r0);
      let at = offset + r0 * rowBytes;
      if (!inPlace) {
        call.heap().set(bytes.subarray(r0 * rowBytes, (r0 + n) * rowBytes), scratch);
        at = scratch;
      }
      if (count + n * nx > capacity) {
        capacity = Math.max(2 * capacity, count + n * nx);
        const grown = call.alloc(capacity * RUN_BYTES);
        call.heap().copyWithin(grown, runs, runs + count * RUN_BYTES);
        runs = grown;
      }
      count += findRuns(at, n, nx, label, r0, runs + count * RUN_BYTES) >>> 0;
    }
  }
  return { runs, count };
}

/** `ComponentKernels.runComponents` (see assembly/components.ts). */
export function runComponents(run: Runner, data: LabelArray, dims: Dims, connectivity: 6 | 18 | 26, label: number): RunComponents {
  // A label the type cannot hold is on no voxel (the kernel would truncate it).
  if (label >= 2 ** (8 * data.BYTES_PER_ELEMENT)) return { runs: new Uint32Array(0), component: new Uint32Array(0), count: 0, stats: new Float64Array(0) };
  return run((call, w) => {
    const [nz, ny] = dims;
    const { runs, count } = gatherRuns(call, w, data, dims, label);
    const rowStart = call.alloc(4 * (nz * ny + 1)), parent = call.alloc(4 * count), component = call.alloc(4 * count);
    const components = w.joinRuns(runs, count, nz, ny, connectivity, rowStart, parent, component) >>> 0;
    const stats = call.alloc(8 * COMPONENT_STATS * components);
    w.runStats(runs, count, ny, component, components, stats);
    const buffer = w.memory.buffer;
    return {
      runs: new Uint32Array(buffer, runs, 4 * count).slice(),
      component: new Uint32Array(buffer, component, count).slice(),
      count: components,
      stats: new Float64Array(buffer, stats, COMPONENT_STATS * components).slice(),
    };
  });
}
