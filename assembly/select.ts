// Selection kernels: turn a label volume into a binary mask (u8 0/1), written once.
import { splat, eq, runLength } from "./lanes";

/**
 * out[i] = data[i] == label (or != label when `invert`), as 0/1 bytes. SIMD compares a
 * vector of labels and narrows the 0/-1 lanes down to bytes, so no per-voxel branch.
 */
export function equals<T>(data: usize, len: usize, label: T, invert: bool, out: usize): void {
  const s = splat<T>(label);
  const one = i8x16.splat(1);
  let i: usize = 0;
  for (; i + 16 <= len; i += 16) {
    const p = data + i * sizeof<T>();
    let m: v128;
    if (sizeof<T>() == 1) {
      m = eq<T>(v128.load(p), s);
    } else if (sizeof<T>() == 2) {
      m = i8x16.narrow_i16x8_s(eq<T>(v128.load(p), s), eq<T>(v128.load(p, 16), s));
    } else {
      const lo = i16x8.narrow_i32x4_s(eq<T>(v128.load(p), s), eq<T>(v128.load(p, 16), s));
      const hi = i16x8.narrow_i32x4_s(eq<T>(v128.load(p, 32), s), eq<T>(v128.load(p, 48), s));
      m = i8x16.narrow_i16x8_s(lo, hi);
    }
    v128.store(out + i, invert ? v128.andnot(one, m) : v128.and(m, one));
  }
  for (; i < len; i++) {
    const hit = load<T>(data + i * sizeof<T>()) == label;
    store<u8>(out + i, <u8>(hit != invert));
  }
}

/**
 * out[i] = lut[data[i]] for 8-bit labels and a 256-byte 0/1 table. Each byte is split into
 * nibbles: the low nibble picks a byte of a 16-entry bitmap with swizzle, the high nibble
 * picks the bit, so any set of labels costs the same handful of SIMD ops per 16 voxels.
 */
export function selectLut8(data: usize, len: usize, lut: usize, out: usize): void {
  let lowHalf: v128 = i8x16.splat(0), highHalf: v128 = i8x16.splat(0);
  const bytes = memory.data(32);
  memory.fill(bytes, 0, 32);
  for (let v: usize = 0; v < 256; v++) {
    if (load<u8>(lut + v) == 0) continue;
    const hi = v >> 4, lo = v & 15;
    const at = bytes + (hi >= 8 ? 16 : 0) + lo;
    store<u8>(at, load<u8>(at) | <u8>(<u32>1 << <u32>(hi & 7)));
  }
  lowHalf = v128.load(bytes);
  highHalf = v128.load(bytes, 16);
  const bits = v128(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
  const nib = i8x16.splat(15), seven = i8x16.splat(7), one = i8x16.splat(1), zero = i8x16.splat(0);
  let i: usize = 0;
  for (; i + 16 <= len; i += 16) {
    const v = v128.load(data + i);
    const lo = v128.and(v, nib);
    const hi = v128.and(i8x16.shr_u(v, 4), nib);
    const row = v128.bitselect(i8x16.swizzle(highHalf, lo), i8x16.swizzle(lowHalf, lo), i8x16.gt_u(hi, seven));
    const hit = i8x16.ne(v128.and(row, i8x16.swizzle(bits, hi)), zero);
    v128.store(out + i, v128.and(hit, one));
  }
  for (; i < len; i++) store<u8>(out + i, load<u8>(lut + load<u8>(data + i)));
}

/** out[i] = lut[data[i]] for 16-bit labels and a 65536-byte 0/1 table, run by run. */
export function selectLut16(data: usize, len: usize, lut: usize, out: usize): void {
  const end = data + (len << 1);
  let p = data, o = out;
  while (p < end) {
    const v = load<u16>(p);
    const n = runLength<u16>(p, end, v);
    memory.fill(o, load<u8>(lut + v), n);
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
    memory.fill(o, contains(set, count, v) ? 1 : 0, n);
    p += n << 2;
    o += n;
  }
}
