import type { LabelArray } from "./bitdepth.js";
import { InputError, LabelError, describeValue } from "./errors.js";
import type { ScanResult } from "./kernels/index.js";

// Layers: label volumes over one space, so that labels that share voxels are all kept (as 3D
// Slicer keeps overlapping segments). Labels are unique across the layers of a mask; each
// lives in exactly one.

/** One scan of every layer as one scan of the mask, and the layer of each label found. */
export interface LayeredScan {
  scan: ScanResult;
  /** The layer of every non-background label found (each in exactly one). */
  layerOf: Map<number, number>;
}

/**
 * The scans of each layer merged: labels in layer order, background once (layer 0's count:
 * "background" of one layer means nothing across layers, and no statistic uses it).
 * DUPLICATE_LABEL when one label occurs in two layers.
 */
export function mergeScans(scans: readonly ScanResult[]): LayeredScan {
  const layerOf = new Map<number, number>();
  const labels: number[] = [], counts: number[] = [], boxes: number[] = [];
  const withBoxes = scans.some((s) => s.boxes.length > 0);
  let background = false;
  scans.forEach((scan, layer) => {
    scan.labels.forEach((label, i) => {
      if (label === 0) {
        if (background) return;
        background = true;
      } else {
        const other = layerOf.get(label);
        if (other !== undefined) throw new LabelError("DUPLICATE_LABEL", `Label ${label} occurs in layers ${other} and ${layer}; a label lives in one layer.`);
        layerOf.set(label, layer);
      }
      labels.push(label);
      counts.push(scan.counts[i]!);
      if (withBoxes) for (let k = 0; k < 6; k++) boxes.push(scan.boxes[i * 6 + k]!);
    });
  });
  return { scan: { labels: Uint32Array.from(labels), counts: Float64Array.from(counts), boxes: Int32Array.from(boxes) }, layerOf };
}

/**
 * The layers of `data` given to the SegmentationMask constructor: one array, or a non-empty
 * list of arrays of one type and length (INVALID_DATA otherwise).
 */
export function layersOf(data: LabelArray | readonly LabelArray[]): LabelArray[] {
  if (!Array.isArray(data)) return [data as LabelArray];
  const layers = [...(data as readonly LabelArray[])];
  if (layers.length === 0) throw new InputError("INVALID_DATA", "A mask needs at least one layer of voxels; got an empty list.");
  const first = layers[0]!;
  layers.forEach((layer, i) => {
    if (i > 0 && (layer?.constructor !== first?.constructor || layer.length !== first.length)) {
      throw new InputError("INVALID_DATA", `Layer ${i} is ${describeValue(layer)}; every layer must be a ${first?.constructor?.name} of ${first?.length} voxels, as layer 0.`);
    }
  });
  return layers;
}

/**
 * The layers painted into one volume, layer 0 first: where layers overlap, the later layer's
 * label is kept (as Slicer's export to a label map paints later segments over earlier ones).
 * Returns the volume and how many labelled voxels were painted over.
 */
export function flattenLayers(layers: readonly LabelArray[]): { data: LabelArray; covered: number } {
  const data = layers[0]!.slice() as LabelArray;
  let covered = 0;
  for (const layer of layers.slice(1)) {
    for (let i = 0; i < layer.length; i++) {
      const v = layer[i]!;
      if (v === 0) continue;
      if (data[i] !== 0) covered++;
      data[i] = v;
    }
  }
  return { data, covered };
}
