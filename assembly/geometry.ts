// Moving labels between grids: axes reordered and reversed (a strided gather, in tiles so
// both the reads and the writes stay in cache), and resampling through the affine map from
// target indices to source indices. The map is affine, so along a target row each source
// coordinate is a start plus a step: j = start + i * step, never a 4x4 product per voxel.
// The JS build (src/kernels/js/geometry.ts) makes the same floating-point operations in the
// same order, so both backends give the same voxels, ties included.

const TILE: i32 = 32;

/**
 * out[i0, i1, i2] (n0 x n1 x n2, C order) = src[base + i0 * s0 + i1 * s1 + i2 * s2] (element
 * offsets; strides may be negative, for reversed axes). Offsets wrap as u32, which is exact
 * for every in-range element.
 */
export function permuteAxes<T>(src: usize, out: usize, n0: i32, n1: i32, n2: i32, base: i32, s0: i32, s1: i32, s2: i32): void {
  const size = <usize>sizeof<T>();
  const step = <usize>s2;
  for (let i0 = 0; i0 < n0; i0++) {
    const slice = <usize>base + <usize>i0 * <usize>s0;
    for (let y0 = 0; y0 < n1; y0 += TILE) {
      const y1 = min(y0 + TILE, n1);
      for (let x0 = 0; x0 < n2; x0 += TILE) {
        const x1 = min(x0 + TILE, n2);
        for (let i1 = y0; i1 < y1; i1++) {
          let p = slice + <usize>i1 * <usize>s1 + <usize>x0 * step;
          let o = out + ((<usize>i0 * <usize>n1 + <usize>i1) * <usize>n2 + <usize>x0) * size;
          for (let i2 = x0; i2 < x1; i2++) {
            store<T>(o, load<T>(src + p * size));
            p += step;
            o += size;
          }
        }
      }
    }
  }
}

// The map from target to source indices, set by `resampleMap` before a resample: row r of
// the 3x4 matrix is m[4r .. 4r + 3].
const m: StaticArray<f64> = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];

/** Source coordinate `r` at the start of target row (i0, i1): m[r][0] i0 + m[r][1] i1 + m[r][3]. */
@inline function rowStart(r: i32, i0: i32, i1: i32): f64 {
  return unchecked(m[4 * r]) * <f64>i0 + unchecked(m[4 * r + 1]) * <f64>i1 + unchecked(m[4 * r + 3]);
}

/** Sets the 3x4 map (target index -> source index) the resample calls use. */
export function resampleMap(m00: f64, m01: f64, m02: f64, t0: f64, m10: f64, m11: f64, m12: f64, t1: f64, m20: f64, m21: f64, m22: f64, t2: f64): void {
  m[0] = m00; m[1] = m01; m[2] = m02; m[3] = t0;
  m[4] = m10; m[5] = m11; m[6] = m12; m[7] = t1;
  m[8] = m20; m[9] = m21; m[10] = m22; m[11] = t2;
}

/**
 * Positions this close below a half voxel count as the half: the noise of composing two
 * affines (26 * 37 / 52 comes out 18.499999999999996), which would round exact halves down.
 */
const HALF_NOISE: f64 = 1e-9;

/** The index nearest `j`, halves up, on or off the grid. */
@inline function rounded(j: f64): f64 {
  return Math.floor(j + (0.5 + HALF_NOISE));
}

/** The source index nearest `j` (halves up, as scipy's order 0), or -1 off the `n` voxels. */
@inline function nearest(j: f64, n: i32): i32 {
  const r = rounded(j);
  return r >= 0 && r < <f64>n ? <i32>r : -1;
}

/**
 * Nearest-neighbour resampling of `src` (s0 x s1 x s2) onto `out` (n0 x n1 x n2) through the
 * map of `resampleMap`; target voxels whose nearest source voxel is off the grid get 0.
 * `table` holds 4 * n2 bytes: where the source's last axis depends on the target's last axis
 * only (any grid that shares the row direction), its indices are computed once for every row.
 */
