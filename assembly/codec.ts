// The native codec's label-aware transform ("rle-rows"), applied to a z-slab before
// deflate. Per row: op 0 = "same as the row above" (an all-zero row above the first),
// else op k = k runs, whose values go to the values stream (sizeof<T> bytes each, LE) and
// whose lengths go to the lengths stream as LEB128 varints, the last one implied by the
// row width. Three streams, because deflate compresses like with like far better.
// Output: u32 rows, u32 nx (so a stream cannot be decoded into another shape), u32 opsLength,
// u32 valuesLength, u32 lengthsLength, ops, values, lengths.
import { runLength } from "./lanes";

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

/** Upper bound of the encoded size of `rows` rows of `nx` labels of `bytes` bytes. */
export function encodeBound(rows: u32, nx: u32, bytes: u32): usize {
  return HEAD + <usize>rows * (5 + <usize>nx * (bytes + 5));
}

@inline function rowsEqual(a: usize, b: usize, bytes: usize): bool {
  return memory.compare(a, b, bytes) == 0;
}

/**
 * Encodes `rows` rows of `nx` labels at `data` into three scratch areas (ops, values,
 * lengths), then packs them into `out`. Returns the bytes written to `out`.
 */
export function encodeRows<T>(data: usize, rows: u32, nx: u32, out: usize, ops: usize, values: usize, lengths: usize): usize {
  const rowBytes = <usize>nx * sizeof<T>();
  let po = ops, pv = values, pl = lengths;
  let prev: usize = 0;
  for (let r: u32 = 0; r < rows; r++) {
    const row = data + <usize>r * rowBytes;
    const end = row + rowBytes;
    const same = prev != 0 ? rowsEqual(row, prev, rowBytes) : isZero<T>(row, end);
    prev = row;
    if (same) {
      store<u8>(po++, 0);
      continue;
    }
    // Count runs first so the op can precede them.
    let k: u32 = 0;
    let p = row;
    while (p < end) {
      const v = load<T>(p);
      const n = runLength<T>(p, end, v);
      store<T>(pv, v);
      pv += sizeof<T>();
      p += n * sizeof<T>();
      k++;
      if (p < end) pl = putVarint(pl, <u32>n);
    }
    po = putVarint(po, k);
  }
  const no = po - ops, nv = pv - values, nl = pl - lengths;
  store<u32>(out, rows);
  store<u32>(out, nx, 4);
  store<u32>(out, <u32>no, 8);
  store<u32>(out, <u32>nv, 12);
  store<u32>(out, <u32>nl, 16);
  memory.copy(out + HEAD, ops, no);
  memory.copy(out + HEAD + no, values, nv);
  memory.copy(out + HEAD + no + nv, lengths, nl);
  return HEAD + no + nv + nl;
}

@inline function isZero<T>(p: usize, end: usize): bool {
  return runLength<T>(p, end, <T>0) * sizeof<T>() == end - p;
}

/**
 * Decodes `rows` rows of `nx` labels from the stream at `src` (`srcLength` bytes) into
 * `out`. Every read and write is bounds-checked against the header's shape; labels above
 * `maxLabel` are refused. Returns 0, or DECODE_ERROR for any malformed stream.
 */
export function decodeRows<T>(src: usize, srcLength: usize, rows: u32, nx: u32, maxLabel: u32, out: usize): i32 {
  if (srcLength < HEAD) return DECODE_ERROR;
  if (load<u32>(src) != rows || load<u32>(src, 4) != nx) return DECODE_ERROR;
  const no = <usize>load<u32>(src, 8), nv = <usize>load<u32>(src, 12), nl = <usize>load<u32>(src, 16);
  if (<u64>HEAD + <u64>no + <u64>nv + <u64>nl != <u64>srcLength) return DECODE_ERROR;
  let po = src + HEAD;
  const oe = po + no;
  let pv = oe;
  const ve = pv + nv;
  let pl = ve;
  const le = pl + nl;
  const rowBytes = <usize>nx * sizeof<T>();
  for (let r: u32 = 0; r < rows; r++) {
    const row = out + <usize>r * rowBytes;
    // op varint
    let k: u32 = 0, shift: u32 = 0;
    while (true) {
      if (po >= oe || shift > 28) return DECODE_ERROR;
      const b = <u32>load<u8>(po++);
      if (shift == 28 && b > 15) return DECODE_ERROR; // would overflow 32 bits
      k |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (k == 0) {
      if (r == 0) memory.fill(row, 0, rowBytes);
      else memory.copy(row, row - rowBytes, rowBytes);
      continue;
    }
    if (k > nx) return DECODE_ERROR;
    let x: u32 = 0;
    for (let i: u32 = 0; i < k; i++) {
      if (pv + sizeof<T>() > ve) return DECODE_ERROR;
      const v = load<T>(pv);
      pv += sizeof<T>();
      if (<u32>v > maxLabel) return DECODE_ERROR;
      let n: u32;
      if (i + 1 == k) {
        n = nx - x;
        if (n == 0) return DECODE_ERROR;
      } else {
        n = 0;
        shift = 0;
        while (true) {
          if (pl >= le || shift > 28) return DECODE_ERROR;
          const b = <u32>load<u8>(pl++);
          if (shift == 28 && b > 15) return DECODE_ERROR;
          n |= (b & 0x7f) << shift;
          if (b < 0x80) break;
          shift += 7;
        }
        if (n == 0 || n > nx - x - 1) return DECODE_ERROR;
      }
      fill<T>(row + <usize>x * sizeof<T>(), v, n);
      x += n;
    }
  }
  return po == oe && pv == ve && pl == le ? 0 : DECODE_ERROR;
}

@inline function fill<T>(p: usize, v: T, n: u32): void {
  if (sizeof<T>() == 1) {
    memory.fill(p, <u8>v, n);
    return;
  }
  const end = p + <usize>n * sizeof<T>();
  if (v == 0) {
    memory.fill(p, 0, end - p);
    return;
  }
  for (; p < end; p += sizeof<T>()) store<T>(p, v);
}
