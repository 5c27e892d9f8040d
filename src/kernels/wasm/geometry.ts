// The WASM adapter of the geometry family (assembly/geometry.ts): the source volume in, the
// moved or resampled volume out, one function per bit depth.
import type { LabelArray } from "../../bitdepth.js";
import { axisStrides } from "../axis-strides.js";
import type { Dims } from "../types.js";
import { CHUNK_BYTES, bytesOf, type KernelExports, type Runner } from "../wasm-instance.js";

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

/**
 * `Kernels.reverseRows`: the volume streamed through two chunk buffers that stay in cache,
 * so each voxel is read from memory once and written once, as a copy is. Rows longer than a
 * chunk go a chunk at a time, each to its mirrored place.
 */
export function reverseRows(run: Runner, data: LabelArray, rowLength: number): LabelArray {
  const View = data.constructor as Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;
  const out = new View(data.length);
  const size = data.BYTES_PER_ELEMENT;
  const chunk = Math.floor(CHUNK_BYTES / size);
  const bytes = bytesOf(data);
  return run((call, w) => {
    const reverse = w[`reverseRows${depthOf(data)}`];
    const input = call.alloc(chunk * size), output = call.alloc(chunk * size);
    /** Elements [from, from + count) of data, as `rows` rows, reversed into out at `at`. */
    const pass = (from: number, count: number, rows: number, at: number): void => {
      call.heap().set(bytes.subarray(from * size, (from + count) * size), input);
      reverse(input, output, rows, count / rows);
      out.set(new View(w.memory.buffer, output, count), at);
    };
    if (rowLength <= chunk) {
      const perChunk = Math.floor(chunk / rowLength) * rowLength;
      for (let from = 0; from < data.length; from += perChunk) {
        const count = Math.min(perChunk, data.length - from);
        pass(from, count, count / rowLength, from);
      }
    } else {
      for (let row = 0; row < data.length; row += rowLength) {
        for (let a = 0; a < rowLength; a += chunk) {
          const b = Math.min(a + chunk, rowLength);
          pass(row + a, b - a, 1, row + rowLength - b);
        }
      }
    }
    return out;
  });
}
