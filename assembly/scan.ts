// Label scan: voxel count and inclusive bounding box of every label, in one pass.
// Masks are made of long runs, so the scan works run by run (SIMD finds the run end)
// and touches the per-label table once per run, not once per voxel.
import { tableInit, tableFree, tableResult, slotOf, fresh, addCount, boxPtr } from "./table";
import { runLength, skipEmptyBlocks } from "./lanes";

@inline function mini(p: usize, v: i32): void {
  if (v < load<i32>(p)) store<i32>(p, v);
}
@inline function maxi(p: usize, v: i32): void {
  if (v > load<i32>(p)) store<i32>(p, v);
}

/**
 * Scans a C-order (nz, ny, nx) volume of T. Returns a result block (see `tableResult`)
 * with every label that occurs, its voxel count and, when `withBoxes`, its bounding box.
 */
export function scan<T>(data: usize, nz: i32, ny: i32, nx: i32, withBoxes: bool): usize {
  tableInit(sizeof<T>() << 3);
  const rowBytes = <usize>nx * sizeof<T>();
  let row = data;
  for (let z: i32 = 0; z < nz; z++) {
    for (let y: i32 = 0; y < ny; y++) {
      const end = row + rowBytes;
      let p = row;
      while (p < end) {
        const v = load<T>(p);
        const x0 = <i32>((p - row) / sizeof<T>());
        const n = runLength<T>(p, end, v);
        p += n * sizeof<T>();
        const slot = slotOf(<u32>v);
        const isNew = fresh;
        addCount(slot, <u32>n);
        if (withBoxes) {
          const b = boxPtr(slot);
          const x1 = x0 + <i32>n - 1;
          if (isNew) {
            store<i32>(b, z); store<i32>(b, y, 4); store<i32>(b, x0, 8);
            store<i32>(b, z, 12); store<i32>(b, y, 16); store<i32>(b, x1, 20);
          } else {
            // z only grows during the scan, so its minimum is the first one seen.
            mini(b + 4, y); mini(b + 8, x0);
            store<i32>(b + 12, z); maxi(b + 16, y); maxi(b + 20, x1);
          }
        }
      }
      row = end;
    }
  }
  const out = tableResult(withBoxes);
  tableFree();
  return out;
}

/**
 * Counts the labels of `data` under the non-zero voxels of `region` (u8, same length).
 * Returns a result block without boxes. Used for overlap accounting before painting.
 */
export function countUnder<T>(data: usize, region: usize, len: usize): usize {
  tableInit(sizeof<T>() << 3);
  let i: usize = 0;
  while (i < len) {
    i = skipEmptyBlocks(region, i, len);
    const stop = min(i + 16, len);
    for (; i < stop; i++) {
      if (load<u8>(region + i) == 0) continue;
      const slot = slotOf(<u32>load<T>(data + i * sizeof<T>()));
      addCount(slot, 1);
    }
  }
  const out = tableResult(false);
  tableFree();
  return out;
}
