// Selection kernels: turn a label volume into a binary mask (u8 0/1), written once.
import { runLength } from "./lanes";

/** Most label intervals `selectRanges` takes: past a few, a lookup per run is cheaper. */
export const MAX_RANGES: u32 = 4;

/** 0/-1 bytes for the 16 labels of type T at `p`: a vector of `label == data` lanes narrowed to bytes. */
@inline function matches<T>(p: usize, s: v128): v128 {
  if (sizeof<T>() == 1) return v128.eq<T>(v128.load(p), s);
  if (sizeof<T>() == 2) return i8x16.narrow_i16x8_s(v128.eq<T>(v128.load(p), s), v128.eq<T>(v128.load(p, 16), s));
  const lo = i16x8.narrow_i32x4_s(v128.eq<T>(v128.load(p), s), v128.eq<T>(v128.load(p, 16), s));
  const hi = i16x8.narrow_i32x4_s(v128.eq<T>(v128.load(p, 32), s), v128.eq<T>(v128.load(p, 48), s));
  return i8x16.narrow_i16x8_s(lo, hi);
}

/**
 * out[i] = data[i] == label (or != label when `invert`), as 0/1 bytes. SIMD compares a
 * vector of labels and narrows the 0/-1 lanes down to bytes, so no per-voxel branch; four
 * vectors per loop step, because at one per step the loop's own overhead is the bottleneck
 * (20 GB/s in L2 against 50+ GB/s unrolled).
 */
export function equals<T>(data: usize, len: usize, label: T, invert: bool, out: usize): void {
  const s = v128.splat<T>(label);
  const one = i8x16.splat(1);
  const flip = invert ? one : i8x16.splat(0);
  const step: usize = 16 * sizeof<T>(); // input bytes per 16 voxels
  let i: usize = 0;
  for (; i + 64 <= len; i += 64) {
    const p = data + i * sizeof<T>();
    v128.store(out + i, v128.xor(v128.and(matches<T>(p, s), one), flip));
    v128.store(out + i, v128.xor(v128.and(matches<T>(p + step, s), one), flip), 16);
    v128.store(out + i, v128.xor(v128.and(matches<T>(p + 2 * step, s), one), flip), 32);
    v128.store(out + i, v128.xor(v128.and(matches<T>(p + 3 * step, s), one), flip), 48);
  }
  for (; i + 16 <= len; i += 16) {
    v128.store(out + i, v128.xor(v128.and(matches<T>(data + i * sizeof<T>(), s), one), flip));
  }
  for (; i < len; i++) {
    const hit = load<T>(data + i * sizeof<T>()) == label;
    store<u8>(out + i, <u8>(hit != invert));
  }
}

/**
 * The 0/1 LUT result of 16 u8 labels, from the nibble tables of `selectLut8`. A swizzle
 * gives 0 for an index with its top bit set, so `v & 0x8f` picks a byte of the low half's
 * table (labels below 128) and the same index with the top bit flipped one of the high
 * half's, and their OR is the bitmap byte; the high nibble picks the bit in it.
 */
