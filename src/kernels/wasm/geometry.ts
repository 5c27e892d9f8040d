// The WASM adapter of the geometry family (assembly/geometry.ts): the source volume in, the
// moved or resampled volume out, one function per bit depth.
import { labelView, labelsLike, type LabelArray } from "../../bitdepth.js";
import { axisStrides } from "../axis-strides.js";
import type { Dims } from "../types.js";
import { CHUNK_BYTES, bitsOf, bytesOf, type KernelExports, type Runner } from "../wasm-instance.js";

/** The `length` labels at `ptr`, of the type of `like`, viewed in place (copy before the next call). */
const viewOf = (w: KernelExports, like: LabelArray, ptr: number, length: number): LabelArray => labelView(like.BYTES_PER_ELEMENT as 1 | 2 | 4, w.memory.buffer, ptr, length);

/** `Kernels.permuteAxes`. */
export function permuteAxes(run: Runner, data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): LabelArray {
  const { out: [n0, n1, n2], base, strides: [s0, s1, s2] } = axisStrides(dims, order, flips);
  return run((call, w) => {
    const src = call.copyIn(data);
    const out = call.alloc(data.byteLength);
    w[`permuteAxes${bitsOf(data)}`](src, out, n0, n1, n2, base, s0, s1, s2);
    return viewOf(w, data, out, data.length).slice();
  });
}

/** `Kernels.resample`. */
export function resample(run: Runner, data: LabelArray, [s0, s1, s2]: Dims, [n0, n1, n2]: Dims, m: readonly number[], method: "nearest" | "label-linear"): LabelArray {
  return run((call, w) => {
    const src = call.copyIn(data);
    const length = n0 * n1 * n2;
    const out = call.alloc(length * data.BYTES_PER_ELEMENT);
    w.resampleMap(m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!, m[8]!, m[9]!, m[10]!, m[11]!);
    if (method === "nearest") w[`resampleNearest${bitsOf(data)}`](src, out, s0, s1, s2, n0, n1, n2, call.alloc(4 * n2));
    else w[`resampleLabelLinear${bitsOf(data)}`](src, out, s0, s1, s2, n0, n1, n2);
    return viewOf(w, data, out, length).slice();
  });
}

/**
 * `Kernels.reverseRows`: the volume streamed through two chunk buffers that stay in cache,
 * so each voxel is read from memory once and written once, as a copy is. Rows longer than a
 * chunk go a chunk at a time, each to its mirrored place.
 */
export function reverseRows(run: Runner, data: LabelArray, rowLength: number): LabelArray {
  const out = labelsLike(data, data.length);
  const size = data.BYTES_PER_ELEMENT;
  const chunk = Math.floor(CHUNK_BYTES / size);
  const bytes = bytesOf(data);
  return run((call, w) => {
    const reverse = w[`reverseRows${bitsOf(data)}`];
    const input = call.alloc(chunk * size), output = call.alloc(chunk * size);
    /** Elements [from, from + count) of data, as `rows` rows, reversed into out at `at`. */
    const pass = (from: number, count: number, rows: number, at: number): void => {
      call.heap().set(bytes.subarray(from * size, (from + count) * size), input);
      reverse(input, output, rows, count / rows);
      out.set(viewOf(w, data, output, count), at);
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
