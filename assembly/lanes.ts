// SIMD helpers shared by the kernels: a vector holds 16 / sizeof<T> labels of type T.

/** Labels of type T per 128-bit vector. */
@inline export function lanes<T>(): usize {
  return 16 / sizeof<T>();
}

/**
 * One bit per element of the 64 bytes at `p` that equals the splat `s` (element i -> bit
 * i): 64, 32 or 16 bits for T of 1, 2 or 4 bytes. Wider lanes are narrowed to bytes first
 * so one bitmask covers 16 elements.
 */
@inline function sameBits64<T>(p: usize, s: v128): u64 {
  if (sizeof<T>() == 1) {
    const a = <u64>i8x16.bitmask(i8x16.eq(v128.load(p), s));
    const b = <u64>i8x16.bitmask(i8x16.eq(v128.load(p, 16), s));
    const c = <u64>i8x16.bitmask(i8x16.eq(v128.load(p, 32), s));
    const d = <u64>i8x16.bitmask(i8x16.eq(v128.load(p, 48), s));
    return a | (b << 16) | (c << 32) | (d << 48);
  }
  if (sizeof<T>() == 2) {
    const a = <u64>i8x16.bitmask(i8x16.narrow_i16x8_s(i16x8.eq(v128.load(p), s), i16x8.eq(v128.load(p, 16), s)));
    const b = <u64>i8x16.bitmask(i8x16.narrow_i16x8_s(i16x8.eq(v128.load(p, 32), s), i16x8.eq(v128.load(p, 48), s)));
    return a | (b << 16);
  }
  const lo = i16x8.narrow_i32x4_s(i32x4.eq(v128.load(p), s), i32x4.eq(v128.load(p, 16), s));
  const hi = i16x8.narrow_i32x4_s(i32x4.eq(v128.load(p, 32), s), i32x4.eq(v128.load(p, 48), s));
  return <u64>i8x16.bitmask(i8x16.narrow_i16x8_s(lo, hi));
}

/**
 * Number of leading elements equal to `v` from `p`, reading at most up to `end`. Runs are
 * measured 64 bytes at a time with an exact lane mask, so a run's end is found by the
 * first block that differs and a trailing-zero count: one data-dependent loop exit per
 * run, because run ends are where a scan spends its time and each exit is a mispredicted
 * branch (a first-vector test, then a 64-byte loop, then a 16-byte loop cost up to three).
 * Background runs, the longest of all, skip 128 bytes per step with ORs and no compares.
 */
@inline export function runLength<T>(p: usize, end: usize, v: T): usize {
  const start = p;
  const s = v128.splat<T>(v);
  const perBlock: u64 = 64 / sizeof<T>();
  const full: u64 = perBlock == 64 ? u64.MAX_VALUE : (<u64>1 << perBlock) - 1;
  while (p + 64 <= end) {
    const same = sameBits64<T>(p, s);
    if (same != full) return (p - start) / sizeof<T>() + <usize>ctz(~same);
    p += 64;
    if (v == 0) {
      while (p + 128 <= end) {
        const a = v128.or(v128.or(v128.load(p), v128.load(p, 16)), v128.or(v128.load(p, 32), v128.load(p, 48)));
        const b = v128.or(v128.or(v128.load(p, 64), v128.load(p, 80)), v128.or(v128.load(p, 96), v128.load(p, 112)));
        if (v128.any_true(v128.or(a, b))) break;
        p += 128;
      }
    }
  }
  const full16: u32 = (<u32>1 << <u32>lanes<T>()) - 1;
  while (p + 16 <= end) {
    const same = v128.bitmask<T>(v128.eq<T>(v128.load(p), s));
    if (same != full16) return (p - start) / sizeof<T>() + <usize>ctz(~same);
    p += 16;
  }
  while (p < end && load<T>(p) == v) p += sizeof<T>();
  return (p - start) / sizeof<T>();
}

/**
 * The first index >= i whose 16-byte block of the u8 `region` is not all zero (regions are
 * mostly empty, so whole blocks are skipped at once); `len` when none is left.
 */
@inline export function skipEmptyBlocks(region: usize, i: usize, len: usize): usize {
  while (i + 16 <= len && !v128.any_true(v128.load(region + i))) i += 16;
  return i;
}