@inline function lutStep(v: v128, lowHalf: v128, highHalf: v128): v128 {
  const bits = v128(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
  const index = v128.and(v, i8x16.splat(<i8>0x8f));
  const row = v128.or(i8x16.swizzle(lowHalf, index), i8x16.swizzle(highHalf, v128.xor(index, i8x16.splat(<i8>0x80))));
  return i8x16.min_u(v128.and(row, i8x16.swizzle(bits, i8x16.shr_u(v, 4))), i8x16.splat(1));
}

/**
 * out[i] = lut[data[i]] for 8-bit labels and a 256-byte 0/1 table. Each byte is split into
 * nibbles: the low nibble picks a byte of a 16-entry bitmap with swizzle, the high nibble
 * picks the bit, so any set of labels costs the same handful of SIMD ops per 16 voxels.
 * Blocks of 64 background voxels (most of a mask) skip the lookup: one OR and one test.
 */
export function selectLut8(data: usize, len: usize, lut: usize, out: usize): void {
  const bytes = memory.data(32);
  memory.fill(bytes, 0, 32);
  for (let v: usize = 0; v < 256; v++) {
    if (load<u8>(lut + v) == 0) continue;
    const hi = v >> 4, lo = v & 15;
    const at = bytes + (hi >= 8 ? 16 : 0) + lo;
    store<u8>(at, load<u8>(at) | <u8>(<u32>1 << <u32>(hi & 7)));
  }
  const lowHalf = v128.load(bytes);
  const highHalf = v128.load(bytes, 16);
  const background = i8x16.splat(load<u8>(lut));
  let i: usize = 0;
  for (; i + 64 <= len; i += 64) {
    const p = data + i;
    const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
    if (!v128.any_true(v128.or(v128.or(a, b), v128.or(c, d)))) {
      v128.store(out + i, background);
      v128.store(out + i, background, 16);
      v128.store(out + i, background, 32);
      v128.store(out + i, background, 48);
      continue;
    }
    v128.store(out + i, lutStep(a, lowHalf, highHalf));
    v128.store(out + i, lutStep(b, lowHalf, highHalf), 16);
    v128.store(out + i, lutStep(c, lowHalf, highHalf), 32);
    v128.store(out + i, lutStep(d, lowHalf, highHalf), 48);
  }
  for (; i + 16 <= len; i += 16) v128.store(out + i, lutStep(v128.load(data + i), lowHalf, highHalf));
  for (; i < len; i++) store<u8>(out + i, load<u8>(lut + load<u8>(data + i)));
}

/**
 * out[o..o+n) = v for one run of a run-by-run selection, where `outEnd` ends the output.
 * A run of up to 64 bytes with 64 bytes of output left is four vector stores whatever its
 * length (what passes its end is overwritten by the runs after it, which are written in
 * order from where it ends): no call and no length-dependent branch, where a
 * `memory.fill` per run is a call into the engine each time.
 */
@inline function fillRun(o: usize, v: u8, n: usize, outEnd: usize): void {
  if (n <= 64 && o + 64 <= outEnd) {
    const s = i8x16.splat(v);
    v128.store(o, s);
    v128.store(o, s, 16);
    v128.store(o, s, 32);
    v128.store(o, s, 48);
  } else {
    memory.fill(o, v, n);
  }
}

/** out[i] = lut[data[i]] for 16-bit labels and a 65536-byte 0/1 table, run by run. */
export function selectLut16(data: usize, len: usize, lut: usize, out: usize): void {
  const end = data + (len << 1);
  let p = data, o = out;
  while (p < end) {
    const v = load<u16>(p);
    const n = runLength<u16>(p, end, v);
    fillRun(o, load<u8>(lut + v), n, out + len);
    p += n << 1;
    o += n;
  }
}

@inline function contains(set: usize, count: usize, v: u32): bool {
  let lo: usize = 0, hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = load<u32>(set + (mid << 2));
    if (m == v) return true;
    if (m < v) lo = mid + 1; else hi = mid;
  }
  return false;
}

/** out[i] = data[i] in set, for 32-bit labels and a sorted u32 set, one lookup per run. */
export function selectSet32(data: usize, len: usize, set: usize, count: usize, out: usize): void {
  const end = data + (len << 2);
  let p = data, o = out;
  while (p < end) {
    const v = load<u32>(p);
    const n = runLength<u32>(p, end, v);
    fillRun(o, contains(set, count, v) ? 1 : 0, n, out + len);
    p += n << 2;
    o += n;
  }
}

/** 0/-1 lanes of `v` (labels of type T) that lie in [lo, lo + span]: one unsigned compare. */
@inline function inRange<T>(v: v128, lo: v128, span: v128): v128 {
  if (sizeof<T>() == 2) return i16x8.le_u(i16x8.sub(v, lo), span);
  return i32x4.le_u(i32x4.sub(v, lo), span);
}

