// Label scan: voxel count and inclusive bounding box of every label, in one pass. The
// volume arrives in chunks (the JS side streams it through a cache-sized buffer), and is
// read as one stream of runs that may cross rows and slices: a row boundary is not a run
// boundary, so the long background runs between organs cost one SIMD loop, not one loop
// (and a mispredicted exit) per row. Each run touches the per-label table once.
import { tableBegin, tableEnd, slotOf, fresh, addCount, boxPtr } from "./table";
import { runLength, skipEmptyBlocks } from "./lanes";

let nxLen: u64 = 0; // voxels per row
let nyRows: i32 = 0; // rows per slice
let withBoxes: bool = false;
let position: u64 = 0; // index of the next chunk's first voxel
let open: bool = false; // a run reaches the end of the last chunk
let openLabel: u32 = 0;
let openStart: u64 = 0;
// Row cursor for boxes: runs come in order, so coordinates follow by stepping rows forward
// (as many steps in the whole scan as there are rows) instead of dividing per run.
let cursorRow: u64 = 0; // index of the first voxel of the cursor's row
let cursorY: i32 = 0;
let cursorZ: i32 = 0;

// Branch-free: whether a run widens its label's box is data-dependent, and a mispredicted
// branch per run costs more than a select and a store.
@inline function setMin(p: usize, v: i32): void {
  store<i32>(p, min(v, load<i32>(p)));
}
@inline function setMax(p: usize, v: i32): void {
  store<i32>(p, max(v, load<i32>(p)));
}

/**
 * Moves the row cursor forward to the row that holds voxel `index`: row by row for the
 * next few rows (the common case inside an organ), by one division across a long gap.
 */
@inline function seek(index: u64): void {
  const ahead = index - cursorRow;
  if (ahead >= nxLen << 3) {
    const rows = ahead / nxLen;
    const y = <u64>cursorY + rows;
    cursorRow += rows * nxLen;
    cursorZ += <i32>(y / <u64>nyRows);
    cursorY = <i32>(y % <u64>nyRows);
    return;
  }
  while (index - cursorRow >= nxLen) {
    cursorRow += nxLen;
    if (++cursorY == nyRows) {
      cursorY = 0;
      cursorZ++;
    }
  }
}

/**
 * Accounts the run [first, last] (inclusive voxel indices) of `label`. A run within one
 * row spans x0..x1; one that crosses a row covers every x (it holds the end of one row and
 * the start of the next); one that crosses a slice likewise covers every y.
 */
@inline function closeRun(label: u32, first: u64, last: u64): void {
  const slot = slotOf(label);
  const isNew = fresh;
  addCount(slot, last - first + 1);
  if (!withBoxes || label == 0) return;
  seek(first);
  const z0 = cursorZ, r0 = cursorRow;
  let y0 = cursorY, x0 = <i32>(first - r0);
  seek(last);
  const z1 = cursorZ;
  let y1 = cursorY, x1 = <i32>(last - cursorRow);
  if (r0 != cursorRow) {
    x0 = 0;
    x1 = <i32>nxLen - 1;
    if (z0 != z1) {
      y0 = 0;
      y1 = nyRows - 1;
    }
  }
  const b = boxPtr(slot);
  if (isNew) {
    store<i32>(b, z0); store<i32>(b, y0, 4); store<i32>(b, x0, 8);
    store<i32>(b, z1, 12); store<i32>(b, y1, 16); store<i32>(b, x1, 20);
  } else {
    // Runs come in C order, so z never decreases: its minimum is the first one seen.
    setMin(b + 4, y0); setMin(b + 8, x0);
    store<i32>(b + 12, z1); setMax(b + 16, y1); setMax(b + 20, x1);
  }
}

/** Starts a scan of a C-order volume with rows of `nx` and slices of `ny` rows. */
export function scanBegin(bits: u32, ny: u32, nx: u32, boxes: bool): void {
  tableBegin(bits);
  nxLen = <u64>max<u32>(nx, 1);
  nyRows = <i32>max<u32>(ny, 1);
  withBoxes = boxes;
  cursorRow = 0;
  cursorY = 0;
  cursorZ = 0;
  position = 0;
  open = false;
}

/** Adds the next `count` voxels of the volume (any count; runs continue across chunks). */
export function scanChunk<T>(data: usize, count: usize): void {
  if (count == 0) return;
  const end = data + count * sizeof<T>();
  let p = data;
  if (open) {
    p += runLength<T>(p, end, <T>openLabel) * sizeof<T>();
    if (p == end) {
      position += <u64>count;
      return;
    }
    closeRun(openLabel, openStart, position + <u64>((p - data) / sizeof<T>()) - 1);
    open = false;
  }
  while (true) {
    const v = load<T>(p);
    const first = position + <u64>((p - data) / sizeof<T>());
    p += runLength<T>(p, end, v) * sizeof<T>();
    if (p == end) {
      open = true;
      openLabel = <u32>v;
      openStart = first;
      break;
    }
    closeRun(<u32>v, first, position + <u64>((p - data) / sizeof<T>()) - 1);
  }
  position += <u64>count;
}

/** Ends the scan: the result block of `tableResult` (with boxes if asked at `scanBegin`). */
export function scanEnd(): usize {
  if (open) closeRun(openLabel, openStart, position - 1);
  open = false;
  return tableEnd(withBoxes);
}

/**
 * Adds the labels of `data` under the non-zero voxels of `region` (u8, same length) to the
 * table session opened by `tableBegin`. Used for overlap accounting before painting.
 */
export function countUnderChunk<T>(data: usize, region: usize, len: usize): void {
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
}
