// Overlap counting between two binary masks (u8, non-zero = inside).

/**
 * Counts voxels inside both `a` and `b` within the inclusive box [z0..z1]x[y0..y1]x[x0..x1]
 * of a C-order (nz, ny, nx) volume. Rows inside the box are contiguous; the box itself is
 * strided, so this walks row by row and counts 16 voxels per SIMD step.
 */
export function countOverlapBox(
  a: usize, b: usize, ny: i32, nx: i32,
  z0: i32, z1: i32, y0: i32, y1: i32, x0: i32, x1: i32,
): u32 {
  let total: u32 = 0;
  const zero = i8x16.splat(0);
  const width = <usize>(x1 - x0 + 1);
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const offset = (<usize>z * <usize>ny + <usize>y) * <usize>nx + <usize>x0;
      const pa = a + offset, pb = b + offset;
      let i: usize = 0;
      for (; i + 16 <= width; i += 16) {
        const both = v128.and(i8x16.ne(v128.load(pa + i), zero), i8x16.ne(v128.load(pb + i), zero));
        total += <u32>popcnt(i8x16.bitmask(both));
      }
      for (; i < width; i++) {
        if (load<u8>(pa + i) != 0 && load<u8>(pb + i) != 0) total++;
      }
    }
  }
  return total;
}
