import type { LabelArray } from "./bitdepth.js";
import { InputError } from "./errors.js";
import { flattenLayers } from "./layers.js";
import { voxelLayers, type SegmentationMask } from "./mask.js";

/**
 * The one label volume a format that cannot hold layers (NIfTI, the Python `.msk`) writes:
 * the mask's own for one layer; for several, LAYERED unless `flatten` (then the layers
 * painted into one, later layers winning), so overlaps are never dropped without being asked.
 */
export function oneVolume(seg: SegmentationMask<string>, flatten: boolean | undefined, what: string): LabelArray {
  const layers = seg[voxelLayers]();
  if (layers.length === 1) return layers[0]!;
  if (flatten === true) return flattenLayers(layers).data;
  throw new InputError(
    "LAYERED",
    `${what} holds one label volume; this mask has ${layers.length} layers (labels that overlap). Pass { flatten: true } to paint them into one (later layers win, overlaps lost), or keep them in a .msk, .seg.nrrd or a Python .mska of one entry per label.`,
  );
}
