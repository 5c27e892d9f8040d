// Label scan: voxel count and inclusive bounding box of every label, in one pass. The
// volume arrives in chunks (the JS side streams it through a cache-sized buffer; a chunk
// may end anywhere). Background is skipped a block at a time across rows and slices, as
// one count: the long gaps between organs cost one SIMD loop, not one loop per row, and
// no box bookkeeping. A labelled run is measured only up to the end of its row, so its
// coordinates are the row cursor's and its box update needs no division or row search.
import { tableBegin, tableEnd, slotOf, fresh, addCount, boxPtr } from "./table";
import { runLength } from "./lanes";

let nxLen: u64 = 0; // voxels per row
let nyRows: i32 = 0; // rows per slice
let withBoxes: bool = false;
let position: u64 = 0; // index of the next chunk's first voxel
let open: bool = false; // a labelled run reaches the end of the last chunk (within its row)
let openLabel: u32 = 0;
let openStart: u64 = 0;
// Row cursor: labelled runs come in order, so their row follows by stepping rows forward
// (as many steps in the whole scan as there are rows), or one division across a long gap.
let rowStart: u64 = 0; // index of the first voxel of the cursor's row
let rowEnd: u64 = 0; // rowStart + nxLen
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

/** Moves the row cursor forward to the row that holds voxel `index` (>= rowEnd). */
function advance(index: u64): void {
  const ahead = index - rowStart;
  if (ahead >= nxLen << 3) {
    const rows = ahead / nxLen;
    const y = <u64>cursorY + rows;
    rowStart += rows * nxLen;
    cursorZ += <i32>(y / <u64>nyRows);
    cursorY = <i32>(y % <u64>nyRows);
  } else {
    while (index - rowStart >= nxLen) {
      rowStart += nxLen;
      if (++cursorY == nyRows) {
        cursorY = 0;
        cursorZ++;
      }
    }
  }
  rowEnd = rowStart + nxLen;
}

/** Accounts `n` voxels of `label` (non-zero) from x `x0` of row `y` of slice `z`. */
@inline export function addRun(label: u32, z: i32, y: i32, x0: i32, n: u64): void {
  const slot = slotOf(label);
  const isNew = fresh;
  addCount(slot, n);
  if (!withBoxes) return;
  const x1 = x0 + <i32>n - 1;
  const b = boxPtr(slot);
  if (isNew) {
    store<i32>(b, z); store<i32>(b, y, 4); store<i32>(b, x0, 8);
    store<i32>(b, z, 12); store<i32>(b, y, 16); store<i32>(b, x1, 20);
  } else {
    // Runs come in C order, so z never decreases: its minimum is the first one seen.
    setMin(b + 4, y); setMin(b + 8, x0);
    store<i32>(b + 12, z); setMax(b + 16, y); setMax(b + 20, x1);
  }
}

/** Accounts `n` background voxels (none: a row of width 0 holds no label, not even 0). */
@inline export function addBackground(n: u64): void {
  if (n != 0) addCount(slotOf(0), n);
}

/** Accounts `n` voxels of `label` (non-zero) from voxel `first`, all in the cursor's row. */
@inline function closeRun(label: u32, first: u64, n: u64): void {
  addRun(label, cursorZ, cursorY, <i32>(first - rowStart), n);
}

// A scan fed whole rows by the encoder (`encodeChunk` with `scan`): the row cursor steps
// one row per encoded row, and the encoder accounts each row's runs itself.

/** The row the next accounted run lies in. */
@inline export function scanRowY(): i32 {
  return cursorY;
}
@inline export function scanRowZ(): i32 {
  return cursorZ;
}

/** Moves the cursor to the next row, after one row's runs are accounted. */
@inline export function scanNextRow(): void {
  if (++cursorY == nyRows) {
    cursorY = 0;
    cursorZ++;
  }
}

/** Starts a scan of a C-order volume with rows of `nx` and slices of `ny` rows. */
export function scanBegin(bits: u32, ny: u32, nx: u32, boxes: bool): void {
  tableBegin(bits);
  nxLen = <u64>max<u32>(nx, 1);
  nyRows = <i32>max<u32>(ny, 1);
  withBoxes = boxes;
  rowStart = 0;
  rowEnd = nxLen;
  cursorY = 0;
  cursorZ = 0;
  position = 0;
  open = false;
}

/** Adds the next `count` voxels of the volume (any count; runs continue across chunks). */
export function scanChunk<T>(data: usize, count: usize): void {
  if (count == 0) return;
  const end = data + count * sizeof<T>();
  const base = position;
  let p = data;
  if (open) {
    // The open run continues in its row (not at all when the last chunk ended the row).
    const rowEndAt = data + <usize>(rowEnd - base) * sizeof<T>();
    const stop = min(rowEndAt, end);
    p += runLength<T>(p, stop, <T>openLabel) * sizeof<T>();
    const stopped = base + <u64>((p - data) / sizeof<T>());
    if (p == end) {
      position += <u64>count;
      return;
    }
    closeRun(openLabel, openStart, stopped - openStart);
    open = false;
  }
  while (p < end) {
    const zeros = runLength<T>(p, end, <T>0);
    if (zeros != 0) {
      addBackground(<u64>zeros);
      p += zeros * sizeof<T>();
      if (p == end) break;
    }
    const first = base + <u64>((p - data) / sizeof<T>());
    if (first >= rowEnd) advance(first);
    const v = load<T>(p);
    const rowEndAt = data + <usize>(rowEnd - base) * sizeof<T>();
    const stop = min(rowEndAt, end);
    const n = runLength<T>(p, stop, v);
    p += n * sizeof<T>();
    if (p == end) {
      open = true;
      openLabel = <u32>v;
      openStart = first;
      break;
    }
    closeRun(<u32>v, first, <u64>n);
  }
  position += <u64>count;
}

/** Ends the scan: the result block of `tableResult` (with boxes if asked at `scanBegin`). */
export function scanEnd(): usize {
  if (open) closeRun(openLabel, openStart, position - openStart);
  open = false;
  return tableEnd(withBoxes);
}
