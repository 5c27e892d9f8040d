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

/**
 * numpy.packbits (big bit order) of `count` voxels at `src`, any non-zero voxel a set bit:
 * the Python library's layout of bool masks. Writes ceil(count / 8) bytes at `out`, the pad
 * bits of a last partial byte zero (as numpy). Sixteen voxels become two bytes with one
 * compare and one bitmask; the lanes are reversed within each half first, since bitmask
 * puts lane 0 in the low bit and numpy puts voxel 0 in the high one.
 */
export function packBits(src: usize, count: usize, out: usize): void {
  const zero = i8x16.splat(0);
  const reverse = v128(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
  let i: usize = 0;
  for (; i + 16 <= count; i += 16) {
    const set = i8x16.ne(i8x16.swizzle(v128.load(src + i), reverse), zero);
    store<u16>(out + (i >> 3), <u16>i8x16.bitmask(set));
  }
  for (; i < count; i += 8) {
    let b: u32 = 0;
    const n = min<usize>(8, count - i);
    for (let k: usize = 0; k < n; k++) if (load<u8>(src + i + k) != 0) b |= 128 >> <u32>k;
    store<u8>(out + (i >> 3), <u8>b);
  }
}
