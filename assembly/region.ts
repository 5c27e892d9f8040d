// Kernels over a binary region (u8, one byte per voxel, non-zero = inside): the labels a
// region covers (overlap accounting) and painting it into a label volume (addLabel), apart
// (when an overlap must stop the paint) or in one pass.
import { skipEmptyBlocks } from "./lanes";
import { addCount, slotOf } from "./table";

/**
 * Visits the voxels of `data` under the non-zero bytes of `region` (`len` voxels): with
 * `count`, adds the label each one holds to the table session opened by `tableBegin`; with
 * `paint`, then sets it to `label` (with `keep`, only where it was 0). Returns the number of
 * voxels written. Regions are mostly empty: whole 16-byte blocks of zeros are skipped.
 */
@inline function overRegion<T>(data: usize, region: usize, len: usize, label: T, count: bool, paint: bool, keep: bool): usize {
  let painted: usize = 0;
  let i: usize = 0;
  while (i < len) {
    i = skipEmptyBlocks(region, i, len);
    const stop = min(i + 16, len);
    for (; i < stop; i++) {
      if (load<u8>(region + i) == 0) continue;
      const p = data + i * sizeof<T>();
      const before = load<T>(p);
      if (count) addCount(slotOf(<u32>before), 1);
      if (!paint || (keep && before != 0)) continue;
      store<T>(p, label);
      painted++;
    }
  }
  return painted;
}

/** Adds the labels of `data` under `region` to the open table session (overlap accounting). */
export function countUnderChunk<T>(data: usize, region: usize, len: usize): void {
  overRegion<T>(data, region, len, <T>0, true, false, false);
}

/**
 * Sets data[i] = label wherever region[i] != 0; with `keep`, only where data[i] == 0.
 * Returns the number of voxels written.
 */
export function paint<T>(data: usize, region: usize, len: usize, label: T, keep: bool): usize {
  return overRegion<T>(data, region, len, label, false, true, keep);
}

/** `countUnderChunk` and then `paint`, in one pass: the volume and the region are read once. */
export function paintCounting<T>(data: usize, region: usize, len: usize, label: T, keep: bool): usize {
  return overRegion<T>(data, region, len, label, true, true, keep);
}
