// The native codec's label-aware transform ("rle-rows"), applied to a z-slab before
// deflate. Per row: op 0 = "same as the row above" (an all-zero row above the first),
// else op k = k runs, whose values go to the values stream (sizeof<T> bytes each, LE) and
// whose lengths go to the lengths stream as LEB128 varints, the last one implied by the
// row width. Three streams, because deflate compresses like with like far better.
// Output: u32 rows, u32 nx (so a stream cannot be decoded into another shape), u32 opsLength,
// u32 valuesLength, u32 lengthsLength, ops, values, lengths.
import { runLength } from "./lanes";
import { addBackground, addRun, scanNextRow, scanRowY, scanRowZ } from "./scan";

/** Bytes before the three streams. */
const HEAD: usize = 20;

/** Decoding failed: the stream is malformed (the JS side reports BAD_FORMAT). */
export const DECODE_ERROR: i32 = -1;

@inline function putVarint(p: usize, v: u32): usize {
  while (v >= 0x80) {
    store<u8>(p++, <u8>(v | 0x80));
    v >>= 7;
  }
  store<u8>(p++, <u8>v);
  return p;
}

/**
 * Whether `bytes` bytes at `a` and `b` are equal, a vector at a time (rows of odd widths are
 * misaligned to each other, where `memory.compare` falls back to a byte loop).
 */
@inline function rowsEqual(a: usize, b: usize, bytes: usize): bool {
  if (bytes < 16) return memory.compare(a, b, bytes) == 0;
  let i: usize = 0;
  for (; i + 64 <= bytes; i += 64) {
    const same = v128.and(
      v128.and(i8x16.eq(v128.load(a + i), v128.load(b + i)), i8x16.eq(v128.load(a + i, 16), v128.load(b + i, 16))),
      v128.and(i8x16.eq(v128.load(a + i, 32), v128.load(b + i, 32)), i8x16.eq(v128.load(a + i, 48), v128.load(b + i, 48))),
    );
    if (!i8x16.all_true(same)) return false;
  }
  for (; i + 16 <= bytes; i += 16) if (!i8x16.all_true(i8x16.eq(v128.load(a + i), v128.load(b + i)))) return false;
  // The last vector ends at the last byte (it may overlap the ones before).
  const t = bytes - 16;
  return i8x16.all_true(i8x16.eq(v128.load(a + t), v128.load(b + t)));
}

// The encoder is a session too: the JS side streams whole rows in chunks, and the three
// streams grow as needed. A slab usually encodes to a few KB; sizing the streams for the
// worst case (5+ bytes per voxel) would have made WASM memory several times the slab.
let encOps: usize = 0, encOpsCap: usize = 0, encOpsLen: usize = 0;
let encValues: usize = 0, encValuesCap: usize = 0, encValuesLen: usize = 0;
let encLengths: usize = 0, encLengthsCap: usize = 0, encLengthsLen: usize = 0;
let encPrev: usize = 0; // the last row of the previous chunk
let encHasPrev: bool = false;
let encNx: u32 = 0, encRows: u32 = 0;
let encRowBytes: usize = 0;
let encodedBytes: usize = 0;
// With `scan`, the encoder also accounts every row in the label scan (`scanBegin`): rows it
// encodes run by run as it finds the runs, and a row "same as above" by the runs of the
// row above again (kept here as u32 label, x0, length), so a save reads its voxels once
// and scans nothing the encoder has not already measured.
let runsAbove: usize = 0; // the runs of the last row encoded run by run
let runsHere: usize = 0;
let runsAboveCount: u32 = 0;
let aboveBackground: bool = true; // the row above is all background (or there is none)

function encodeFree(): void {
  if (encOps) heap.free(encOps);
  if (encValues) heap.free(encValues);
  if (encLengths) heap.free(encLengths);
  if (encPrev) heap.free(encPrev);
  if (runsAbove) heap.free(runsAbove);
  if (runsHere) heap.free(runsHere);
  encOps = encValues = encLengths = encPrev = runsAbove = runsHere = 0;
  encOpsCap = encValuesCap = encLengthsCap = 0;
}

/** A capacity of at least `need`, doubling from `cap`. */
@inline function grownCap(cap: usize, need: usize): usize {
  return max(cap << 1, need);
}

