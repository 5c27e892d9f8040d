// Per-label accumulators (voxel count and inclusive bounding box) keyed by label value.
// 8- and 16-bit labels index a dense table directly; 32-bit labels go through an
// open-addressing hash table, because a dense table of 2^32 entries cannot exist.
// A slot's count is never zero once it is in use, so the count doubles as "occupied".
// Counts are u64: a scan streams any number of chunks, and one label may fill 2^32 voxels.

const BOX: usize = 6; // minZ, minY, minX, maxZ, maxY, maxX (i32 each)

let keys: usize = 0; // u32[cap], hashed mode only
let counts: usize = 0; // u64[cap]
let boxes: usize = 0; // i32[cap * 6]
let order: usize = 0; // u32[cap]: slots in first-seen order
let cap: u32 = 0;
let used: u32 = 0;
let hashed: bool = false;

/** Set by `slotOf` when the returned slot was created by that call. */
export let fresh: bool = false;

@inline function hashLabel(label: u32): u32 {
  // Fibonacci hashing spreads consecutive labels over the table.
  return label * 0x9e3779b1;
}

function allocTable(capacity: u32, withKeys: bool): void {
  cap = capacity;
  counts = heap.alloc(<usize>capacity << 3);
  memory.fill(counts, 0, <usize>capacity << 3);
  boxes = heap.alloc(<usize>capacity * BOX << 2);
  order = heap.alloc(<usize>capacity << 2);
  keys = withKeys ? heap.alloc(<usize>capacity << 2) : 0;
}

/** Prepares an empty table for labels of `bits` bits (8, 16 or 32). */
export function tableInit(bits: u32): void {
  used = 0;
  hashed = bits > 16;
  allocTable(hashed ? 1024 : (<u32>1 << bits), hashed);
}

/** Releases the table's memory. */
export function tableFree(): void {
  heap.free(counts);
  heap.free(boxes);
  heap.free(order);
  if (keys) heap.free(keys);
  keys = 0;
  cap = 0;
  used = 0;
}

function grow(): void {
  const oldKeys = keys, oldCounts = counts, oldBoxes = boxes, oldOrder = order, n = used;
  allocTable(cap << 1, true);
  const mask = cap - 1;
  for (let i: u32 = 0; i < n; i++) {
    const old = load<u32>(oldOrder + (<usize>i << 2));
    const label = load<u32>(oldKeys + (<usize>old << 2));
    let h = hashLabel(label) & mask;
    while (load<u64>(counts + (<usize>h << 3)) != 0) h = (h + 1) & mask;
    store<u32>(keys + (<usize>h << 2), label);
    store<u64>(counts + (<usize>h << 3), load<u64>(oldCounts + (<usize>old << 3)));
    memory.copy(boxes + (<usize>h * BOX << 2), oldBoxes + (<usize>old * BOX << 2), BOX << 2);
    store<u32>(order + (<usize>i << 2), h);
  }
  heap.free(oldKeys);
  heap.free(oldCounts);
  heap.free(oldBoxes);
  heap.free(oldOrder);
}

/**
 * Returns the slot of `label`, creating it on first sight (then `fresh` is true and the
 * caller must give it a non-zero count before the next call).
 */
@inline export function slotOf(label: u32): u32 {
  if (!hashed) {
    fresh = load<u64>(counts + (<usize>label << 3)) == 0;
    if (fresh) {
      store<u32>(order + (<usize>used << 2), label);
      used++;
    }
    return label;
  }
  return hashedSlotOf(label);
}

function hashedSlotOf(label: u32): u32 {
  const mask = cap - 1;
  let h = hashLabel(label) & mask;
  while (true) {
    if (load<u64>(counts + (<usize>h << 3)) == 0) break;
    if (load<u32>(keys + (<usize>h << 2)) == label) {
      fresh = false;
      return h;
    }
    h = (h + 1) & mask;
  }
  fresh = true;
  store<u32>(keys + (<usize>h << 2), label);
  store<u32>(order + (<usize>used << 2), h);
  used++;
  if (used << 1 > cap) {
    // Give the new slot a provisional count so the rehash keeps it, then find it again.
    store<u64>(counts + (<usize>h << 3), 1);
    grow();
    h = hashLabel(label) & (cap - 1);
    while (load<u32>(keys + (<usize>h << 2)) != label || load<u64>(counts + (<usize>h << 3)) == 0) {
      h = (h + 1) & (cap - 1);
    }
    store<u64>(counts + (<usize>h << 3), 0);
  }
  return h;
}

@inline export function addCount(slot: u32, n: u64): void {
  const p = counts + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + n);
}

@inline export function boxPtr(slot: u32): usize {
  return boxes + (<usize>slot * BOX << 2);
}

/**
 * Packs the table into one block the JS side reads and frees: u32 n, u32 0, f64 counts[n],
 * u32 labels[n], then (withBoxes) i32 boxes[6n]; labels in first-seen order. Counts go out
 * as f64 (exact below 2^53) because JS reads them as numbers.
 */
export function tableResult(withBoxes: bool): usize {
  const n = <usize>used;
  const size: usize = 8 + n * 12 + (withBoxes ? (n * BOX) << 2 : <usize>0);
  const out = heap.alloc(size);
  store<u32>(out, used);
  store<u32>(out, 0, 4);
  const countsOut = out + 8, labelsOut = countsOut + (n << 3), boxesOut = labelsOut + (n << 2);
  for (let i: usize = 0; i < n; i++) {
    const slot = load<u32>(order + (i << 2));
    store<f64>(countsOut + (i << 3), <f64>load<u64>(counts + (<usize>slot << 3)));
    store<u32>(labelsOut + (i << 2), hashed ? load<u32>(keys + (<usize>slot << 2)) : slot);
    if (!withBoxes) continue;
    const label = load<u32>(labelsOut + (i << 2));
    // Background gets no box (no mapping can name label 0); scans skip its bookkeeping.
    if (label == 0) memory.fill(boxesOut + (i * BOX << 2), 0xff, BOX << 2);
    else memory.copy(boxesOut + (i * BOX << 2), boxPtr(slot), BOX << 2);
  }
  return out;
}

/** Starts a table session for labels of `bits` bits: chunks are added until `tableEnd`. */
export function tableBegin(bits: u32): void {
  if (cap) tableFree(); // a session abandoned by a JS-side error
  tableInit(bits);
}

/** Ends the session: returns its result block (see `tableResult`) and frees the table. */
export function tableEnd(withBoxes: bool): usize {
  const out = tableResult(withBoxes);
  tableFree();
  return out;
}
