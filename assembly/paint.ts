// Painting a binary region into a label volume (addLabel), alone (after the overlap
// accounting, when an overlap must stop the paint) or counting the labels it paints over.
import { skipEmptyBlocks } from "./lanes";
import { addCount, slotOf } from "./table";

/**
 * Sets data[i] = label wherever region[i] != 0; with `keep`, only where data[i] == 0.
 * Returns the number of voxels written.
 */
export function paint<T>(data: usize, region: usize, len: usize, label: T, keep: bool): usize {
  let painted: usize = 0;
  let i: usize = 0;
  while (i < len) {
    i = skipEmptyBlocks(region, i, len);
    const stop = min(i + 16, len);
    for (; i < stop; i++) {
      if (load<u8>(region + i) == 0) continue;
      const p = data + i * sizeof<T>();
      if (keep && load<T>(p) != 0) continue;
      store<T>(p, label);
      painted++;
    }
  }
  return painted;
}

/**
 * `paint`, also adding the label each region voxel held before (background too) to the
 * table session opened by `tableBegin`: what `countUnderChunk` counts, in the same pass,
 * so the volume and the region are read once.
 */
export function paintCounting<T>(data: usize, region: usize, len: usize, label: T, keep: bool): usize {
  let painted: usize = 0;
  let i: usize = 0;
  while (i < len) {
    i = skipEmptyBlocks(region, i, len);
    const stop = min(i + 16, len);
    for (; i < stop; i++) {
      if (load<u8>(region + i) == 0) continue;
      const p = data + i * sizeof<T>();
      const before = load<T>(p);
      addCount(slotOf(<u32>before), 1);
      if (keep && before != 0) continue;
      store<T>(p, label);
      painted++;
    }
  }
  return painted;
}