/** Starts encoding rows of `nx` labels of `bytes` bytes each (frees an abandoned session). */
export function encodeBegin(nx: u32, bytes: u32): void {
  encodeFree();
  encNx = nx;
  encRowBytes = <usize>nx * <usize>bytes;
  encRows = 0;
  encHasPrev = false;
  encOpsLen = encValuesLen = encLengthsLen = 0;
  encOpsCap = 4096;
  encValuesCap = 4096;
  encLengthsCap = 4096;
  encOps = heap.alloc(encOpsCap);
  encValues = heap.alloc(encValuesCap);
  encLengths = heap.alloc(encLengthsCap);
  encPrev = heap.alloc(max<usize>(encRowBytes, 1));
  runsAbove = heap.alloc(max<usize>(<usize>nx * 12, 12));
  runsHere = heap.alloc(max<usize>(<usize>nx * 12, 12));
  runsAboveCount = 0;
  aboveBackground = true; // the format's row above the first: all background
}

/** Accounts the row "same as above" in the scan: the runs of the row above, again. */
@inline function scanSameRow(nx: u32): void {
  if (aboveBackground) {
    addBackground(<u64>nx);
  } else {
    const z = scanRowZ(), y = scanRowY();
    for (let i: u32 = 0; i < runsAboveCount; i++) {
      const r = runsAbove + <usize>i * 12;
      const label = load<u32>(r);
      const n = <u64>load<u32>(r, 8);
      if (label == 0) addBackground(n);
      else addRun(label, z, y, <i32>load<u32>(r, 4), n);
    }
  }
  scanNextRow();
}

/**
 * Encodes the next `rows` rows at `data` (whole rows; the row above the first is kept);
 * with `scan`, also accounts them in the open label scan (see `runsAbove`).
 */
export function encodeChunk<T>(data: usize, rows: u32, scan: bool): void {
  const nx = encNx;
  const rowBytes = encRowBytes;
  for (let r: u32 = 0; r < rows; r++) {
    const row = data + <usize>r * rowBytes;
    const end = row + rowBytes;
    const prev = r > 0 ? row - rowBytes : encHasPrev ? encPrev : 0;
    // Room for this row's worst case in each stream.
    if (encOpsLen + 5 > encOpsCap) {
      encOpsCap = grownCap(encOpsCap, encOpsLen + 5);
      encOps = heap.realloc(encOps, encOpsCap);
    }
    if (encValuesLen + rowBytes > encValuesCap) {
      encValuesCap = grownCap(encValuesCap, encValuesLen + rowBytes);
      encValues = heap.realloc(encValues, encValuesCap);
    }
    if (encLengthsLen + <usize>nx * 5 > encLengthsCap) {
      encLengthsCap = grownCap(encLengthsCap, encLengthsLen + <usize>nx * 5);
      encLengths = heap.realloc(encLengths, encLengthsCap);
    }
    // Below a background row, "same as above" means all background: one stream to read.
    const same = aboveBackground ? isZero<T>(row, end) : rowsEqual(row, prev, rowBytes);
    if (same) {
      store<u8>(encOps + encOpsLen++, 0);
      if (scan) scanSameRow(nx);
      continue;
    }
    // Count runs first so the op can precede them.
    let k: u32 = 0;
    let p = row;
    let pv = encValues + encValuesLen, pl = encLengths + encLengthsLen;
    const z = scan ? scanRowZ() : 0, y = scan ? scanRowY() : 0;
    let x: u32 = 0;
    while (p < end) {
      const v = load<T>(p);
      const n = runLength<T>(p, end, v);
      store<T>(pv, v);
      pv += sizeof<T>();
      p += n * sizeof<T>();
      k++;
      if (p < end) pl = putVarint(pl, <u32>n);
      if (scan) {
        const r = runsHere + <usize>(k - 1) * 12;
        store<u32>(r, <u32>v);
        store<u32>(r, x, 4);
        store<u32>(r, <u32>n, 8);
        if (v == 0) addBackground(<u64>n);
        else addRun(<u32>v, z, y, <i32>x, <u64>n);
        x += <u32>n;
      }
    }
    aboveBackground = k == 1 && load<T>(row) == 0;
    if (scan) {
      const swap = runsAbove;
      runsAbove = runsHere;
      runsHere = swap;
      runsAboveCount = k;
      scanNextRow();
    }
    encValuesLen = pv - encValues;
    encLengthsLen = pl - encLengths;
    encOpsLen = putVarint(encOps + encOpsLen, k) - encOps;
  }
  if (rows > 0) {
    memory.copy(encPrev, data + <usize>(rows - 1) * rowBytes, rowBytes);
    encHasPrev = true;
  }
  encRows += rows;
}

