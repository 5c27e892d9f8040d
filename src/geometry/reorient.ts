// flip, permute and reorient a mask (SPEC section 13): exact, no interpolation; the space
// follows through applyPermute and applyFlip, so every voxel keeps its world position.
import { InputError, describeValue } from "../errors.js";
import type { Dims } from "../kernels/types.js";
import { SegmentationMask } from "../mask.js";
import { checkMask, sameMaskWith } from "../same-mask.js";
import type { Space } from "../space.js";
import { moveAxes } from "./move-axes.js";

const OPPOSITE: Record<string, string> = { L: "R", R: "L", P: "A", A: "P", S: "I", I: "S" };

/** The mask's voxels with their axes moved, and the space moved alike. */
function moved<N extends string>(seg: SegmentationMask<N>, order: readonly number[], flips: readonly boolean[]): SegmentationMask<N> {
  let space: Space = seg.space.applyPermute(order);
  flips.forEach((f, k) => (space = f ? space.applyFlip(k) : space));
  const layers = seg.layers.map((layer) => moveAxes(layer, seg.shape as Dims, order, flips));
  return sameMaskWith(seg, layers, space);
}

/**
 * A new mask with array axis `axis` reversed (0 is the first entry of the shape); the space
 * follows (`applyFlip`), so each voxel is where it was in the world.
 * @example flip(seg, 2).space.indexToWorld([0, 0, 0]); // seg.space.indexToWorld([0, 0, seg.shape[2] - 1])
 */
export function flip<N extends string>(seg: SegmentationMask<N>, axis: 0 | 1 | 2): SegmentationMask<N> {
  checkMask(seg, "flip");
  if (axis !== 0 && axis !== 1 && axis !== 2) throw new InputError("INVALID_ARGUMENT", `flip takes an array axis 0, 1 or 2, got ${describeValue(axis)}.`);
  return moved(seg, [0, 1, 2], [0, 1, 2].map((a) => a === axis));
}

/**
 * A new mask with its array axes in `order` (new axis k is old axis `order[k]`); the space
 * follows (`applyPermute`).
 * @example permute(seg, [2, 1, 0]).shape; // seg.shape reversed
 */
export function permute<N extends string>(seg: SegmentationMask<N>, order: readonly number[]): SegmentationMask<N> {
  checkMask(seg, "permute");
  if (!Array.isArray(order) || order.length !== 3 || [0, 1, 2].some((a) => !order.includes(a))) {
    throw new InputError("INVALID_ARGUMENT", `permute takes an order of the axes 0, 1 and 2 (like [2, 1, 0]), got ${describeValue(order)}.`);
  }
  return moved(seg, order, [false, false, false]);
}

/** The three letters of `codes`, one of each pair L/R, P/A, S/I, upper case. */
function checkCodes(codes: unknown): string[] {
  const letters = typeof codes === "string" ? [...codes.toUpperCase()] : [];
  const pairs = letters.map((c) => "LRPASI".indexOf(c) >> 1);
  if (letters.length !== 3 || pairs.some((p) => p < 0) || new Set(pairs).size !== 3) {
    throw new InputError("INVALID_ARGUMENT", `reorient takes three axis codes, one of L/R, one of P/A and one of S/I, per array axis (like "SPL" or "RAS"), got ${describeValue(codes)}.`);
  }
  return letters;
}

/**
 * A new mask whose array axes increase towards `codes` (one letter per array axis: "SPL"
 * puts axis 0 towards superior, axis 1 posterior, axis 2 left), by flips and permutations
 * only: exact, every voxel keeps its world position. A space that is not axis-aligned goes
 * to the closest codes; `space.axisCodes` reports what it has. Array axes are (z, y, x):
 * a NIfTI file nibabel reads as "RAS" is "SAR" here.
 * @example reorient(seg, "SPL").space.axisCodes; // ["S", "P", "L"]
 */
export function reorient<N extends string>(seg: SegmentationMask<N>, codes: string): SegmentationMask<N> {
  checkMask(seg, "reorient");
  const want = checkCodes(codes);
  const have = seg.space.axisCodes;
  const order = want.map((c) => have.findIndex((h) => h === c || h === OPPOSITE[c]));
  const flips = want.map((c, k) => have[order[k]!] !== c);
  return moved(seg, order, flips);
}
