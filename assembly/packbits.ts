// The inverse of numpy.packbits (big bit order), which the Python library uses for bool
// masks: voxel i is bit 7 - (i % 8) of byte i / 8. Eight packed bytes become 64 voxels with
// one load and four swizzles, so an organ mask of 10 M voxels unpacks at memory speed
// rather than at a shift and a store per voxel.

/**
 * Writes `count` voxels (0 or 1) at `out` from the packed bits at `src`, exactly `count`
 * bytes (no spill). Returns 1 when any source byte it read is non-zero, else 0, so the
 * caller can skip copying an all-background chunk into zeroed memory.
 */
export function unpackBits(src: usize, count: usize, out: usize): u32 {
  // Byte k of the 8 loaded lands in lanes 8(k % 2)..8(k % 2) + 7 of vector k / 2; each
  // lane keeps its own bit, top bit first.
  const bit = v128(-128, 64, 32, 16, 8, 4, 2, 1, -128, 64, 32, 16, 8, 4, 2, 1);
  const one = i8x16.splat(1);
  let any: u64 = 0;
  let i: usize = 0;
  for (; i + 64 <= count; i += 64) {
    const word = load<u64>(src + (i >> 3));
    any |= word;
    const v = i64x2.splat(word);
    v128.store(out + i, i8x16.min_u(v128.and(i8x16.swizzle(v, v128(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)), bit), one));
    v128.store(out + i, i8x16.min_u(v128.and(i8x16.swizzle(v, v128(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3)), bit), one), 16);
    v128.store(out + i, i8x16.min_u(v128.and(i8x16.swizzle(v, v128(4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5)), bit), one), 32);
    v128.store(out + i, i8x16.min_u(v128.and(i8x16.swizzle(v, v128(6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7)), bit), one), 48);
  }
  for (; i < count; i++) {
    const b = <u64>load<u8>(src + (i >> 3));
    any |= b;
    store<u8>(out + i, <u8>((b >> (7 - (i & 7))) & 1));
  }
  return any != 0 ? 1 : 0;
}