/**
 * Ends the session: packs the header and the three streams into one block, returned (the
 * JS side copies it out and frees it); its length is `encodedLength()`.
 */
export function encodeEnd(): usize {
  const no = encOpsLen, nv = encValuesLen, nl = encLengthsLen;
  encodedBytes = HEAD + no + nv + nl;
  const out = heap.alloc(encodedBytes);
  store<u32>(out, encRows);
  store<u32>(out, encNx, 4);
  store<u32>(out, <u32>no, 8);
  store<u32>(out, <u32>nv, 12);
  store<u32>(out, <u32>nl, 16);
  memory.copy(out + HEAD, encOps, no);
  memory.copy(out + HEAD + no, encValues, nv);
  memory.copy(out + HEAD + no + nv, encLengths, nl);
  encodeFree();
  return out;
}

/** Bytes of the block the last `encodeEnd` returned. */
export function encodedLength(): usize {
  return encodedBytes;
}

@inline function isZero<T>(p: usize, end: usize): bool {
  return runLength<T>(p, end, <T>0) * sizeof<T>() == end - p;
}

// The decoder is a session over one stream, fed output chunks of whole rows (the JS side
// streams them through a cache-sized buffer into the target), so WASM memory holds one
// stream and one chunk, not a slab.
let srcOps: usize = 0, opsEnd: usize = 0;
let srcValues: usize = 0, valuesEnd: usize = 0;
let srcLengths: usize = 0, lengthsEnd: usize = 0;
let decodeNx: u32 = 0, decodeMax: u32 = 0, rowsLeft: u32 = 0;
let aboveLabelled: bool = false; // the row above holds a non-zero label
let varintEnd: usize = 0; // where the last `readVarint` stopped

/**
 * Starts decoding `rows` rows of `nx` labels from the stream at `src` (`srcLength` bytes),
 * refusing labels above `maxLabel`. Returns 0, or DECODE_ERROR when the stream's own header
 * does not match the shape or its lengths.
 */
export function decodeBegin(src: usize, srcLength: usize, rows: u32, nx: u32, maxLabel: u32): i32 {
  rowsLeft = 0;
  if (srcLength < HEAD) return DECODE_ERROR;
  if (load<u32>(src) != rows || load<u32>(src, 4) != nx) return DECODE_ERROR;
  const no = <usize>load<u32>(src, 8), nv = <usize>load<u32>(src, 12), nl = <usize>load<u32>(src, 16);
  if (<u64>HEAD + <u64>no + <u64>nv + <u64>nl != <u64>srcLength) return DECODE_ERROR;
  srcOps = src + HEAD;
  opsEnd = srcOps + no;
  srcValues = opsEnd;
  valuesEnd = srcValues + nv;
  srcLengths = valuesEnd;
  lengthsEnd = srcLengths + nl;
  decodeNx = nx;
  decodeMax = maxLabel;
  rowsLeft = rows;
  aboveLabelled = false; // op 0 on the first row: the background above the volume
  return 0;
}

