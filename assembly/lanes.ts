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

/** Number of leading elements equal to `v` from `p`, reading at most up to `end`. */
@inline export function runLength<T>(p: usize, end: usize, v: T): usize {
  const start = p;
  const s = splat<T>(v);
  while (p + 16 <= end && v128.all_true<u8>(eq<T>(v128.load(p), s))) p += 16;
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
