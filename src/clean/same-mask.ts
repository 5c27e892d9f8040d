// What every cleaning call shares: copies of a mask's layers to change, and the new mask
// made of them with the input's mapping, space, bit depth and metadata.
import type { LabelArray } from "../bitdepth.js";
import { SegmentationMask } from "../mask.js";

/** Copies of `seg`'s layers, to change without touching the input. */
export const layerCopies = (seg: SegmentationMask<string>): LabelArray[] => seg.layers.map((l) => l.slice() as LabelArray);

/** A new mask of `layers` with `seg`'s mapping, space, bit depth and metadata. */
export function sameMaskWith(seg: SegmentationMask<string>, layers: LabelArray[]): SegmentationMask<string> {
  return new SegmentationMask(layers.length === 1 ? layers[0]! : layers, seg.mapping.clone(), seg.space, { bitDepth: seg.bitDepth, metadata: seg.allMetadata() });
}
