// Overlap counting between two binary masks (u8, non-zero = inside).

/**
 * Counts voxels inside both `a` and `b` in columns x0..x1 (inclusive) of `rows` rows of
 * `nx` voxels: the rows of a bounding box that the JS side streams in. The box is strided,
 * so this walks row by row and counts 16 voxels per SIMD step.
 */
export function countOverlapRows(a: usize, b: usize, rows: u32, nx: u32, x0: u32, x1: u32): u32 {
  let total: u32 = 0;
  const zero = i8x16.splat(0);
  const width = <usize>(x1 - x0 + 1);
  for (let r: u32 = 0; r < rows; r++) {
    const offset = <usize>r * <usize>nx + <usize>x0;
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
  return total;
}