/** 0/-1 bytes for the 16 labels of type T at `p` that lie in one of the `count` intervals. */
@inline function inRanges16<T>(p: usize, los: usize, spans: usize, count: u32): v128 {
  const perVector = 16 / sizeof<T>();
  let m0 = i8x16.splat(0), m1 = m0, m2 = m0, m3 = m0;
  for (let r: u32 = 0; r < count; r++) {
    const lo = v128.load(los + (<usize>r << 4)), span = v128.load(spans + (<usize>r << 4));
    m0 = v128.or(m0, inRange<T>(v128.load(p), lo, span));
    m1 = v128.or(m1, inRange<T>(v128.load(p, 16), lo, span));
    if (perVector == 4) {
      m2 = v128.or(m2, inRange<T>(v128.load(p, 32), lo, span));
      m3 = v128.or(m3, inRange<T>(v128.load(p, 48), lo, span));
    }
  }
  if (perVector == 8) return i8x16.narrow_i16x8_s(m0, m1);
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
}

/**
 * out[i] = data[i] lies in one of `count` (at most MAX_RANGES) label intervals, for 16- and
 * 32-bit labels; the intervals are u32 pairs [lo, hi] at `ranges`. A set of names is
 * usually a few runs of consecutive labels (TotalSegmentator's vertebrae are 26-50, its
 * ribs 92-115): an interval costs two SIMD ops per vector, with no lookup and no branch per
 * voxel, where the run-by-run lookup pays a mispredicted branch per run.
 */
export function selectRanges<T>(data: usize, len: usize, ranges: usize, count: u32, out: usize): void {
  if (count > MAX_RANGES) unreachable();
  const los = memory.data(16 * MAX_RANGES), spans = memory.data(16 * MAX_RANGES);
  for (let r: u32 = 0; r < count; r++) {
    const lo = load<u32>(ranges + (<usize>r << 3)), hi = load<u32>(ranges + (<usize>r << 3), 4);
    v128.store(los + (<usize>r << 4), v128.splat<T>(<T>lo));
    v128.store(spans + (<usize>r << 4), v128.splat<T>(<T>(hi - lo)));
  }
  const one = i8x16.splat(1);
  let i: usize = 0;
  for (; i + 16 <= len; i += 16) v128.store(out + i, v128.and(inRanges16<T>(data + i * sizeof<T>(), los, spans, count), one));
  for (; i < len; i++) {
    const v = <u32>load<T>(data + i * sizeof<T>());
    let hit: u8 = 0;
    for (let r: u32 = 0; r < count; r++) {
      const lo = load<u32>(ranges + (<usize>r << 3)), hi = load<u32>(ranges + (<usize>r << 3), 4);
      if (v - lo <= hi - lo) hit = 1;
    }
    store<u8>(out + i, hit);
  }
}

/**
 * dst[i] |= src[i] for `len` bytes of 0/1: a selection of one layer added into the mask of
 * the layers before it (a union across layers is one pass per layer into one output).
 */
export function orBytes(dst: usize, src: usize, len: usize): void {
  let i: usize = 0;
  for (; i + 64 <= len; i += 64) {
    v128.store(dst + i, v128.or(v128.load(dst + i), v128.load(src + i)));
    v128.store(dst + i, v128.or(v128.load(dst + i, 16), v128.load(src + i, 16)), 16);
    v128.store(dst + i, v128.or(v128.load(dst + i, 32), v128.load(src + i, 32)), 32);
    v128.store(dst + i, v128.or(v128.load(dst + i, 48), v128.load(src + i, 48)), 48);
  }
  for (; i + 16 <= len; i += 16) v128.store(dst + i, v128.or(v128.load(dst + i), v128.load(src + i)));
  for (; i < len; i++) store<u8>(dst + i, load<u8>(dst + i) | load<u8>(src + i));
}