export function resampleNearest<T>(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32, table: usize): void {
  const size = <usize>sizeof<T>();
  // The steps along a target row, in source indices.
  const m2 = unchecked(m[2]), m6 = unchecked(m[6]), m10 = unchecked(m[10]);
  const rowShared = unchecked(m[8]) == 0 && unchecked(m[9]) == 0 && unchecked(m[1]) == 0 && m2 == 0 && m6 == 0;
  if (rowShared) {
    for (let i2 = 0; i2 < n2; i2++) store<i32>(table + (<usize>i2 << 2), nearest(unchecked(m[11]) + <f64>i2 * m10, s2));
  }
  let o = out;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      const c0 = rowStart(0, i0, i1), c1 = rowStart(1, i0, i1), c2 = rowStart(2, i0, i1);
      // With a shared row (the table) or the first two source indices the same at both ends
      // of the row, so along all of it (positions are monotone in i2, and so is rounding),
      // only the last index moves. Grids that share the row direction up to float32 noise in
      // their orientation land in the second case.
      if (rowShared || (rounded(c0) == rounded(c0 + <f64>(n2 - 1) * m2) && rounded(c1) == rounded(c1 + <f64>(n2 - 1) * m6))) {
        const r0 = nearest(c0, s0), r1 = nearest(c1, s1);
        if (r0 < 0 || r1 < 0) {
          memory.fill(o, 0, <usize>n2 * size);
        } else {
          const row = src + (<usize>r0 * <usize>s1 + <usize>r1) * <usize>s2 * size;
          if (rowShared) {
            for (let i2 = 0; i2 < n2; i2++) {
              const r2 = load<i32>(table + (<usize>i2 << 2));
              store<T>(o + <usize>i2 * size, r2 < 0 ? <T>0 : load<T>(row + <usize>r2 * size));
            }
          } else {
            for (let i2 = 0; i2 < n2; i2++) {
              const r2 = nearest(c2 + <f64>i2 * m10, s2);
              store<T>(o + <usize>i2 * size, r2 < 0 ? <T>0 : load<T>(row + <usize>r2 * size));
            }
          }
        }
      } else {
        for (let i2 = 0; i2 < n2; i2++) {
          const x = <f64>i2;
          const r0 = nearest(c0 + x * m2, s0), r1 = nearest(c1 + x * m6, s1), r2 = nearest(c2 + x * m10, s2);
          store<T>(o + <usize>i2 * size, r0 < 0 || r1 < 0 || r2 < 0 ? <T>0 : load<T>(src + ((<usize>r0 * <usize>s1 + <usize>r1) * <usize>s2 + <usize>r2) * size));
        }
      }
      o += <usize>n2 * size;
    }
  }
}

/** The label at (a, b, c) of `src`, 0 off the grid. */
@inline function labelAt<T>(src: usize, a: i32, b: i32, c: i32, s0: i32, s1: i32, s2: i32): u32 {
  if (a < 0 || b < 0 || c < 0 || a >= s0 || b >= s1 || c >= s2) return 0;
  return <u32>load<T>(src + ((<usize>a * <usize>s1 + <usize>b) * <usize>s2 + <usize>c) * <usize>sizeof<T>());
}

const corners: StaticArray<u32> = [0, 0, 0, 0, 0, 0, 0, 0];
const weights: StaticArray<f64> = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];

/**
 * Label-linear resampling: at each target voxel, each label's indicator interpolated
 * trilinearly from the 8 source voxels around it (off the grid is background), and the
 * label of the largest weight wins, as ITK's label interpolator: no label is invented,
 * boundaries are smooth. A tie goes to the nearest voxel's label when it is among the tied
 * (else to the smaller label): ITK's smaller label would give ties to background and
 * shrink thin structures.
 */
