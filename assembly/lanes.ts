// SIMD helpers shared by the kernels: a vector holds 16 / sizeof<T> labels of type T.

/** Labels of type T per 128-bit vector. */
@inline export function lanes<T>(): usize {
  return 16 / sizeof<T>();
}

/** All lanes set to `v`. */
@inline export function splat<T>(v: T): v128 {
  if (sizeof<T>() == 1) return i8x16.splat(<i8>v);
  if (sizeof<T>() == 2) return i16x8.splat(<i16>v);
  return i32x4.splat(<i32>v);
}

/** Lane-wise equality of two vectors of T. */
@inline export function eq<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 1) return i8x16.eq(a, b);
  if (sizeof<T>() == 2) return i16x8.eq(a, b);
  return i32x4.eq(a, b);
}

/** One bit per lane of `m` (lane i -> bit i): 16, 8 or 4 bits for T of 1, 2 or 4 bytes. */
@inline export function laneBits<T>(m: v128): u32 {
  if (sizeof<T>() == 1) return i8x16.bitmask(m);
  if (sizeof<T>() == 2) return i16x8.bitmask(m);
  return i32x4.bitmask(m);
}

/**
 * Number of leading elements equal to `v` from `p`, reading at most up to `end`. Long runs
 * (background) go 64 bytes per step with one branch; the run's end is then found inside a
 * vector with a lane mask and a trailing-zero count, not a byte loop: run ends are where a
 * scan spends its time, and a loop exit there is a mispredicted branch.
 */
@inline export function runLength<T>(p: usize, end: usize, v: T): usize {
  const start = p;
  const s = splat<T>(v);
  const full: u32 = (<u32>1 << <u32>lanes<T>()) - 1;
  // Most runs inside organs are short: settle them with one vector before the long loop.
  if (p + 16 <= end) {
    const same = laneBits<T>(eq<T>(v128.load(p), s));
    if (same != full) return <usize>ctz(~same);
    p += 16;
  }
  if (v == 0) {
    // Background, the longest runs of all: OR the bytes together, no compares.
    while (p + 128 <= end) {
      const a = v128.or(v128.or(v128.load(p), v128.load(p, 16)), v128.or(v128.load(p, 32), v128.load(p, 48)));
      const b = v128.or(v128.or(v128.load(p, 64), v128.load(p, 80)), v128.or(v128.load(p, 96), v128.load(p, 112)));
      if (v128.any_true(v128.or(a, b))) break;
      p += 128;
    }
  }
  while (p + 64 <= end) {
    const all = v128.and(
      v128.and(eq<T>(v128.load(p), s), eq<T>(v128.load(p, 16), s)),
      v128.and(eq<T>(v128.load(p, 32), s), eq<T>(v128.load(p, 48), s)),
    );
    if (!i8x16.all_true(all)) break;
    p += 64;
  }
  while (p + 16 <= end) {
    const same = laneBits<T>(eq<T>(v128.load(p), s));
    if (same != full) return (p - start) / sizeof<T>() + <usize>ctz(~same);
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