/** Reads a LEB128 varint of at most 32 bits at `*at` (below `end`); -1 when malformed. */
@inline function readVarint(at: usize, end: usize): i64 {
  // Ops and run lengths are almost all below 128, or 16384: one or two bytes.
  if (at + 2 <= end) {
    const b0 = <u32>load<u8>(at);
    if (b0 < 0x80) {
      varintEnd = at + 1;
      return <i64>b0;
    }
    const b1 = <u32>load<u8>(at, 1);
    if (b1 < 0x80) {
      varintEnd = at + 2;
      return <i64>((b0 & 0x7f) | (b1 << 7));
    }
  }
  let v: u32 = 0, shift: u32 = 0, p = at;
  while (true) {
    if (p >= end || shift > 28) return -1;
    const b = <u32>load<u8>(p++);
    if (shift == 28 && b > 15) return -1; // would overflow 32 bits
    v |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  varintEnd = p;
  return <i64>v;
}

/**
 * Decodes the next `rows` rows into `out`, which must have 64 bytes of slack after the
 * rows (whole-vector stores may pass a run's end; later runs overwrite that, and past the
 * last row it falls in the slack). The row above the first is read at `out - rowBytes`;
 * on return the last decoded row has been copied there, so the next call can reuse `out`.
 * Returns the number of ranges of consecutive rows that hold a non-zero label (0 when all
 * is background), or DECODE_ERROR for a malformed stream. Each range is written at `ranges`
 * as a u32 pair [first row, end row); background rows repeated from the row above are not
 * written into `out` (the caller copies out only the ranges and clears or skips the rest).
 */
export function decodeChunk<T>(out: usize, rows: u32, ranges: usize): i32 {
  if (rows > rowsLeft) return DECODE_ERROR;
  const nx = decodeNx;
  const rowBytes = <usize>nx * sizeof<T>();
  let count: i32 = 0;
  let open: i32 = -1; // first row of the labelled range being built
  for (let r: u32 = 0; r < rows; r++) {
    const row = out + <usize>r * rowBytes;
    const op = readVarint(srcOps, opsEnd);
    if (op < 0) return DECODE_ERROR;
    srcOps = varintEnd;
    const k = <u32>op;
    if (k == 0) {
      // A background row is never copied out, so it need not be written (most rows of an
      // organ mask), unless the row above holds labels and must not be carried down.
      if (aboveLabelled) copyBytes(row, row - rowBytes, rowBytes);
    } else {
      if (k > nx) return DECODE_ERROR;
      let x: u32 = 0;
      let rowLabelled = false;
      for (let i: u32 = 0; i < k; i++) {
        if (srcValues + sizeof<T>() > valuesEnd) return DECODE_ERROR;
        const v = load<T>(srcValues);
        srcValues += sizeof<T>();
        if (<u32>v > decodeMax) return DECODE_ERROR;
        let n: u32;
        if (i + 1 == k) {
          n = nx - x;
          if (n == 0) return DECODE_ERROR;
        } else {
          const len = readVarint(srcLengths, lengthsEnd);
          if (len <= 0 || len > <i64>(nx - x - 1)) return DECODE_ERROR;
          srcLengths = varintEnd;
          n = <u32>len;
        }
        fillBytes(row + <usize>x * sizeof<T>(), v128.splat<T>(v), <usize>n * sizeof<T>());
        rowLabelled = rowLabelled || v != 0;
        x += n;
      }
      aboveLabelled = rowLabelled;
    }
    // `aboveLabelled` now tells whether this row holds a label.
    if (aboveLabelled) {
      if (open < 0) open = <i32>r;
    } else if (open >= 0) {
      count = closeRange(ranges, count, open, r);
      open = -1;
    }
  }
  if (open >= 0) count = closeRange(ranges, count, open, rows);
  rowsLeft -= rows;
  // (An unwritten background row is carried as is: only a labelled row above is ever read.)
  if (rows > 0 && aboveLabelled) copyBytes(out - rowBytes, out + <usize>(rows - 1) * rowBytes, rowBytes);
  return count;
}

/** Records the labelled rows [first, end) as range number `count`; the new count. */
@inline function closeRange(ranges: usize, count: i32, first: i32, end: u32): i32 {
  const at = ranges + (<usize>count << 3);
  store<u32>(at, <u32>first);
  store<u32>(at, end, 4);
  return count + 1;
}

/** 0 when every row was decoded and the three streams were used up exactly, else DECODE_ERROR. */
export function decodeEnd(): i32 {
  return rowsLeft == 0 && srcOps == opsEnd && srcValues == valuesEnd && srcLengths == lengthsEnd ? 0 : DECODE_ERROR;
}

/**
 * Fills `bytes` bytes at `p` with the vector `s`, writing up to 63 bytes past the end:
 * 64 bytes at once whatever the length, so the common short run costs no loop and no
 * mispredicted exit (runs end at random lengths). Runs are written left to right and the
 * last one of a row reaches its end, so what spills past a run is overwritten by the runs
 * after it, or lands in rows that are neither copied out nor read, or in the slack.
 */
@inline function fillBytes(p: usize, s: v128, bytes: usize): void {
  v128.store(p, s);
  v128.store(p, s, 16);
  v128.store(p, s, 32);
  v128.store(p, s, 48);
  for (let q = p + 64; q < p + bytes; q += 64) {
    v128.store(q, s);
    v128.store(q, s, 16);
    v128.store(q, s, 32);
    v128.store(q, s, 48);
  }
}

/**
 * Copies exactly `bytes` bytes from `from` to `to`, which do not overlap (rows apart): whole
 * vectors, the last one ending at the last byte; short rows byte by byte.
 */
@inline function copyBytes(to: usize, from: usize, bytes: usize): void {
  if (bytes < 16) {
    for (let i: usize = 0; i < bytes; i++) store<u8>(to + i, load<u8>(from + i));
    return;
  }
  for (let i: usize = 0; i + 16 <= bytes; i += 16) v128.store(to + i, v128.load(from + i));
  v128.store(to + bytes - 16, v128.load(from + bytes - 16));
}
