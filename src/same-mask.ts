// What every operation that makes a new mask of an old one shares (cleaning, geometry):
// copies of its layers to change, and the new mask made of them with the input's mapping,
// bit depth and metadata, on its space or a new one.
import type { LabelArray } from "./bitdepth.js";
import { InputError, describeValue } from "./errors.js";
import { SegmentationMask } from "./mask.js";
import type { Space } from "./space.js";

/** INVALID_ARGUMENT unless `seg` is a SegmentationMask: what `what` takes. */
export function checkMask(seg: unknown, what: string): asserts seg is SegmentationMask<string> {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `${what} takes a SegmentationMask, got ${describeValue(seg)}.`);
}

/** Copies of `seg`'s layers, to change without touching the input. */
export const layerCopies = <N extends string>(seg: SegmentationMask<N>): LabelArray[] => seg.layers.map((l) => l.slice() as LabelArray);

/** A new mask of `layers` with `seg`'s mapping, bit depth and metadata, on `space` (default: `seg`'s). */
export function sameMaskWith<N extends string>(seg: SegmentationMask<N>, layers: LabelArray[], space: Space = seg.space): SegmentationMask<N> {
  return new SegmentationMask<N>(layers.length === 1 ? layers[0]! : layers, seg.mapping.clone(), space, { bitDepth: seg.bitDepth, metadata: seg.allMetadata() });
}
