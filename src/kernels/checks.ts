import { InputError, describeValue } from "../errors.js";

// Argument checks both kernel backends make before they write anything.

/**
 * The `out` of an accumulating `equals`/`select`: required (it holds the layers before) and
 * at least one byte per voxel, else INVALID_ARGUMENT.
 */
export function checkAccumulateOut(out: Uint8Array | undefined, voxels: number): Uint8Array {
  if (!(out instanceof Uint8Array) || out.length < voxels) {
    throw new InputError("INVALID_ARGUMENT", `accumulate needs an out of at least ${voxels} bytes to OR into, got ${describeValue(out)}.`);
  }
  return out;
}
