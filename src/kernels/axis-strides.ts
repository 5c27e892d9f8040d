// What both backends of `permuteAxes` compute first: for the output's axes, the element
// stride along each in the input and the input offset of output voxel (0, 0, 0).
import type { Dims } from "./types.js";

/** Output dims, input offset of output (0, 0, 0), and input stride per output axis. */
export function axisStrides(dims: Dims, order: readonly number[], flips: readonly boolean[]): { out: Dims; base: number; strides: [number, number, number] } {
  const inStride = [dims[1] * dims[2], dims[2], 1];
  const out = order.map((a) => dims[a]!) as unknown as Dims;
  let base = 0;
  const strides = order.map((a, k) => {
    // A reversed axis starts at its last element and steps back.
    if (flips[k]) base += (dims[a]! - 1) * inStride[a]!;
    return flips[k] ? -inStride[a]! : inStride[a]!;
  }) as [number, number, number];
  return { out, base, strides };
}