export function resampleLabelLinear<T>(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32): void {
  const size = <usize>sizeof<T>();
  // The steps along a target row, in source indices.
  const m2 = unchecked(m[2]), m6 = unchecked(m[6]), m10 = unchecked(m[10]);
  let o = out;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      const c0 = rowStart(0, i0, i1), c1 = rowStart(1, i0, i1), c2 = rowStart(2, i0, i1);
      for (let i2 = 0; i2 < n2; i2++) {
        const x = <f64>i2;
        const j0 = c0 + x * m2, j1 = c1 + x * m6, j2 = c2 + x * m10;
        const f0 = Math.floor(j0), f1 = Math.floor(j1), f2 = Math.floor(j2);
        const w0 = j0 - f0, w1 = j1 - f1, w2 = j2 - f2;
        // Far off the grid (beyond one voxel) every corner is background.
        if (f0 < -1 || f1 < -1 || f2 < -1 || f0 >= <f64>s0 || f1 >= <f64>s1 || f2 >= <f64>s2) {
          store<T>(o + <usize>i2 * size, <T>0);
          continue;
        }
        const a = <i32>f0, b = <i32>f1, c = <i32>f2;
        let same = true;
        let first: u32;
        if (a >= 0 && b >= 0 && c >= 0 && a + 1 < s0 && b + 1 < s1 && c + 1 < s2) {
          // All eight corners on the grid: straight loads, no checks.
          const at = src + ((<usize>a * <usize>s1 + <usize>b) * <usize>s2 + <usize>c) * size;
          const row = <usize>s2 * size, plane = <usize>s1 * row;
          first = <u32>load<T>(at);
          for (let k = 0; k < 8; k++) {
            const label = <u32>load<T>(at + ((k >> 2) != 0 ? plane : 0) + (((k >> 1) & 1) != 0 ? row : 0) + ((k & 1) != 0 ? size : 0));
            unchecked(corners[k] = label);
            if (label != first) same = false;
          }
        } else {
          first = labelAt<T>(src, a, b, c, s0, s1, s2);
          for (let k = 0; k < 8; k++) {
            const label = labelAt<T>(src, a + (k >> 2), b + ((k >> 1) & 1), c + (k & 1), s0, s1, s2);
            unchecked(corners[k] = label);
            if (label != first) same = false;
          }
        }
        if (same) {
          store<T>(o + <usize>i2 * size, <T>first);
          continue;
        }
        // Sum the weights of each label among the corners (at most 8 labels), compacted into
        // the front of `corners`: slot <= count <= k, so no corner is overwritten unread.
        let count = 0;
        for (let k = 0; k < 8; k++) {
          const w = ((k >> 2) != 0 ? w0 : 1 - w0) * (((k >> 1) & 1) != 0 ? w1 : 1 - w1) * ((k & 1) != 0 ? w2 : 1 - w2);
          const label = unchecked(corners[k]);
          let slot = 0;
          while (slot < count && unchecked(corners[slot]) != label) slot++;
          if (slot == count) {
            unchecked(corners[count] = label);
            unchecked(weights[count] = w);
            count++;
          } else {
            unchecked(weights[slot] += w);
          }
        }
        const near = labelAt<T>(src, a + (w0 >= 0.5 - HALF_NOISE ? 1 : 0), b + (w1 >= 0.5 - HALF_NOISE ? 1 : 0), c + (w2 >= 0.5 - HALF_NOISE ? 1 : 0), s0, s1, s2);
        let best: u32 = unchecked(corners[0]);
        let bestWeight = unchecked(weights[0]);
        for (let s = 1; s < count; s++) {
          const w = unchecked(weights[s]), label = unchecked(corners[s]);
          if (w > bestWeight || (w == bestWeight && best != near && (label == near || label < best))) {
            best = label;
            bestWeight = w;
          }
        }
        store<T>(o + <usize>i2 * size, <T>best);
      }
      o += <usize>n2 * size;
    }
  }
}

/**
 * Each of `rows` rows of `n` elements of `src` reversed into `out` (the same rows, the same
 * order): out[r][i] = src[r][n - 1 - i]. Sixteen bytes at a time (a byte shuffle reverses
 * the elements of a vector), the rest one by one.
 */
export function reverseRows<T>(src: usize, out: usize, rows: u32, n: u32): void {
  const size = <usize>sizeof<T>();
  const rowBytes = <usize>n * size;
  for (let r: u32 = 0; r < rows; r++) {
    const from = src + <usize>r * rowBytes, to = out + <usize>r * rowBytes;
    let i: usize = 0;
    // Output bytes [i, i + 16) are input bytes [rowBytes - i - 16, rowBytes - i), elements reversed.
    for (; i + 16 <= rowBytes; i += 16) {
      const v = v128.load(from + rowBytes - i - 16);
      let w: v128;
      if (size == 1) w = i8x16.shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
      else if (size == 2) w = i8x16.shuffle(v, v, 14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 0, 1);
      else w = i8x16.shuffle(v, v, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
      v128.store(to + i, w);
    }
    for (; i < rowBytes; i += size) store<T>(to + i, load<T>(from + rowBytes - i - size));
  }
}
