// The WASM adapter of the geometry family (assembly/geometry.ts): the source volume in, the
// moved or resampled volume out, one function per bit depth.
import type { LabelArray } from "../../bitdepth.js";
import { axisStrides } from "../axis-strides.js";
import type { Dims } from "../types.js";
import type { KernelExports, Runner } from "../wasm-instance.js";

const DEPTH = { 1: 8, 2: 16, 4: 32 } as const;
const depthOf = (data: LabelArray): 8 | 16 | 32 => DEPTH[data.BYTES_PER_ELEMENT as 1 | 2 | 4];

/** A typed copy of `length` labels at `ptr`, the type of `like`. */
function copyOut(w: KernelExports, like: LabelArray, ptr: number, length: number): LabelArray {
  const View = like.constructor as Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;
  return new View(w.memory.buffer, ptr, length).slice();
}

/** `Kernels.permuteAxes`. */
export function permuteAxes(run: Runner, data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): LabelArray {
  const { out: [n0, n1, n2], base, strides: [s0, s1, s2] } = axisStrides(dims, order, flips);
  return run((call, w) => {
    const src = call.copyIn(data);
    const out = call.alloc(data.byteLength);
    w[`permuteAxes${depthOf(data)}`](src, out, n0, n1, n2, base, s0, s1, s2);
    return copyOut(w, data, out, data.length);
  });
}

/** `Kernels.resample`. */
export function resample(run: Runner, data: LabelArray, [s0, s1, s2]: Dims, [n0, n1, n2]: Dims, m: readonly number[], method: "nearest" | "label-linear"): LabelArray {
  return run((call, w) => {
    const src = call.copyIn(data);
    const length = n0 * n1 * n2;
    const out = call.alloc(length * data.BYTES_PER_ELEMENT);
    w.resampleMap(m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!, m[8]!, m[9]!, m[10]!, m[11]!);
    if (method === "nearest") w[`resampleNearest${depthOf(data)}`](src, out, s0, s1, s2, n0, n1, n2, call.alloc(4 * n2));
    else w[`resampleLabelLinear${depthOf(data)}`](src, out, s0, s1, s2, n0, n1, n2);
    return copyOut(w, data, out, length);
  });
}
