// Painting a binary region into a label volume (addLabel). Overlap accounting is done
// before, with scan.countUnder, so this pass only writes.
import { skipEmptyBlocks } from "./lanes";

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
